/// A JSON reader over UTF-8 bytes for the People API's list pages, much faster than
/// `JSONDecoder` for this one shape: it fills `GooglePerson` directly, skipping what it
/// does not read without building it. The rules are `JSONDecoder`'s: absent or null
/// fields are nil, unknown keys are ignored, a value of the wrong type makes its record
/// unreadable (a `RecordProblem` naming the field), and bytes that are not JSON make the
/// whole page unreadable (`JSONSyntaxError`).
struct GoogleJSONScanner {
    struct JSONSyntaxError: Error {}

    /// A value of the wrong type at `path`.
    struct WrongType: Error {
        var path: [String]
        var expected: String
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    // MARK: - Pages

    /// A connections or other-contacts page: the records under `listKey`, the next page
    /// token, and the total under `totalKeys` (the first present).
    static func page(_ data: [UInt8], listKey: StaticString, totalKeys: [StaticString])
        -> (records: [EachRecord<GooglePerson>]?, nextPageToken: String?, total: Int?)? {
        data.withUnsafeBufferPointer { buffer in
            var scanner = GoogleJSONScanner(buffer)
            return try? scanner.readPage(listKey: listKey, totalKeys: totalKeys)
        }
    }

    private mutating func readPage(listKey: StaticString, totalKeys: [StaticString]) throws
        -> (records: [EachRecord<GooglePerson>]?, nextPageToken: String?, total: Int?) {
        var records: [EachRecord<GooglePerson>]?
        var next: String?
        var totals: [Int?] = Array(repeating: nil, count: totalKeys.count)
        try object { scanner, key in
            if scanner.equals(key, listKey) {
                records = try scanner.nullable { scanner in try scanner.records() }
            } else if scanner.equals(key, "nextPageToken") {
                next = try scanner.optionalString("nextPageToken")
            } else if let which = totalKeys.firstIndex(where: { scanner.equals(key, $0) }) {
                totals[which] = try scanner.optionalInt("total")
            } else {
                try scanner.skipValue()
            }
        }
        skipSpace()
        guard index == bytes.count else { throw JSONSyntaxError() }
        return (records, next, totals.lazy.compactMap { $0 }.first)
    }

    /// Each element of a list of persons, read on its own.
    private mutating func records() throws -> [EachRecord<GooglePerson>] {
        var result: [EachRecord<GooglePerson>] = []
        try array { scanner in
            let start = scanner.index
            do {
                result.append(EachRecord(result: .success(try scanner.person())))
            } catch let wrong as WrongType {
                // Read the record again only to find its end and its name.
                scanner.index = start
                let name = try scanner.resourceNameOfValue()
                let path = wrong.path.reduce("") { text, part in
                    part.hasPrefix("[") ? text + part : (text.isEmpty ? part : text + "." + part)
                }
                let what = path.isEmpty ? "the record" : path
                result.append(EachRecord(result: .failure(RecordProblem(reason: "\(what) is not \(wrong.expected)", resourceName: name))))
            }
        }
        return result
    }

    /// Skips one value; when it is an object, returns its `resourceName` if that is text.
    private mutating func resourceNameOfValue() throws -> String? {
        skipSpace()
        guard peek == UInt8(ascii: "{") else {
            try skipValue()
            return nil
        }
        var name: String?
        try object { scanner, key in
            if scanner.equals(key, "resourceName"), scanner.peekAfterSpace == UInt8(ascii: "\"") {
                name = try scanner.string()
            } else {
                try scanner.skipValue()
            }
        }
        return name
    }

    // MARK: - Person

