import ImportCore

/// Writes lines in mutt `query_command` output form: `email<TAB>name<TAB>type` for each
/// email of each contact, the primary email first; the third field (the email's label)
/// is left out when there is none.
///
/// Nothing precedes the entries: mutt itself ignores the first line of a query program's
/// output, so a script that serves this file to mutt should print a status line first
/// (e.g. `echo; grep -i "$1" contacts.txt`). Our reader accepts the file either way.
public struct MuttQueryEncoder: ContactEncoder {
    public init() {}

    public func encode(_ contacts: [Contact], into output: inout [UInt8]) {
        var writer = Writer()
        writer.writeAll(contacts, into: &output)
    }

    /// Writes from the contact's bytes.
    public struct Writer: ContactStreamWriter {
        typealias Text = UnsafeBufferPointer<UInt8>

        /// Contacts without an email address: they have no line to be written on.
        public private(set) var contactsLeftOut = 0

        public init() {}

        public mutating func begin(into output: inout OutputBytes) {}
        public mutating func end(into output: inout OutputBytes) {}

        public mutating func write(_ contact: Contact, into output: inout OutputBytes) {
            let start = output.count
            contact.withBytes { Self.write($0, into: &output) }
            if output.count == start { contactsLeftOut += 1 }
        }

        private static func write(_ contact: ContactBytes, into output: inout OutputBytes) {
            guard let primary = contact.primaryEmailIndex else { return }
            // Where the first line's name was written: the later lines copy it.
            var name: Range<Int>?
            writeLine(contact.email(primary), of: contact, name: &name, into: &output)
            for index in 0..<contact.emailCount where index != primary {
                writeLine(contact.email(index), of: contact, name: &name, into: &output)
            }
        }

        private static func writeLine(
            _ email: ContactBytes.Item, of contact: ContactBytes, name: inout Range<Int>?, into output: inout OutputBytes
        ) {
            // An address of blanks alone would be a line without one, which reads back as nothing.
            guard email.value.contains(where: { $0 != 0x20 && !(0x09...0x0D).contains($0) }) else { return }
            appendClean(email.value, to: &output)
            output.append(0x09)
            if let name {
                output.appendCopy(of: name)
            } else {
                let start = output.count
                appendName(contact, to: &output)
                name = start..<output.count
            }
            if let type = email.type, !type.isEmpty {
                output.append(0x09)
                appendClean(type, to: &output)
            }
            output.append(0x0A)
        }

        /// The display name, else the name parts joined by spaces (`MuttNames.fullName`).
        private static func appendName(_ contact: ContactBytes, to output: inout OutputBytes) {
            let display = contact.bytes(.displayName)
            if !display.isEmpty { return appendClean(display, to: &output) }
            let first = contact.bytes(.firstName), middle = contact.bytes(.middleName), last = contact.bytes(.lastName)
            // A first name holding a comma is written "Last, First", as MuttNames.fullName
            // does, so that the readers' split at the first comma gives it back whole.
            if first.contains(UInt8(ascii: ",")), middle.isEmpty, !last.contains(UInt8(ascii: ",")) {
                appendClean(last, to: &output)
                output.append(", ")
                return appendClean(first, to: &output)
            }
            // Three calls, not a loop over an array of the parts, which would be allocated.
            var joined = false
            func appendPart(_ part: Text) {
                guard !part.isEmpty else { return }
                if joined { output.append(0x20) }
                appendClean(part, to: &output)
                joined = true
            }
            appendPart(first)
            appendPart(middle)
            appendPart(last)
        }

        /// Fields cannot hold tabs or line breaks: each tab and each line break (a CR LF
        /// pair is one, as it is one `Character`; so are VT, FF, NEL, U+2028 and U+2029)
        /// becomes a space.
        static func appendClean(_ text: Text, to output: inout OutputBytes) {
            guard let base = text.baseAddress else { return }
            let count = text.count
            var runStart = 0
            var index = 0
            while index < count {
                // Most text has none of the bytes looked for (all below 0x0E or from 0x80):
                // eight bytes at a time while a word holds none.
                if index + 8 <= count {
                    let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                    let ones: UInt64 = 0x0101_0101_0101_0101
                    if ((word &- ones &* 0x0E) | word) & (ones << 7) == 0 {
                        index += 8
                        continue
                    }
                }
                let byte = base[index]
                var length = 0
                if byte <= 0x0D {
                    if byte >= 0x09 { length = byte == 0x0D && index + 1 < count && base[index + 1] == 0x0A ? 2 : 1 }
                } else if byte == 0xC2 {
                    if index + 1 < count, base[index + 1] == 0x85 { length = 2 }
                } else if byte == 0xE2 {
                    if index + 2 < count, base[index + 1] == 0x80, base[index + 2] == 0xA8 || base[index + 2] == 0xA9 { length = 3 }
                }
                guard length > 0 else {
                    index += 1
                    continue
                }
                output.append(contentsOf: Text(start: base + runStart, count: index - runStart))
                output.append(0x20)
                index += length
                runStart = index
            }
            output.append(contentsOf: Text(start: base + runStart, count: count - runStart))
        }
    }
}
