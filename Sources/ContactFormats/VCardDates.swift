import ImportCore

/// BDAY values in the forms real exports use, and the forms we write.
enum VCardDates {
    /// Reads `1985-04-15`, `19850415`, `--0415`, `--04-15`, `1985-04-15T00:00:00Z` and
    /// 4.0 date-and-or-time values. Apple marks a year-less birthday with
    /// `X-APPLE-OMIT-YEAR=<the placeholder year>`. Nil for anything that is not a whole
    /// calendar day (`---15`, `1985-04`, free text).
    static func birthday(from text: String, omitYear: Int? = nil) -> Birthday? {
        var text = text
        return text.withUTF8 { birthday($0, 0..<$0.count, omitYear: omitYear) }
    }

    static func birthday(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, omitYear: Int?) -> Birthday? {
        let hyphen = UInt8(ascii: "-")
        var end = range.upperBound
        // The date part only: drop a time.
        if let time = range.firstIndex(where: { bytes[$0] == UInt8(ascii: "T") }) { end = time }
        var start = range.lowerBound
        let yearless = end - start >= 2 && bytes[start] == hyphen && bytes[start + 1] == hyphen
        if yearless { start += 2 }
        // Up to eight digits, hyphens skipped, read as one number: YYYYMMDD or MMDD.
        var number = 0
        var count = 0
        for index in start..<end {
            let byte = bytes[index]
            if byte == hyphen { continue }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), count < 8 else { return nil }
            number = number * 10 + Int(byte - UInt8(ascii: "0"))
            count += 1
        }
        if yearless {
            guard count == 4 else { return nil }
            return Birthday(year: nil, month: number / 100, day: number % 100)
        }
        guard count == 8 else { return nil }
        let year = number / 10_000
        return Birthday(year: year == omitYear ? nil : year, month: number / 100 % 100, day: number % 100)
    }

    /// A small decimal parameter value such as Apple's omitted-year marker.
    static func number(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        guard !range.isEmpty, range.count <= 9 else { return nil }
        var value = 0
        for index in range {
            let byte = bytes[index]
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    /// 3.0: `YYYY-MM-DD`, and `--MM-DD` without a year (ISO 8601:2000 truncated form, which
    /// khard and our reader accept). 4.0: `YYYYMMDD` and `--MMDD` (RFC 6350 basic format).
    static func text(for birthday: Birthday, extended: Bool) -> String {
        let month = pad(birthday.month, 2)
        let day = pad(birthday.day, 2)
        let separator = extended ? "-" : ""
        guard let year = birthday.year else { return "--" + month + separator + day }
        return pad(year, 4) + separator + month + separator + day
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
