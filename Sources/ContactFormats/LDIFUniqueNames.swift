/// Hands out the distinguished names of an LDIF export: `cn=NAME,mail=EMAIL`, and when
/// that is taken `cn=NAME (2),mail=EMAIL`, `(3)` and so on, so that list members stay
/// unambiguous.
///
/// Names only ever get taken, never freed, so once `NAME (k)` was found taken it stays
/// taken: the next contact with the same name and email starts where the last one ended
/// instead of trying every counter again. The names are those of trying from 2 each
/// time, at linear cost for many contacts with the same name and email.
///
/// What it keeps stays small: a hash per name handed out (`TakenNames`), and a counter
/// only for the names and emails that were already taken once.
struct LDIFUniqueNames {
    typealias Text = UnsafeBufferPointer<UInt8>

    private var used = TakenNames()
    /// For the hash of a name and email suffix that was found taken, the first counter not
    /// yet known to be taken (the counters run from 2).
    private var nextCounter = HashedKeyTable<Int>()
    /// How many names were tried in all (each a set lookup): shows that the work stays
    /// linear in the number of contacts.
    private(set) var candidatesTried = 0

    /// Names and emails holding a counter: only those that were taken more than once.
    var countersKept: Int { nextCounter.count }

    /// Makes `dn` the first free name for a contact called `name` whose primary email is
    /// `email`.
    mutating func take(name: Text, email: Text?, into dn: inout [UInt8]) {
        mail.removeAll(keepingCapacity: true)
        if let email {
            mail.append(",mail=")
            LDIFNameBytes.appendEscaped(email, to: &mail)
        }
        var memo = TakenNames.NameHash()
        memo.combine(name)
        memo.separate()
        mail.withUnsafeBufferPointer { memo.combine($0) }
        let memoValue = memo.value
        var counter = nextCounter[memoValue] ?? 1
        var key = candidate(name, counter, into: &dn)
        candidatesTried += 1
        while !used.insert(hash: key) {
            counter += 1
            key = candidate(name, counter, into: &dn)
            candidatesTried += 1
        }
        if counter > 1 { nextCounter[memoValue] = counter + 1 }
    }

    /// Makes `dn` the name with `counter` (none for 1) and the email kept in `mail`; the hash of its key.
    private mutating func candidate(_ name: Text, _ counter: Int, into dn: inout [UInt8]) -> UInt64 {
        value.removeAll(keepingCapacity: true)
        value.append(contentsOf: name)
        if counter > 1 {
            value.append(contentsOf: " (".utf8)
            value.append(contentsOf: String(counter).utf8)
            value.append(UInt8(ascii: ")"))
        }
        dn.removeAll(keepingCapacity: true)
        dn.append(contentsOf: "cn=".utf8)
        value.withUnsafeBufferPointer { LDIFNameBytes.appendEscaped($0, to: &dn) }
        let escapedEnd = dn.count
        dn.append(contentsOf: mail)
        var hash = TakenNames.NameHash()
        for byte in "cn=".utf8 { hash.combine(byte) }
        dn.withUnsafeBufferPointer { dn in
            LDIFNameBytes.hashKeyValue(Text(rebasing: dn[3..<escapedEnd]), into: &hash, lowercase: &lowercase)
            if escapedEnd < dn.count {
                for byte in ",mail=".utf8 { hash.combine(byte) }
                LDIFNameBytes.hashKeyValue(Text(rebasing: dn[(escapedEnd + 6)...]), into: &hash, lowercase: &lowercase)
            }
        }
        return hash.value
    }

    private var mail: [UInt8] = []
    private var value: [UInt8] = []
    private var lowercase = ScalarLowercase()
}
