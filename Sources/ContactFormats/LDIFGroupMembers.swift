import ImportCore

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

    /// The index of each list by the hash of a spelling of its name seen before (checked
    /// against `spellings`), so that a name is made a `String` once per spelling. Names
    /// that compare equal as strings but are spelt apart share their list through `position`.
    private var spellingIndex = HashedKeyTable<Int>()
    private var spellings: [[UInt8]] = []
    private var spellingLists: [Int] = []

    /// `dn` belongs to the contact's groups (non-empty names; a name given twice counts once).
    mutating func add(_ dn: UnsafeBufferPointer<UInt8>, to contact: ContactBytes) {
        var member: UInt32?
        for groupIndex in 0..<contact.groupCount {
            let group = contact.group(groupIndex)
            guard !group.isEmpty else { continue }
            if member == nil {
                member = UInt32(starts.count - 1)
                bytes.append(contentsOf: dn)
                starts.append(bytes.count)
            }
            let index = listIndex(of: group)
            if members[index].last != member { members[index].append(member!) }
        }
    }

    private mutating func listIndex(of group: UnsafeBufferPointer<UInt8>) -> Int {
        var hash = TakenNames.NameHash()
        hash.combine(group)
        if let known = spellingIndex[hash.value], spellings[known].elementsEqual(group) { return spellingLists[known] }
        let name = String(decoding: group, as: UTF8.self)
        let index: Int
        if let known = position[name] {
            index = known
        } else {
            index = members.count
            position[name] = index
            groups.append(name)
            members.append([])
        }
        if spellingIndex[hash.value] == nil {
            spellingIndex[hash.value] = spellings.count
            spellings.append(Array(group))
            spellingLists.append(index)
        }
        return index
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
