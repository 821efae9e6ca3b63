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
    private var used = TakenNames()
    /// For the hash of a name and email suffix that was found taken, the first counter not
    /// yet known to be taken (the counters run from 2).
    private var nextCounter: [UInt64: Int] = [:]
    /// How many names were tried in all (each a set lookup): shows that the work stays
    /// linear in the number of contacts.
    private(set) var candidatesTried = 0

    /// Names and emails holding a counter: only those that were taken more than once.
    var countersKept: Int { nextCounter.count }

    /// The first free name for a contact called `name` whose primary email is `email`.
    mutating func take(name: String, email: String?) -> String {
        let mail = email.map { ",mail=" + LDIFDistinguishedName.escape($0) } ?? ""
        let memo = TakenNames.hash(name, mail)
        var counter = nextCounter[memo] ?? 1
        var dn = counter == 1 ? "cn=" + LDIFDistinguishedName.escape(name) + mail : candidate(name, counter, mail)
        var key = LDIFDistinguishedName.key(dn)
        candidatesTried += 1
        while used.contains(key) {
            counter += 1
            dn = candidate(name, counter, mail)
            key = LDIFDistinguishedName.key(dn)
            candidatesTried += 1
        }
        used.insert(key)
        if counter > 1 { nextCounter[memo] = counter + 1 }
        return dn
    }

    private func candidate(_ name: String, _ counter: Int, _ mail: String) -> String {
        "cn=" + LDIFDistinguishedName.escape("\(name) (\(counter))") + mail
    }
}