    private mutating func person() throws -> GooglePerson {
        var person = GooglePerson()
        try expectObject()
        try object { s, key in
            switch key.count {
            case 5 where s.equals(key, "names"):
                person.names = try s.list("names") { s in
                    var name = GooglePerson.Name()
                    try s.fields { s, key in
                        if s.equals(key, "metadata") { name.metadata = try s.metadata() }
                        else if s.equals(key, "displayName") { name.displayName = try s.optionalString("displayName") }
                        else if s.equals(key, "givenName") { name.givenName = try s.optionalString("givenName") }
                        else if s.equals(key, "middleName") { name.middleName = try s.optionalString("middleName") }
                        else if s.equals(key, "familyName") { name.familyName = try s.optionalString("familyName") }
                        else if s.equals(key, "honorificPrefix") { name.honorificPrefix = try s.optionalString("honorificPrefix") }
                        else if s.equals(key, "honorificSuffix") { name.honorificSuffix = try s.optionalString("honorificSuffix") }
                        else { try s.skipValue() }
                    }
                    return name
                }
            case 9 where s.equals(key, "nicknames"):
                person.nicknames = try s.list("nicknames") { s in try s.text() }
            case 14 where s.equals(key, "emailAddresses"):
                person.emailAddresses = try s.list("emailAddresses") { s in
                    let item = try s.typedValue()
                    return GooglePerson.Email(metadata: item.metadata, value: item.value, type: item.type, formattedType: item.formattedType)
                }
            case 12 where s.equals(key, "phoneNumbers"):
                person.phoneNumbers = try s.list("phoneNumbers") { s in
                    let item = try s.typedValue()
                    return GooglePerson.Phone(metadata: item.metadata, value: item.value, type: item.type, formattedType: item.formattedType)
                }
            case 9 where s.equals(key, "addresses"):
                person.addresses = try s.list("addresses") { s in
                    var address = GooglePerson.Address()
                    try s.fields { s, key in
                        if s.equals(key, "metadata") { address.metadata = try s.metadata() }
                        else if s.equals(key, "formattedValue") { address.formattedValue = try s.optionalString("formattedValue") }
                        else if s.equals(key, "type") { address.type = try s.optionalString("type") }
                        else if s.equals(key, "formattedType") { address.formattedType = try s.optionalString("formattedType") }
                        else if s.equals(key, "poBox") { address.poBox = try s.optionalString("poBox") }
                        else if s.equals(key, "streetAddress") { address.streetAddress = try s.optionalString("streetAddress") }
                        else if s.equals(key, "extendedAddress") { address.extendedAddress = try s.optionalString("extendedAddress") }
                        else if s.equals(key, "city") { address.city = try s.optionalString("city") }
                        else if s.equals(key, "region") { address.region = try s.optionalString("region") }
                        else if s.equals(key, "postalCode") { address.postalCode = try s.optionalString("postalCode") }
                        else if s.equals(key, "country") { address.country = try s.optionalString("country") }
                        else { try s.skipValue() }
                    }
                    return address
                }
            case 13 where s.equals(key, "organizations"):
                person.organizations = try s.list("organizations") { s in
                    var organization = GooglePerson.Organization()
                    try s.fields { s, key in
                        if s.equals(key, "metadata") { organization.metadata = try s.metadata() }
                        else if s.equals(key, "name") { organization.name = try s.optionalString("name") }
                        else if s.equals(key, "title") { organization.title = try s.optionalString("title") }
                        else if s.equals(key, "department") { organization.department = try s.optionalString("department") }
                        else { try s.skipValue() }
                    }
                    return organization
                }
            case 9 where s.equals(key, "birthdays"):
                person.birthdays = try s.list("birthdays") { s in
                    var birthday = GooglePerson.Birthday()
                    try s.fields { s, key in
                        if s.equals(key, "metadata") { birthday.metadata = try s.metadata() }
                        else if s.equals(key, "date") { birthday.date = try s.date("date") }
                        else if s.equals(key, "text") { birthday.text = try s.optionalString("text") }
                        else { try s.skipValue() }
                    }
                    return birthday
                }
            case 6 where s.equals(key, "events"):
                person.events = try s.list("events") { s in
                    var event = GooglePerson.Event()
                    try s.fields { s, key in
                        if s.equals(key, "metadata") { event.metadata = try s.metadata() }
                        else if s.equals(key, "date") { event.date = try s.date("date") }
                        else if s.equals(key, "type") { event.type = try s.optionalString("type") }
                        else if s.equals(key, "formattedType") { event.formattedType = try s.optionalString("formattedType") }
                        else { try s.skipValue() }
                    }
                    return event
                }
            case 4 where s.equals(key, "urls"):
                person.urls = try s.list("urls") { s in
                    let item = try s.typedValue()
                    return GooglePerson.Link(metadata: item.metadata, value: item.value, type: item.type, formattedType: item.formattedType)
                }
            case 11 where s.equals(key, "biographies"):
                person.biographies = try s.list("biographies") { s in try s.text() }
            case 11 where s.equals(key, "memberships"):
                person.memberships = try s.list("memberships") { s in
                    var membership = GooglePerson.Membership()
                    try s.fields { s, key in
                        guard s.equals(key, "contactGroupMembership") else { return try s.skipValue() }
                        membership.contactGroupMembership = try s.within("contactGroupMembership") { s in try s.nullable { s in
                            var group = GooglePerson.GroupMembership()
                            try s.fields { s, key in
                                if s.equals(key, "contactGroupId") { group.contactGroupId = try s.optionalString("contactGroupId") }
                                else if s.equals(key, "contactGroupResourceName") {
                                    group.contactGroupResourceName = try s.optionalString("contactGroupResourceName")
                                } else { try s.skipValue() }
                            }
                            return group
                        } }
                    }
                    return membership
                }
            case 6 where s.equals(key, "photos"):
                person.photos = try s.list("photos") { s in
                    var photo = GooglePerson.Photo()
                    try s.fields { s, key in
                        if s.equals(key, "metadata") { photo.metadata = try s.metadata() }
                        else if s.equals(key, "url") { photo.url = try s.optionalString("url") }
                        else if s.equals(key, "default") { photo.default = try s.optionalBool("default") }
                        else { try s.skipValue() }
                    }
                    return photo
                }
            case 11 where s.equals(key, "userDefined"):
                person.userDefined = try s.list("userDefined") { s in
                    var item = GooglePerson.UserDefined()
                    try s.fields { s, key in
                        if s.equals(key, "key") { item.key = try s.optionalString("key") }
                        else if s.equals(key, "value") { item.value = try s.optionalString("value") }
                        else { try s.skipValue() }
                    }
                    return item
                }
            case 12 where s.equals(key, "resourceName"):
                person.resourceName = try s.optionalString("resourceName")
            default:
                try s.skipValue()
            }
        }
        return person
    }

