import ImportCore
// Temporary: replaced by the core's merge when it lands.
struct PendingMerge { var contacts: [Contact] }
func mergeDuplicates(_ contacts: [Contact]) -> PendingMerge { PendingMerge(contacts: contacts) }
