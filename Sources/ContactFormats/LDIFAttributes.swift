import ImportCore

/// Attribute names (lowercased) Thunderbird writes, with the aliases other exporters and
/// older Thunderbird versions use. The first spelling of each list is the one the writer uses.
enum LDIFAttributes {
    static let dn: Set = ["dn"]
    static let objectClass: Set = ["objectclass"]
    static let changeType: Set = ["changetype"]
    static let givenName: Set = ["givenname"]
    static let surname: Set = ["sn", "surname"]
    static let commonName: Set = ["cn", "commonname", "displayname"]
    static let nickname: Set = ["mozillanickname", "nickname", "xmozillanickname"]
    static let mail: Set = ["mail"]
    static let secondEmail: Set = ["mozillasecondemail", "xmozillasecondemail"]
    static let personalTitle: Set = ["personaltitle"]
    static let generationQualifier: Set = ["generationqualifier"]
    static let organisation: Set = ["company", "o", "organizationname"]
    static let department: Set = ["department", "ou", "organizationalunitname"]
    static let jobTitle: Set = ["title"]
    static let notes: Set = ["description", "notes"]
    static let birthYear: Set = ["birthyear"]
    static let birthMonth: Set = ["birthmonth"]
    static let birthDay: Set = ["birthday"]
    static let workURL: Set = ["mozillaworkurl", "workurl"]
    static let homeURL: Set = ["mozillahomeurl", "homeurl"]
    static let labeledURI: Set = ["labeleduri"]
    static let photo: Set = ["jpegphoto", "photo"]
    static let member: Set = ["member", "uniquemember"]

    /// Phone attributes and the `ContactLabel` each stands for.
    static let phones: [String: String] = [
        "telephonenumber": ContactLabel.work,
        "homephone": ContactLabel.home,
        "mobile": ContactLabel.mobile,
        "cellphone": ContactLabel.mobile,
        "facsimiletelephonenumber": ContactLabel.workFax,
        "fax": ContactLabel.workFax,
        "pager": ContactLabel.pager,
        "pagerphone": ContactLabel.pager,
    ]

    /// The parts of a postal address, for the home and the work address.
    enum AddressPart: CaseIterable { case street, extended, city, region, postalCode, country }

    static let homeAddress: [String: AddressPart] = [
        "mozillahomestreet": .street, "homepostaladdress": .street, "mozillahomestreet2": .extended,
        "mozillahomelocalityname": .city, "mozillahomestate": .region, "mozillahomepostalcode": .postalCode,
        "mozillahomecountryname": .country,
    ]
    static let workAddress: [String: AddressPart] = [
        "street": .street, "streetaddress": .street, "postaladdress": .street, "mozillaworkstreet2": .extended,
        "l": .city, "locality": .city, "st": .region, "postalcode": .postalCode, "zip": .postalCode,
        "c": .country, "countryname": .country,
    ]

    /// The attributes the writer uses for each part, home and work.
    static func writerName(_ part: AddressPart, home: Bool) -> String {
        switch (part, home) {
        case (.street, true): return "mozillaHomeStreet"
        case (.extended, true): return "mozillaHomeStreet2"
        case (.city, true): return "mozillaHomeLocalityName"
        case (.region, true): return "mozillaHomeState"
        case (.postalCode, true): return "mozillaHomePostalCode"
        case (.country, true): return "mozillaHomeCountryName"
        case (.street, false): return "street"
        case (.extended, false): return "mozillaWorkStreet2"
        case (.city, false): return "l"
        case (.region, false): return "st"
        case (.postalCode, false): return "postalCode"
        case (.country, false): return "c"
        }
    }
}

extension PostalAddress {
    subscript(part: LDIFAttributes.AddressPart) -> String? {
        get {
            switch part {
            case .street: return street
            case .extended: return extended
            case .city: return city
            case .region: return region
            case .postalCode: return postalCode
            case .country: return country
            }
        }
        set {
            switch part {
            case .street: street = newValue
            case .extended: extended = newValue
            case .city: city = newValue
            case .region: region = newValue
            case .postalCode: postalCode = newValue
            case .country: country = newValue
            }
        }
    }
}