    /// Emails, phones and links share their shape.
    private struct TypedValue {
        var metadata: GooglePerson.Metadata?
        var value: String?
        var type: String?
        var formattedType: String?
    }

    private mutating func typedValue() throws -> TypedValue {
        var item = TypedValue()
        try fields { s, key in
            if s.equals(key, "value") { item.value = try s.optionalString("value") }
            else if s.equals(key, "type") { item.type = try s.optionalString("type") }
            else if s.equals(key, "metadata") { item.metadata = try s.metadata() }
            else if s.equals(key, "formattedType") { item.formattedType = try s.optionalString("formattedType") }
            else { try s.skipValue() }
        }
        return item
    }

    private mutating func text() throws -> GooglePerson.Text {
        var item = GooglePerson.Text()
        try fields { s, key in
            if s.equals(key, "value") { item.value = try s.optionalString("value") }
            else if s.equals(key, "metadata") { item.metadata = try s.metadata() }
            else { try s.skipValue() }
        }
        return item
    }

    private mutating func metadata() throws -> GooglePerson.Metadata? {
        try within("metadata") { s in try s.metadataValue() }
    }

    private mutating func metadataValue() throws -> GooglePerson.Metadata? {
        try nullable { s in
            var metadata = GooglePerson.Metadata()
            try s.fields { s, key in
                if s.equals(key, "primary") { metadata.primary = try s.optionalBool("primary") } else { try s.skipValue() }
            }
            return metadata
        }
    }

    private mutating func date(_ name: String) throws -> GooglePerson.Date? {
        try within(name) { s in try s.dateValue() }
    }

    private mutating func dateValue() throws -> GooglePerson.Date? {
        try nullable { s in
            var date = GooglePerson.Date()
            try s.fields { s, key in
                if s.equals(key, "year") { date.year = try s.optionalInt("year") }
                else if s.equals(key, "month") { date.month = try s.optionalInt("month") }
                else if s.equals(key, "day") { date.day = try s.optionalInt("day") }
                else { try s.skipValue() }
            }
            return date
        }
    }

    // MARK: - Typed values

    /// A list of objects under `key`: null is nil; an element that is not an object is the
    /// record's error.
    private mutating func list<Item>(_ key: String, _ item: (inout GoogleJSONScanner) throws -> Item) throws -> [Item]? {
        try nullable { s in
            guard s.peekAfterSpace == UInt8(ascii: "[") else { throw WrongType(path: [key], expected: "a list") }
            var items: [Item] = []
            var position = 0
            try s.array { s in
                do {
                    items.append(try item(&s))
                } catch var wrong as WrongType {
                    wrong.path.insert(contentsOf: [key, "[\(position)]"], at: 0)
                    throw wrong
                }
                position += 1
            }
            return items
        }
    }

    /// An object's members, each handed to `body` with the path so far.
    private mutating func fields(_ body: (inout GoogleJSONScanner, Range<Int>) throws -> Void) throws {
        try expectObject()
        try object { s, key in try body(&s, key) }
    }

