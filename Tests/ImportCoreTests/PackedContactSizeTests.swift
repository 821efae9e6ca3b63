import Testing
@testable import ImportCore

/// An import holds every contact at once, so what a small contact costs beyond its text
/// decides the peak memory of a book of many small ones (a million one-cell CSV rows).
@Suite("Packed contact size")
struct PackedContactSizeTests {
    @Test func aContactWithOneShortNameTakesLittleMoreThanItsText() {
        let contact = Contact(firstName: "a")
        // The object's own header, the packed header, one slot and one byte of text.
        #expect(contact.packedByteCount <= 64)
        var packer = ContactPacker()
        packer[.firstName] = packer.text("a")
        #expect(packer.makeContact().packedByteCount == contact.packedByteCount)
    }

    @Test func absentFieldsTakeNoSlot() {
        let one = Contact(firstName: "a").packedByteCount
        let two = Contact(firstName: "a", lastName: "b").packedByteCount
        // One more slot (4 bytes) and one more byte of text.
        #expect(two - one == 5)
    }

    /// Every combination of present, empty and absent scalar fields reads back as set.
    @Test func everyMixOfPresentAndAbsentFieldsReadsBack() {
        let fields: [WritableKeyPath<ContactFields, String?>] = [
            \.firstName, \.middleName, \.lastName, \.title, \.suffix, \.displayName, \.nickname, \.department,
            \.jobTitle, \.notes, \.uid,
        ]
        for mask in 0..<(1 << fields.count) {
            var value = ContactFields()
            value.emails = [EmailAddress("e@example.org", type: nil)]
            for (bit, field) in fields.enumerated() where mask & 1 << bit != 0 {
                value[keyPath: field] = bit % 3 == 0 ? "" : "v\(bit)"
            }
            let contact = Contact(value)
            #expect(contact.fields == value)
            var packer = ContactPacker()
            for (bit, field) in ContactPacker.Field.allCases.enumerated() where mask & 1 << bit != 0 {
                packer[field] = packer.text(value[keyPath: fields[bit]])
            }
            packer.emails = [.init(value: packer.text("e@example.org"), type: .none)]
            let packed = packer.makeContact()
            #expect(packed == contact)
            #expect(packed.fields == value)
        }
    }
}