/// Distinguished names compare without case and without blanks around `,` and `=`, so
/// that `member: cn=Ada, mail=a@x` finds `dn: cn=Ada,mail=a@x`.
///
/// RFC 4514 works on Unicode scalars, and so do these: a combining mark after a comma
/// must not hide the comma inside one `Character` (an LDAP reader would split there).
enum LDIFDistinguishedName {
    static func key(_ dn: String) -> String {
        if let key = asciiKey(dn) { return key }
        var parts: [String] = []
        var current = String.UnicodeScalarView()
        var escaped = false
        for scalar in dn.unicodeScalars {
            if escaped {
                current.append(scalar)
                escaped = false
            } else if scalar == "\\" {
                current.append(scalar)
                escaped = true
            } else if scalar == "," {
                parts.append(normalise(current))
                current = String.UnicodeScalarView()
            } else {
                current.append(scalar)
            }
        }
        parts.append(normalise(current))
        return parts.joined(separator: ",")
    }

    private static func normalise(_ rdn: String.UnicodeScalarView) -> String {
        guard let equals = rdn.firstIndex(of: "=") else { return String(rdn).blankTrimmed.lowercased() }
        let type = String(rdn[..<equals]).blankTrimmed
        let value = String(rdn[rdn.index(after: equals)...]).blankTrimmed
        return (type + "=" + value).lowercased()
    }

    /// `key` on the bytes of an ASCII name, where characters are bytes (a CR LF pair is
    /// one character, but neither byte is one `key` looks for); nil for any other name.
    private static func asciiKey(_ dn: String) -> String? {
        var dn = dn
        return dn.withUTF8 { bytes -> String? in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            var start = 0
            var escaped = false
            for index in 0...bytes.count {
                if index < bytes.count {
                    let byte = bytes[index]
                    if escaped {
                        escaped = false
                        continue
                    }
                    if byte == UInt8(ascii: "\\") { escaped = true }
                    guard byte == UInt8(ascii: ",") else { continue }
                }
                if start > 0 { out.append(UInt8(ascii: ",")) }
                appendNormalised(UnsafeBufferPointer(rebasing: bytes[start..<index]), to: &out)
                start = index + 1
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// `normalise` of ASCII bytes: blanks trimmed around the first `=`, lower case.
    private static func appendNormalised(_ rdn: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        func appendTrimmed(_ part: Slice<UnsafeBufferPointer<UInt8>>) {
            let isBlank = { (byte: UInt8) in byte == 0x20 || byte == 0x09 }
            guard let first = part.firstIndex(where: { !isBlank($0) }), let last = part.lastIndex(where: { !isBlank($0) }) else {
                return
            }
            for byte in part[first...last] { out.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) }
        }
        guard let equals = rdn.firstIndex(of: UInt8(ascii: "=")) else { return appendTrimmed(rdn[...]) }
        appendTrimmed(rdn[..<equals])
        out.append(UInt8(ascii: "="))
        appendTrimmed(rdn[(equals + 1)...])
    }

    /// `escape` of an ASCII value, on its bytes (which are its characters, as far as the
    /// escapes go); nil for any other value.
    private static func asciiEscape(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 4)
        for (offset, byte) in bytes.enumerated() {
            let special: Bool
            switch byte {
            case UInt8(ascii: ","), UInt8(ascii: "+"), UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "<"),
                 UInt8(ascii: ">"), UInt8(ascii: ";"), UInt8(ascii: "="):
                special = true
            default:
                special = offset == 0 && (byte == 0x20 || byte == UInt8(ascii: "#")) || offset == bytes.count - 1 && byte == 0x20
            }
            if special { out.append(UInt8(ascii: "\\")) }
            out.append(byte)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Escapes an attribute value for use inside a DN (RFC 4514), scalar by scalar.
    static func escape(_ value: String) -> String {
        var bytes = value
        if let escaped = bytes.withUTF8(asciiEscape) { return escaped }
        var out = String.UnicodeScalarView()
        let count = value.unicodeScalars.count
        for (offset, scalar) in value.unicodeScalars.enumerated() {
            let special = ",+\"\\<>;=".unicodeScalars.contains(scalar)
            let leading = offset == 0 && (scalar == " " || scalar == "#")
            let trailing = offset == count - 1 && scalar == " "
            if special || leading || trailing { out.append("\\") }
            out.append(scalar)
        }
        return String(out)
    }
}