    private mutating func expectObject() throws {
        guard let byte = peekAfterSpace else { throw JSONSyntaxError() }
        switch byte {
        case UInt8(ascii: "{"): return
        case UInt8(ascii: "n"), UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "\""), UInt8(ascii: "["),
             UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            throw WrongType(path: [], expected: "an object")
        default:
            throw JSONSyntaxError()
        }
    }

    private mutating func optionalString(_ name: String) throws -> String? {
        try nullable { s in
            guard s.peekAfterSpace == UInt8(ascii: "\"") else { throw s.wrongType(name, "text") }
            return try s.string()
        }
    }

    private mutating func optionalBool(_ name: String) throws -> Bool? {
        try nullable { s in
            if s.consume("true") { return true }
            if s.consume("false") { return false }
            throw s.wrongType(name, "true or false")
        }
    }

    private mutating func optionalInt(_ name: String) throws -> Int? {
        try nullable { s in
            guard let byte = s.peekAfterSpace, byte == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else {
                throw s.wrongType(name, "a number")
            }
            let start = s.index
            try s.skipNumber()
            var value = 0
            var negative = false
            for offset in start..<s.index {
                let byte = s.bytes[offset]
                switch byte {
                case UInt8(ascii: "-"): negative = true
                case UInt8(ascii: "0")...UInt8(ascii: "9"):
                    let (product, overflow1) = value.multipliedReportingOverflow(by: 10)
                    let (sum, overflow2) = product.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
                    if overflow1 || overflow2 { throw WrongType(path: [name], expected: "a whole number") }
                    value = sum
                default:
                    // A fraction or an exponent: JSONDecoder takes it only when it is whole.
                    let text = String(decoding: UnsafeBufferPointer(rebasing: s.bytes[start..<s.index]), as: UTF8.self)
                    guard let number = Double(text), number.rounded() == number, abs(number) < 1e15 else {
                        throw WrongType(path: [name], expected: "a whole number")
                    }
                    return Int(number)
                }
            }
            return negative ? -value : value
        }
    }

    /// What a value of the wrong type is told as; bytes that are no JSON value at all are
    /// a syntax error of the page.
    private mutating func wrongType(_ name: String, _ expected: String) -> any Error {
        let start = index
        defer { index = start }
        do {
            try skipValue()
            return WrongType(path: [name], expected: expected)
        } catch {
            return error
        }
    }

    /// Reads a member's value, naming the member in a wrong type's path.
    private mutating func within<Value>(_ name: String, _ read: (inout GoogleJSONScanner) throws -> Value) throws -> Value {
        do {
            return try read(&self)
        } catch var wrong as WrongType {
            wrong.path.insert(name, at: 0)
            throw wrong
        }
    }

    /// nil for a JSON null, else what `read` makes of the value.
    private mutating func nullable<Value>(_ read: (inout GoogleJSONScanner) throws -> Value) throws -> Value? {
        skipSpace()
        if consume("null") { return nil }
        return try read(&self)
    }

    // MARK: - Syntax

    private var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    private var peekAfterSpace: UInt8? {
        mutating get {
            skipSpace()
            return peek
        }
    }

    private mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    private mutating func consume(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        let base = word.utf8Start
        for offset in 0..<count where bytes[index + offset] != base[offset] { return false }
        // A literal must end there (`nullx` is not null).
        if index + count < bytes.count {
            let next = bytes[index + count]
            if (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(next) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(next) { return false }
        }
        index += count
        return true
    }

    /// Whether the key's raw bytes (between the quotes, as written) are `name`. Keys with
    /// escapes never match, which is right for the API's plain ASCII names.
    private func equals(_ key: Range<Int>, _ name: StaticString) -> Bool {
        let count = name.utf8CodeUnitCount
        guard key.count == count else { return false }
        let base = name.utf8Start
        var offset = 0
        while offset < count {
            if bytes[key.lowerBound + offset] != base[offset] { return false }
            offset += 1
        }
        return true
    }

    /// Walks an object, handing each key's raw byte range to `body`, which must consume the value.
    private mutating func object(_ body: (inout GoogleJSONScanner, Range<Int>) throws -> Void) throws {
        skipSpace()
        guard peek == UInt8(ascii: "{") else { throw JSONSyntaxError() }
        index += 1
        skipSpace()
        if peek == UInt8(ascii: "}") {
            index += 1
            return
        }
        while true {
            skipSpace()
            guard peek == UInt8(ascii: "\"") else { throw JSONSyntaxError() }
            let key = try rawString()
            skipSpace()
            guard peek == UInt8(ascii: ":") else { throw JSONSyntaxError() }
            index += 1
            try body(&self, key)
            skipSpace()
            switch peek {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): index += 1; return
            default: throw JSONSyntaxError()
            }
        }
    }

