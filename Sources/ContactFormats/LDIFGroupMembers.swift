/// The members of each list of an LDIF export, kept from the people's entries until the
/// lists are written at the end. Each member's `dn` is kept once, as bytes in one buffer
/// however many lists it is in; a list holds only references to them (four bytes a
/// member), not a string per member.
struct LDIFGroupMembers {
    /// The lists in the order their first member came.
    private(set) var groups: [String] = []
    private var position: [String: Int] = [:]
    /// Per list, the members as indexes into `starts`.
    private var members: [[UInt32]] = []
    /// Every member's `dn`, one after the other; member `i` spans `starts[i]..<starts[i + 1]`.
    private var bytes: [UInt8] = []
    private var starts: [Int] = [0]

    /// `dn` belongs to `groups` (non-empty names; a name given twice counts once).
    mutating func add(_ dn: String, to groups: [String]) {
        guard !groups.isEmpty else { return }
        let member = UInt32(starts.count - 1)
        bytes.append(contentsOf: dn.utf8)
        starts.append(bytes.count)
        for group in groups {
            let index: Int
            if let known = position[group] {
                index = known
            } else {
                index = members.count
                position[group] = index
                self.groups.append(group)
                members.append([])
            }
            if members[index].last != member { members[index].append(member) }
        }
    }

    /// Calls `body` with each member of the list at `index` (in `groups`), in order.
    func forEachMember(of index: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        bytes.withUnsafeBufferPointer { all in
            for member in members[index] {
                body(UnsafeBufferPointer(rebasing: all[starts[Int(member)]..<starts[Int(member) + 1]]))
            }
        }
    }
}
