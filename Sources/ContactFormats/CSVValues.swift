import Foundation
import ImportCore

/// Parsers for the cell values CSV exports share: labels, birthdays, group lists, photos.
/// They work on cell bytes so that the common cases build no temporary strings.
enum CSVValues {
    // MARK: - Labels

    /// A Google label such as `* Home`, `Work Fax` or a custom one: the `* ` marks the
    /// primary item; well-known labels map to the `ContactLabel` vocabulary.
    /// `string` builds the text of a custom label (the row's, so that it can be shared).
    static func label(
        _ bytes: UnsafeBufferPointer<UInt8>?, string: (UnsafeBufferPointer<UInt8>) -> String = { CSVText.string($0) }
    ) -> (type: String?, primary: Bool) {
        guard var bytes else { return (nil, false) }
        var primary = false
        if bytes.first == UInt8(ascii: "*") {
            primary = true
            guard let rest = CSVBytes.trimmed(bytes, 1, bytes.count) else { return (nil, true) }
            bytes = rest
        }
        return (canonicalLabel(bytes) ?? string(bytes), primary)
    }

    /// The vocabulary word for a well-known label, spelled in any case.
    static func canonicalLabel(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        switch bytes.count {
        case 4:
            if CSVBytes.equalsLowercase(bytes, "home") { return ContactLabel.home }
            if CSVBytes.equalsLowercase(bytes, "work") { return ContactLabel.work }
            if CSVBytes.equalsLowercase(bytes, "main") { return ContactLabel.main }
            if CSVBytes.equalsLowercase(bytes, "cell") { return ContactLabel.mobile }
        case 5:
            if CSVBytes.equalsLowercase(bytes, "other") { return ContactLabel.other }
            if CSVBytes.equalsLowercase(bytes, "pager") { return ContactLabel.pager }
        case 6:
            if CSVBytes.equalsLowercase(bytes, "mobile") { return ContactLabel.mobile }
        case 8:
            if CSVBytes.equalsLowercase(bytes, "home fax") { return ContactLabel.homeFax }
            if CSVBytes.equalsLowercase(bytes, "work fax") { return ContactLabel.workFax }
            if CSVBytes.equalsLowercase(bytes, "business") { return ContactLabel.work }
        case 9:
            if CSVBytes.equalsLowercase(bytes, "other fax") { return ContactLabel.otherFax }
        case 12:
            if CSVBytes.equalsLowercase(bytes, "business fax") { return ContactLabel.workFax }
        default:
            break
        }
        return nil
    }

    // MARK: - Birthdays

    /// `1985-04-15` (time part ignored), `--04-15`, `4/15/1985` or `4/15/85` (US order,
    /// as Outlook writes), `15.04.1985`, `19850415`. `0/0/00` and anything that is not a
    /// calendar date give nil.
    static func birthday(_ bytes: UnsafeBufferPointer<UInt8>?) -> Birthday? {
        guard let bytes else { return nil }
        var numbers = (0, 0, 0)
        var digits = (0, 0, 0)
        var count = 0
        var separator: UInt8 = 0
        var index = 0
        let yearless = CSVBytes.hasPrefix(bytes, "--")
        if yearless { index = 2 }
        while index < bytes.count, count < 3 {
            let byte = bytes[index]
            guard byte >= 0x30 && byte <= 0x39 else {
                if count == 0 { return nil }
                if separator == 0 { separator = byte }
                guard byte == separator else { break }
                index += 1
                continue
            }
            var value = 0
            var length = 0
            while index < bytes.count, bytes[index] >= 0x30 && bytes[index] <= 0x39, length < 9 {
                value = value * 10 + Int(bytes[index] - 0x30)
                length += 1
                index += 1
            }
            switch count {
            case 0: (numbers.0, digits.0) = (value, length)
            case 1: (numbers.1, digits.1) = (value, length)
            default: (numbers.2, digits.2) = (value, length)
            }
            count += 1
        }
        if yearless {
            if count == 2 { return Birthday(year: nil, month: numbers.0, day: numbers.1) }
            if count == 1 && digits.0 == 4 { return Birthday(year: nil, month: numbers.0 / 100, day: numbers.0 % 100) }
            return nil
        }
        switch count {
        case 1 where digits.0 == 8:
            return Birthday(year: numbers.0 / 10000, month: numbers.0 / 100 % 100, day: numbers.0 % 100)
        case 2:
            // A bare month and day ("04-15", "4/15").
            return Birthday(year: nil, month: numbers.0, day: numbers.1)
        case 3 where digits.0 == 4:
            return Birthday(year: numbers.0, month: numbers.1, day: numbers.2)
        case 3 where separator == UInt8(ascii: "/"):
            return Birthday(year: fullYear(numbers.2, digits: digits.2), month: numbers.0, day: numbers.1)
        case 3:
            return Birthday(year: fullYear(numbers.2, digits: digits.2), month: numbers.1, day: numbers.0)
        default:
            return nil
        }
    }

