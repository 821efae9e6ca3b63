import ImportCore

// STUB: replaced by the real writer.
public struct JSONPayloadEncoder: ContactEncoder {
    public var importID: Int?
    public var userID: String?
    public var echo: String?
    public var owner: ContactsOwner?
    public init(importID: Int? = nil, userID: String? = nil, echo: String? = nil, owner: ContactsOwner? = nil) {
        self.importID = importID
        self.userID = userID
        self.echo = echo
        self.owner = owner
    }
    public func encode(_ contacts: [Contact], into output: inout [UInt8]) {}
}
