import ImportCore

extension Contact {
    /// `contact` with `names` added to its groups, each once and in order, repacked once.
    init(addingGroups names: [String], to contact: Contact) {
        var fields = contact.fields
        var known = Set(fields.groups)
        for name in names where known.insert(name).inserted { fields.groups.append(name) }
        self.init(fields)
    }
}