    /// Two-digit years as spreadsheets write them: 00–29 are 20xx, the rest 19xx.
    private static func fullYear(_ year: Int, digits: Int) -> Int {
        guard digits <= 2 else { return year }
        return year < 30 ? 2000 + year : 1900 + year
    }

    static func googleBirthday(_ birthday: Birthday) -> String {
        birthday.dob ?? "--" + birthday.monthDay
    }

    /// M/D/YYYY, the US short date Outlook writes; nil without a year (Outlook cannot hold one).
    static func outlookBirthday(_ birthday: Birthday) -> String? {
        guard let year = birthday.year else { return nil }
        return "\(birthday.month)/\(birthday.day)/\(year)"
    }

    // MARK: - Groups

    /// The bytes of every group name in the cell, in order: Google's `* myContacts :::
    /// Friends` or Outlook's `Friends;Family`. Google's system groups (`* myContacts`,
    /// `* starred`) are not groups a person made, so they are left out.
    static func forEachGroup(in bytes: UnsafeBufferPointer<UInt8>?, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        guard let bytes else { return }
        let googleStyle = CSVBytes.firstSeparator(in: bytes, from: 0) != nil
        var start = 0
        while start <= bytes.count {
            let end: Int
            let next: Int
            if googleStyle {
                let separator = CSVBytes.firstSeparator(in: bytes, from: start)
                end = separator?.lowerBound ?? bytes.count
                next = separator?.upperBound ?? bytes.count + 1
            } else {
                var index = start
                while index < bytes.count, bytes[index] != UInt8(ascii: ";") { index += 1 }
                end = index
                next = index + 1
            }
            if let name = group(CSVBytes.trimmed(bytes, start, end)) { body(name) }
            start = next
        }
    }

    /// The bytes of a group name, nil for a system group.
    private static func group(_ bytes: UnsafeBufferPointer<UInt8>?) -> UnsafeBufferPointer<UInt8>? {
        guard var bytes else { return nil }
        if bytes.first == UInt8(ascii: "*") {
            guard let rest = CSVBytes.trimmed(bytes, 1, bytes.count) else { return nil }
            bytes = rest
        }
        if CSVBytes.equalsLowercase(bytes, "mycontacts") || CSVBytes.equalsLowercase(bytes, "starred") { return nil }
        return bytes
    }

    // MARK: - Photos

    /// A link, or a `data:` URI (what the writers use for inline pictures).
    static func photo(_ text: String) -> Photo {
        guard text.hasPrefix("data:"), let comma = text.firstIndex(of: ",") else { return Photo(.url(text)) }
        let header = text[text.index(text.startIndex, offsetBy: 5)..<comma]
        guard header.hasSuffix(";base64"), let data = Data(base64Encoded: String(text[text.index(after: comma)...])) else {
            return Photo(.url(text))
        }
        let mediaType = String(header.dropLast(7))
        // `Photo.uriString` spells an unknown type this way; read it back as unknown.
        let known = mediaType.isEmpty || mediaType == "application/octet-stream" ? nil : mediaType
        return Photo(.data([UInt8](data), mediaType: known))
    }
}
