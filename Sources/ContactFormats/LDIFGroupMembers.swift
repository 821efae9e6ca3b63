import ImportCore

/// The members of each list of an LDIF export, kept from the people's entries until the
/// lists are written at the end. Each member's `dn` is kept once however many lists it is
/// in, in `LDIFMemberSpool` (memory up to a limit, then a private temporary file); what
/// stays in memory is a byte or so per member and per membership: the `dn`s' lengths, and
/// each list's members as the steps from one member's number to the next (LEB128, one
/// byte for a list that names most people).
struct LDIFGroupMembers {
    typealias Text = UnsafeBufferPointer<UInt8>

    /// The lists in the order their first member came.
    private(set) var groups: [String] = []
    private var position: [String: Int] = [:]
    /// Per list, the steps between its members' numbers (the first from -1).
    private var steps: [[UInt8]] = []
    /// Per list, the number of its last member.
    private var lastMember: [Int] = []
    /// Per member, in order, the length of its `dn`.
    private var lengths: [UInt8] = []
    private var memberCount = 0
    private let spool: LDIFMemberSpool

    /// The index of each list by the hash of a spelling of its name seen before (checked
    /// against `spellings`), so that a name is made a `String` once per spelling. Names
    /// that compare equal as strings but are spelt apart share their list through `position`.
    private var spellingIndex = HashedKeyTable<Int>()
    private var spellings: [[UInt8]] = []
    private var spellingLists: [Int] = []

    init(memoryLimit: Int = LDIFMemberSpool.memoryLimit) { spool = LDIFMemberSpool(memoryLimit: memoryLimit) }

    /// Bytes of the members' `dn`s written to the spool's file.
    var bytesInFile: Int { spool.fileCount }

    /// `dn` belongs to the contact's groups (non-empty names; a name given twice counts once).
    mutating func add(_ dn: Text, to contact: ContactBytes) {
        var member: Int?
        for groupIndex in 0..<contact.groupCount {
            let group = contact.group(groupIndex)
            guard !group.isEmpty else { continue }
            if member == nil {
                member = memberCount
                memberCount += 1
                spool.append(dn)
                Self.appendNumber(dn.count, to: &lengths)
            }
            let index = listIndex(of: group)
            if lastMember[index] != member! {
                Self.appendNumber(member! - lastMember[index], to: &steps[index])
                lastMember[index] = member!
            }
        }
    }

    private mutating func listIndex(of group: Text) -> Int {
        var hash = TakenNames.NameHash()
        hash.combine(group)
        if let known = spellingIndex[hash.value], spellings[known].elementsEqual(group) { return spellingLists[known] }
        let name = String(decoding: group, as: UTF8.self)
        let index: Int
        if let known = position[name] {
            index = known
        } else {
            index = steps.count
            position[name] = index
            groups.append(name)
            steps.append([])
            lastMember.append(-1)
        }
        if spellingIndex[hash.value] == nil {
            spellingIndex[hash.value] = spellings.count
            spellings.append(Array(group))
            spellingLists.append(index)
        }
        return index
    }

    /// Calls `body` with each member of the list at `index` (in `groups`), in order.
    func forEachMember(of index: Int, _ body: (Text) throws -> Void) throws {
        var reader = spool.reader()
        // The member the walk over `lengths` is at, and where its `dn` starts.
        var member = 0
        var offset = 0
        var lengthCursor = 0
        var target = -1
        var stepCursor = 0
        let steps = steps[index]
        while stepCursor < steps.count {
            target += Self.number(in: steps, at: &stepCursor)
            while member < target {
                offset += Self.number(in: lengths, at: &lengthCursor)
                member += 1
            }
            let length = Self.number(in: lengths, at: &lengthCursor)
            try reader.withBytes(at: offset, length: length, body)
            offset += length
            member += 1
        }
    }

    /// LEB128: seven bits a byte, the high bit on all but the last.
    private static func appendNumber(_ value: Int, to bytes: inout [UInt8]) {
        var value = UInt(value)
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    private static func number(in bytes: [UInt8], at cursor: inout Int) -> Int {
        var value = 0
        var shift = 0
        while true {
            let byte = bytes[cursor]
            cursor += 1
            value |= Int(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }
}
