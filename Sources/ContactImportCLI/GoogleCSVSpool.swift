import ContactFormats
import Foundation
import ImportCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Google CSV's header needs the widest contact's number of emails, phones, addresses and
/// web addresses, which only the end of the input tells. Rather than read the input twice,
/// `convert` writes each row with its own contact's groups into this spool, together with
/// its shape, and once the input is done writes the header and every row widened to the
/// file's columns: the same bytes, from one read.
///
/// The spool stays in memory up to `memoryLimit`, then goes on in an unnamed private
/// temporary file (unlinked as soon as it is made, so nothing is left behind whatever
/// ends the process), so memory stays bounded whatever the size of the input.
final class GoogleCSVSpool {
    private var writer = GoogleCSVEncoder.Writer.ownCounts()
    private(set) var widths = GoogleCSVEncoder.GroupWidths()
    private(set) var rowCount = 0
    /// Contacts written without some of their control characters.
    private(set) var contactsCleaned = 0
    /// Records not yet in the file: a shape, then a row.
    private var pending = OutputBytes(capacity: memoryLimit + (64 << 10))
    private var file: Int32 = -1

    static let memoryLimit = 1 << 20
    /// A record's shape: its row's length, then `RowShape`'s seven numbers.
    private static let shapeSize = 8 * MemoryLayout<UInt32>.size

    init() {}

    deinit {
        if file >= 0 { close(file) }
    }

    /// Spools `contact`'s row.
    func add(_ contact: Contact) throws {
        // One access to each property for the whole record: a class's stored properties
        // are checked for exclusive access at run time, each time.
        let (shape, cleaned) = Self.appendRecord(contact, writer: &writer, to: &pending)
        widths.emails = max(widths.emails, shape.emails)
        widths.phones = max(widths.phones, shape.phones)
        widths.addresses = max(widths.addresses, shape.addresses)
        widths.websites = max(widths.websites, shape.websites)
        if cleaned { contactsCleaned += 1 }
        rowCount += 1
        if pending.count >= Self.memoryLimit { try spill() }
    }

    /// Appends `contact`'s shape and row to `records`; the shape, and whether control
    /// characters were taken out of the row.
    private static func appendRecord(
        _ contact: Contact, writer: inout GoogleCSVEncoder.Writer, to records: inout OutputBytes
    ) -> (GoogleCSVEncoder.RowShape, cleaned: Bool) {
        let recordStart = records.count
        records.append(repeating: 0, count: shapeSize)
        writer.write(contact, into: &records)
        var shape = writer.lastRow
        let rowStart = recordStart + shapeSize
        var cleaned = false
        // Google CSV cannot hold control characters: they go, as ControlCharacterFilter
        // takes them out of the other writers' output, and the group ends move with them.
        // (The array of ends is made only for the rare row that holds one.)
        if contact.holdsStrayControlBytes, ControlCharacterRemoval.needed(in: records, after: rowStart) {
            var ends = [shape.emailsEnd, shape.phonesEnd, shape.addressesEnd]
            _ = ControlCharacterRemoval.remove(from: &records, after: rowStart, keeping: &ends)
            (shape.emailsEnd, shape.phonesEnd, shape.addressesEnd) = (ends[0], ends[1], ends[2])
            cleaned = true
        }
        // Its row's length, then `RowShape`'s seven numbers (no array: one a contact).
        var slot = recordStart
        func store(_ number: Int) {
            records.store(UInt32(truncatingIfNeeded: number), at: slot)
            slot += 4
        }
        store(records.count - rowStart)
        store(shape.emails)
        store(shape.phones)
        store(shape.addresses)
        store(shape.websites)
        store(shape.emailsEnd)
        store(shape.phonesEnd)
        store(shape.addressesEnd)
        return (shape, cleaned)
    }

    /// The header, then every row padded to the widest contact's groups, through `emit` in
    /// pieces of about `pieceSize`.
    func replay(pieceSize: Int, emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        var output = OutputBytes(capacity: pieceSize + (64 << 10))
        GoogleCSVEncoder.appendHeader(widths, to: &output)
        var unread = 0
        if file >= 0 {
            try spill()
            guard lseek(file, 0, SEEK_SET) == 0 else { throw SystemError(errno) }
            // Read back a window at a time; a record cut by the window's end moves to its start.
            var window = [UInt8](repeating: 0, count: Self.memoryLimit)
            var filled = 0
            while true {
                if filled == window.count { window.append(contentsOf: repeatElement(0, count: window.count)) }
                let read = window.withUnsafeMutableBytes { bytes in
                    SystemCalls.readSome(file, into: bytes.baseAddress! + filled, count: bytes.count - filled)
                }
                if read < 0 {
                    if errno == EINTR { continue }
                    throw SystemError(errno)
                }
                if read == 0 { break }
                filled += read
                let used = try window.withUnsafeBytes { bytes in
                    try pad(UnsafeRawBufferPointer(rebasing: bytes[..<filled]), into: &output, pieceSize: pieceSize, emit: emit)
                }
                window.withUnsafeMutableBytes { bytes in
                    if used > 0, used < filled {
                        bytes.baseAddress!.copyMemory(from: bytes.baseAddress! + used, byteCount: filled - used)
                    }
                }
                filled -= used
            }
            unread = filled
        } else {
            let records = pending.withUnsafeBytes { Array($0) }
            unread = try records.withUnsafeBytes { bytes in
                try bytes.count - pad(bytes, into: &output, pieceSize: pieceSize, emit: emit)
            }
        }
        // Only a spool file changed behind our back could end inside a record.
        guard unread == 0 else { throw SystemError(EIO) }
        try output.withUnsafeBytes { try emit($0) }
    }

    /// Pads the whole records at the start of `records` into `output`, handing it to `emit`
    /// whenever it reaches `pieceSize`; returns the bytes the records took.
    private func pad(
        _ records: UnsafeRawBufferPointer, into output: inout OutputBytes, pieceSize: Int,
        emit: (UnsafeRawBufferPointer) throws -> Void
    ) throws -> Int {
        var offset = 0
        while records.count - offset >= Self.shapeSize {
            func number(_ index: Int) -> Int {
                Int(UInt32(littleEndian: records.loadUnaligned(fromByteOffset: offset + index * 4, as: UInt32.self)))
            }
            let rowStart = offset + Self.shapeSize
            let rowLength = number(0)
            guard records.count - rowStart >= rowLength else { break }
            var shape = GoogleCSVEncoder.RowShape()
            (shape.emails, shape.phones, shape.addresses, shape.websites) = (number(1), number(2), number(3), number(4))
            (shape.emailsEnd, shape.phonesEnd, shape.addressesEnd) = (number(5), number(6), number(7))
            let row = UnsafeRawBufferPointer(rebasing: records[rowStart..<rowStart + rowLength])
            GoogleCSVEncoder.appendPadded(row.assumingMemoryBound(to: UInt8.self), shape: shape, widths: widths, to: &output)
            offset = rowStart + rowLength
            if output.count >= pieceSize {
                try output.withUnsafeBytes { try emit($0) }
                output.removeAll()
            }
        }
        return offset
    }

    /// Moves the records in memory to the file, making the file first.
    private func spill() throws {
        if file < 0 {
            guard let made = UnnamedTemporaryFile.open(prefix: "contact-import-spool") else { throw SystemError(errno) }
            file = made
        }
        try pending.withUnsafeBytes { try SystemCalls.writeAll(file, $0) }
        pending.removeAll()
    }
}
