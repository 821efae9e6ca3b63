import ImportCore

// STUB: replaced by the real writer.
public struct VCardEncoder: ContactEncoder {
    public enum Version: String, Sendable { case v3 = "3.0", v4 = "4.0" }
    public var version: Version
    public init(version: Version = .v3) { self.version = version }
    public func encode(_ contacts: [Contact], into output: inout [UInt8]) {}
}