    /// Walks an array; `body` must consume each element.
    private mutating func array(_ body: (inout GoogleJSONScanner) throws -> Void) throws {
        skipSpace()
        guard peek == UInt8(ascii: "[") else { throw JSONSyntaxError() }
        index += 1
        skipSpace()
        if peek == UInt8(ascii: "]") {
            index += 1
            return
        }
        while true {
            try body(&self)
            skipSpace()
            switch peek {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return
            default: throw JSONSyntaxError()
            }
        }
    }

    private mutating func skipValue(depth: Int = 0) throws {
        guard depth < 200 else { throw JSONSyntaxError() }
        skipSpace()
        guard let byte = peek else { throw JSONSyntaxError() }
        switch byte {
        case UInt8(ascii: "{"): try object { s, _ in try s.skipValue(depth: depth + 1) }
        case UInt8(ascii: "["): try array { s in try s.skipValue(depth: depth + 1) }
        case UInt8(ascii: "\""): _ = try rawString()
        case UInt8(ascii: "t"): guard consume("true") else { throw JSONSyntaxError() }
        case UInt8(ascii: "f"): guard consume("false") else { throw JSONSyntaxError() }
        case UInt8(ascii: "n"): guard consume("null") else { throw JSONSyntaxError() }
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try skipNumber()
        default: throw JSONSyntaxError()
        }
    }

    private mutating func skipNumber() throws {
        let start = index
        if peek == UInt8(ascii: "-") { index += 1 }
        let digitsStart = index
        while let byte = peek, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { index += 1 }
        guard index > digitsStart else { throw JSONSyntaxError() }
        if bytes[digitsStart] == UInt8(ascii: "0") && index - digitsStart > 1 { throw JSONSyntaxError() }
        if peek == UInt8(ascii: ".") {
            index += 1
            let fraction = index
            while let byte = peek, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { index += 1 }
            guard index > fraction else { throw JSONSyntaxError() }
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            index += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { index += 1 }
            let exponent = index
            while let byte = peek, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { index += 1 }
            guard index > exponent else { throw JSONSyntaxError() }
        }
        guard index > start else { throw JSONSyntaxError() }
    }

    /// The bytes between a string's quotes, as written (escapes not resolved), checked.
    private mutating func rawString() throws -> Range<Int> {
        index += 1  // the opening quote
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let range = start..<index
                index += 1
                return range
            }
            if byte == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            guard byte >= 0x20 else { throw JSONSyntaxError() }
            index += 1
        }
        throw JSONSyntaxError()
    }

    /// A string value with its escapes resolved.
    private mutating func string() throws -> String {
        let range = try rawString()
        let raw = UnsafeBufferPointer(rebasing: bytes[range])
        guard raw.contains(UInt8(ascii: "\\")) else { return String(decoding: raw, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        while i < raw.count {
            let byte = raw[i]
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                i += 1
                continue
            }
            guard i + 1 < raw.count else { throw JSONSyntaxError() }
            let escaped = raw[i + 1]
            i += 2
            switch escaped {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escaped)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try Self.hex4(raw, &i)
                if (0xD800...0xDBFF).contains(scalar) {
                    // A high surrogate must be followed by a low one.
                    guard i + 1 < raw.count, raw[i] == UInt8(ascii: "\\"), raw[i + 1] == UInt8(ascii: "u") else { throw JSONSyntaxError() }
                    i += 2
                    let low = try Self.hex4(raw, &i)
                    guard (0xDC00...0xDFFF).contains(low) else { throw JSONSyntaxError() }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    throw JSONSyntaxError()
                }
                guard let unicode = Unicode.Scalar(scalar) else { throw JSONSyntaxError() }
                out.append(contentsOf: Array(String(Character(unicode)).utf8))
            default:
                throw JSONSyntaxError()
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hex4(_ raw: UnsafeBufferPointer<UInt8>, _ i: inout Int) throws -> UInt32 {
        guard i + 4 <= raw.count else { throw JSONSyntaxError() }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = raw[i]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw JSONSyntaxError()
            }
            value = value << 4 | UInt32(digit)
            i += 1
        }
        return value
    }
}
