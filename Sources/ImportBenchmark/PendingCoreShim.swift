import ImportCore
// Temporary: replaced by the core's search index when it lands.
struct ContactSearchIndex {
    init(_ contacts: [Contact]) {}
    func search(_ query: String) -> [Int] { [] }
}
