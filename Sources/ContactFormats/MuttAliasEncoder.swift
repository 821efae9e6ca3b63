import ImportCore

// STUB: replaced by the real writer.
public struct MuttAliasEncoder: ContactEncoder {
    public init() {}
    public func encode(_ contacts: [Contact], into output: inout [UInt8]) {}
}
