import Foundation

/// Every failure an import can end in, as the CloudSponge error table numbers them.
/// The code travels in an ERROR event's `value`; the category tells a client whether
/// the user gave up (Abandoned) or something went wrong (Failed).
public enum ErrorCode: Int, Sendable, CaseIterable, Codable, CustomStringConvertible {
    case authenticationFailed = 1
    case invalidParameters = 2
    case webmailUnexpected = 256
    case webmailFailed = 257
    case webmailTimedOut = 258
    case credentialsRequired = 259
    case serviceRequired = 260
    case serviceNotRecognised = 261
    case recentlyFailedToAuthenticate = 262
    case credentialsMismatch = 263
    case addressBookUnavailable = 264
    case accountCancelled = 265
    case accountBlocked = 266
    case termsChanged = 267
    case consentUnexpected = 512
    case domainNotPermitted = 513
    case consentRefused = 514
    case consentTimedOut = 516
    case consentAbandoned = 517
    case providerUnreachable = 518
    case newYahooUser = 528
    case appletUnexpected = 768
    case appletNotTrusted = 769
    case appletNoAddressBook = 770
    case appletSubmitFailed = 771
    case appletTrustTimedOut = 772
    case appletAbandoned = 773
    case outlookAccessRequired = 774
    case contactsAccessDenied = 775
    case fileNotContacts = 1025
    case fileUnparseable = 1026

    public enum Category: String, Sendable, Codable {
        case failed = "Failed"
        case abandoned = "Abandoned"
    }

    public var category: Category {
        switch self {
        case .consentRefused, .consentTimedOut, .consentAbandoned, .appletNotTrusted,
            .appletTrustTimedOut, .appletAbandoned, .outlookAccessRequired:
            return .abandoned
        default:
            return .failed
        }
    }

    /// The table's meaning, worded for the person who started the import.
    public var message: String {
        switch self {
        case .authenticationFailed: return "The domain key and password could not be authenticated."
        case .invalidParameters: return "Invalid parameters were passed to begin the import."
        case .webmailUnexpected: return "An unexpected error occurred while importing from the webmail account."
        case .webmailFailed: return "The webmail import failed."
        case .webmailTimedOut: return "The webmail import timed out."
        case .credentialsRequired: return "A username and password are required."
        case .serviceRequired: return "A service is required."
        case .serviceNotRecognised: return "The service is not recognised."
        case .recentlyFailedToAuthenticate: return "The same import recently failed to authenticate; wait before retrying."
        case .credentialsMismatch: return "The username and password do not match."
        case .addressBookUnavailable: return "The address book is temporarily unavailable."
        case .accountCancelled: return "The account has been cancelled."
        case .accountBlocked: return "The account is blocked; the password must be reset."
        case .termsChanged: return "The provider's terms of service changed; the user must sign in to accept them."
        case .consentUnexpected: return "An unknown error occurred during the consent import."
        case .domainNotPermitted: return "This domain is not permitted to use the service."
        case .consentRefused: return "The user refused consent."
        case .consentTimedOut: return "Consent was not granted in the allotted time."
        case .consentAbandoned: return "The user abandoned the import before granting consent."
        case .providerUnreachable: return "Could not talk to the address-book provider."
        case .newYahooUser: return "New Yahoo! users must wait 14 days before importing."
        case .appletUnexpected: return "An unexpected error occurred in the applet import."
        case .appletNotTrusted: return "The user did not trust the applet."
        case .appletNoAddressBook: return "The applet found no address book."
        case .appletSubmitFailed: return "The applet could not submit the contacts."
        case .appletTrustTimedOut: return "The applet was not trusted in the allotted time."
        case .appletAbandoned: return "The user abandoned the import before trusting the applet."
        case .outlookAccessRequired: return "The user must allow access to Outlook."
        case .contactsAccessDenied: return "The operating system denied access to Contacts."
        case .fileNotContacts: return "The file is not a contacts file."
        case .fileUnparseable: return "The contacts file could not be parsed."
        }
    }

    public var description: String { "\(rawValue) (\(category.rawValue)): \(message)" }
}

/// A failure carrying its table code and, where useful, what exactly went wrong.
public struct ImportError: Error, Sendable, Hashable, CustomStringConvertible {
    public var code: ErrorCode
    /// Specifics beyond the table's message ("line 12: unterminated quote"); never a secret.
    public var detail: String?
    /// Set when a file was refused for its size alone (bytes allowed), so that front
    /// ends say so instead of calling it "not a contacts file".
    public var sizeLimit: Int?

    public init(_ code: ErrorCode, _ detail: String? = nil) {
        self.code = code
        self.detail = detail
    }

    /// A file refused because it is larger than `limit` bytes (1025: nothing was read).
    public static func fileTooLarge(limit: Int) -> ImportError {
        var error = ImportError(.fileNotContacts, "the file is larger than the \(ConsentPageHTML.sizeText(limit)) limit")
        error.sizeLimit = limit
        return error
    }

    public var description: String {
        "error \(code.rawValue): " + explanation
    }

    /// The headline and the remark, as one text for a person to read.
    public var explanation: String { ([headline] + (remark.map { [$0] } ?? [])).joined(separator: " ") }

    /// The first sentence to show: the table's message, except that a cancellation says
    /// what happened ("The import was cancelled.") rather than the table's wording about
    /// consent, which is wrong for a file being read.
    public var headline: String {
        if detailIsHeadline, let sentence = Self.sentence(detail) { return sentence }
        return code.message
    }

    /// A cancellation or a size refusal is better said by its detail than by the table.
    private var detailIsHeadline: Bool { code == .consentAbandoned || sizeLimit != nil }

    /// The detail as a sentence of its own to follow the headline, if it adds anything.
    public var remark: String? {
        if detailIsHeadline, detail.flatMap(Self.sentence) != nil { return nil }
        return Self.sentence(detail)
    }

    /// Starts with a capital and ends with a full stop, so it reads after another sentence.
    static func sentence(_ text: String?) -> String? {
        guard let text = text?.trimmingCharacters(in: .whitespacesAndNewlines), let first = text.first else { return nil }
        // A word with capitals of its own (iCloud, vCard) keeps its spelling.
        let firstWord = text.prefix { !$0.isWhitespace }
        let keepsCase = firstWord.dropFirst().contains { $0.isUppercase }
        let capitalised = keepsCase ? text : first.uppercased() + text.dropFirst()
        return capitalised.last.map { ".!?".contains($0) } == true ? capitalised : capitalised + "."
    }
}
