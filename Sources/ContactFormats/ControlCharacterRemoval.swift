import ImportCore

/// Taking control characters (`StrayControlBytes`) out of bytes just written, for the
/// writers that cannot hold them (`ControlCharacterFilter`, and the Google CSV spool).
public enum ControlCharacterRemoval {
    /// Whether the bytes from `start` on hold a control character this removal takes out.
    public static func needed(in output: borrowing OutputBytes, after start: Int) -> Bool {
        output.withBytes(from: start) { StrayControlBytes.first(in: $0) } != nil
    }

    /// After `contact` was written from `start` on: takes its control characters out, and
    /// says whether it had any. The writers' own syntax holds none, so only a contact whose
    /// values hold one (`holdsStrayControlBytes`) has its output searched.
    static func clean(_ output: inout OutputBytes, writtenFrom start: Int, for contact: Contact) -> Bool {
        contact.holdsStrayControlBytes && remove(from: &output, after: start)
    }

    /// Takes the control characters out of the bytes from `start` on; whether there were any.
    static func remove(from output: inout OutputBytes, after start: Int) -> Bool {
        var none: [Int] = []
        return remove(from: &output, after: start, keeping: &none)
    }

    /// The same, moving each of `positions` (offsets from `start` into the written bytes)
    /// back by the control characters taken out before it, so it still marks the same place.
    public static func remove(from output: inout OutputBytes, after start: Int, keeping positions: inout [Int]) -> Bool {
        guard needed(in: output, after: start) else { return false }
        let original = positions
        var kept = start
        for index in start..<output.count {
            if StrayControlBytes.isStray(output[index]) {
                for slot in positions.indices where index - start < original[slot] { positions[slot] -= 1 }
            } else {
                output[kept] = output[index]
                kept += 1
            }
        }
        output.truncate(to: kept)
        return true
    }
}
