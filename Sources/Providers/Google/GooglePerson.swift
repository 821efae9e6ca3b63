/// A People API `Person` as far as contact-import reads it. Every field is optional: the
/// API leaves out what a person does not have, and unknown fields are ignored.
struct GooglePerson: Decodable, Sendable {
    var resourceName: String?
    var names: [Name]?
    var nicknames: [Text]?
    var emailAddresses: [Email]?
    var phoneNumbers: [Phone]?
    var addresses: [Address]?
    var organizations: [Organization]?
    var birthdays: [Birthday]?
    var events: [Event]?
    var urls: [Link]?
    var biographies: [Text]?
    var memberships: [Membership]?
    var photos: [Photo]?
    var userDefined: [UserDefined]?

    /// `FieldMetadata`: only whether the item is the person's primary one.
    struct Metadata: Decodable, Sendable {
        var primary: Bool?
    }

    struct Name: Decodable, Sendable {
        var metadata: Metadata?
        var displayName: String?
        var givenName: String?
        var middleName: String?
        var familyName: String?
        var honorificPrefix: String?
        var honorificSuffix: String?
    }

    /// Nicknames and biographies: a value and its metadata.
    struct Text: Decodable, Sendable {
        var metadata: Metadata?
        var value: String?
    }

    struct Email: Decodable, Sendable {
        var metadata: Metadata?
        var value: String?
        var type: String?
        var formattedType: String?
    }

    struct Phone: Decodable, Sendable {
        var metadata: Metadata?
        var value: String?
        var type: String?
        var formattedType: String?
    }

    struct Address: Decodable, Sendable {
        var metadata: Metadata?
        var formattedValue: String?
        var type: String?
        var formattedType: String?
        var poBox: String?
        var streetAddress: String?
        var extendedAddress: String?
        var city: String?
        var region: String?
        var postalCode: String?
        var country: String?
    }

    struct Organization: Decodable, Sendable {
        var metadata: Metadata?
        var name: String?
        var title: String?
        var department: String?
    }

    /// `Date`: a year of 0 or none means a date without its year.
    struct Date: Decodable, Sendable {
        var year: Int?
        var month: Int?
        var day: Int?
    }

    struct Birthday: Decodable, Sendable {
        var metadata: Metadata?
        var date: Date?
        var text: String?
    }

    struct Event: Decodable, Sendable {
        var metadata: Metadata?
        var date: Date?
        var type: String?
        var formattedType: String?
    }

    struct Link: Decodable, Sendable {
        var metadata: Metadata?
        var value: String?
        var type: String?
        var formattedType: String?
    }

    struct Membership: Decodable, Sendable {
        var contactGroupMembership: GroupMembership?
    }

    struct GroupMembership: Decodable, Sendable {
        var contactGroupId: String?
        var contactGroupResourceName: String?
    }

    struct Photo: Decodable, Sendable {
        var metadata: Metadata?
        var url: String?
        /// True for the placeholder Google draws from the initials: not a picture of anyone.
        var `default`: Bool?
    }

    struct UserDefined: Decodable, Sendable {
        var key: String?
        var value: String?
    }
}

/// A record of a list that decodes on its own: one that breaks the schema becomes its
/// error rather than failing the whole page.
struct EachRecord<Value: Decodable & Sendable>: Decodable, Sendable {
    var result: Result<Value, RecordProblem>

    init(result: Result<Value, RecordProblem>) {
        self.result = result
    }

    init(from decoder: any Decoder) throws {
        do {
            result = .success(try Value(from: decoder))
        } catch {
            var problem = (error as? DecodingError).map { RecordProblem($0, depth: decoder.codingPath.count) }
                ?? RecordProblem(reason: "\(error)")
            // The record's name, when that much of it can be read, says which one it was.
            problem.resourceName = (try? Named(from: decoder))?.resourceName
            result = .failure(problem)
        }
    }

    private struct Named: Decodable {
        var resourceName: String?
    }
}

/// Why a record could not be read, in a few words naming the field.
struct RecordProblem: Error, Sendable {
    var reason: String
    var resourceName: String?

    init(reason: String, resourceName: String? = nil) {
        self.reason = reason
        self.resourceName = resourceName
    }

    /// `depth` is how many keys lead to the record itself; the path is told from there.
    init(_ error: DecodingError, depth: Int) {
        func path(_ context: DecodingError.Context, _ extra: (any CodingKey)? = nil) -> String {
            var text = ""
            for key in (context.codingPath + (extra.map { [$0] } ?? [])).dropFirst(depth) {
                if let index = key.intValue { text += "[\(index)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
            }
            return text.isEmpty ? "the record" : text
        }
        switch error {
        case .typeMismatch(let type, let context):
            reason = "\(path(context)) is not \(Self.kind(type))"
        case .valueNotFound(let type, let context):
            reason = "\(path(context)) is null where \(Self.kind(type)) belongs"
        case .keyNotFound(let key, let context):
            reason = "\(path(context, key)) is missing"
        case .dataCorrupted(let context):
            reason = "\(path(context)) cannot be read"
        @unknown default:
            reason = "the record does not have the Person shape"
        }
    }

    private static func kind(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "text"
        case is Int.Type, is Double.Type: return "a number"
        case is Bool.Type: return "true or false"
        default:
            let name = "\(type)"
            if name.hasPrefix("Array") { return "a list" }
            return "an object"
        }
    }
}
