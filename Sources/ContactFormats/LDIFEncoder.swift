import ImportCore

// STUB: replaced by the real writer.
public struct LDIFEncoder: ContactEncoder {
    public init() {}
    public func encode(_ contacts: [Contact], into output: inout [UInt8]) {}
}
