import Testing
@testable import ContactFormats
import ImportCore

/// Rows that repeat values, split multi-valued cells or mix encodings: each contact
/// reads as its own row says, however its neighbours look.
@Suite struct CSVRowValueTests {
    static let header = "First Name,Organization Name,Organization Title,Labels,E-mail 1 - Label,E-mail 1 - Value,"
        + "Address 1 - Label,Address 1 - City,Address 1 - Country\n"

    @Test func equalListsInNeighbouringRowsReadTheSame() throws {
        let csv = Self.header
            + "Ann,Sample Software GmbH,Engineer,* myContacts ::: Friends ::: Book club,* Home,ann@example.org,Home,Berlin,Germany\n"
            + "Bob,Sample Software GmbH,Engineer,* myContacts ::: Friends ::: Book club,Work,bob@example.org,,,\n"
            + "Cid,Globex Corporation International,Chef,* myContacts ::: Family,,cid@example.org,Custom place,Springfield,United States\n"
            + "Dee,Sample Software GmbH,,* myContacts ::: Friends ::: Book club,,dee@example.org,,,\n"
            + "Eve,,,* myContacts,,eve@example.org,,,\n"
        let contacts = try decodeCSV(csv).contacts
        #expect(contacts.map(\.firstName) == ["Ann", "Bob", "Cid", "Dee", "Eve"])
        #expect(contacts.map(\.groups) == [
            ["Friends", "Book club"], ["Friends", "Book club"], ["Family"], ["Friends", "Book club"], [],
        ])
        #expect(contacts.map(\.companies) == [
            ["Sample Software GmbH"], ["Sample Software GmbH"], ["Globex Corporation International"],
            ["Sample Software GmbH"], [],
        ])
        #expect(contacts.map(\.jobTitle) == ["Engineer", "Engineer", "Chef", nil, nil])
        #expect(contacts.map { $0.addresses.map(\.city) } == [["Berlin"], [], ["Springfield"], [], []])
        #expect(contacts[2].addresses.first?.type == "Custom place")
        #expect(contacts[2].addresses.first?.country == "United States")

        // Changing one contact leaves the others alone.
        var changed = contacts[1]
        changed.groups.append("Chess")
        #expect(changed.groups == ["Friends", "Book club", "Chess"])
        #expect(contacts[0].groups == ["Friends", "Book club"])
    }

    @Test func repeatedLongTextsReadTheSame() throws {
        let csv = Self.header
            + "Ann,,Senior Staff Engineer II,Long group name one ::: Alpha,Conference contact,a@example.org,Weekend place abroad,Rio de Janeiro (Centro),Federative Republic of Brazil\n"
            + "Bob,,Senior Staff Engineer II,Long group name one ::: Beta,Conference contact,b@example.org,Weekend place abroad,Rio de Janeiro (Centro),Federative Republic of Brazil\n"
        let contacts = try decodeCSV(csv).contacts
        #expect(contacts.map(\.groups) == [["Long group name one", "Alpha"], ["Long group name one", "Beta"]])
        #expect(contacts.map(\.jobTitle) == ["Senior Staff Engineer II", "Senior Staff Engineer II"])
        #expect(contacts.map { $0.addresses.first?.country } == ["Federative Republic of Brazil", "Federative Republic of Brazil"])
        #expect(contacts[1].emails.first?.type == "Conference contact")
        #expect(contacts[1].addresses.first?.city == "Rio de Janeiro (Centro)")
    }

    @Test func legacyOrganizationNamesStayWholeWhileCompanyCellsSplit() throws {
        let legacy = "Name,E-mail 1 - Value,Organization 1 - Name,Organization 1 - Title\n"
            + "Ann Lee,a@example.org,Alpha ::: Beta,Chief\n"
            + "Bob Lee,b@example.org,Alpha ::: Beta,\n"
        #expect(try decodeCSV(legacy).contacts.map(\.companies) == [["Alpha ::: Beta"], ["Alpha ::: Beta"]])
        let generic = "Name,Email,Company\n"
            + "Ann Lee,a@example.org,Alpha ::: Beta\n"
            + "Bob Lee,b@example.org,Alpha ::: Beta\n"
        #expect(try decodeCSV(generic).contacts.map(\.companies) == [["Alpha", "Beta"], ["Alpha", "Beta"]])
        let both = "Name,Email,Company,Organization 1 - Name\n"
            + "Ann Lee,a@example.org,Alpha ::: Beta,Alpha ::: Beta\n"
            + "Bob Lee,b@example.org,,Alpha ::: Beta\n"
            + "Cid Lee,c@example.org,Alpha ::: Beta,\n"
        #expect(try decodeCSV(both).contacts.map(\.companies) == [
            ["Alpha", "Beta", "Alpha ::: Beta"], ["Alpha ::: Beta"], ["Alpha", "Beta"],
        ])
    }

    @Test func valuesStayCorrectAcrossManyAlternatingRows() throws {
        let companies = ["Example Widgets Limited", "Demo & Sons Incorporated", "Acme, Inc. (Europe)", "Initech"]
        let cities = ["Saint Petersburg", "Rio de Janeiro", "Köln", "San Francisco Bay"]
        var csv = Self.header
        for index in 0..<2000 {
            let company = companies[index % companies.count]
            let city = cities[(index / 3) % cities.count]
            // Every 7th row has a company no other row has.
            let name = index % 7 == 0 ? "Unique Company Number \(index)" : company
            csv += "P\(index),\"\(name)\",Title \(index % 5),* myContacts ::: Group \(index % 11),Label \(index % 3),"
                + "p\(index)@example.org,Place \(index % 4),\(city),Country \(index % 2)\n"
        }
        let contacts = try decodeCSV(csv, chunkSizes: [4096, 333]).contacts
        #expect(contacts.count == 2000)
        for (index, contact) in contacts.enumerated() {
            let company = index % 7 == 0 ? "Unique Company Number \(index)" : companies[index % companies.count]
            #expect(contact.companies == [company])
            #expect(contact.jobTitle == "Title \(index % 5)")
            #expect(contact.groups == ["Group \(index % 11)"])
            #expect(contact.emails == [EmailAddress("p\(index)@example.org", type: "Label \(index % 3)")])
            #expect(contact.addresses.map(\.city) == [cities[(index / 3) % cities.count]])
            #expect(contact.addresses.map(\.type) == ["Place \(index % 4)"])
        }
    }

    @Test func aRowMixingUTF8AndWindows1252DecidesCellByCell() throws {
        var bytes = Array("First Name,Last Name,E-mail,Labels\n".utf8)
        bytes += Array("Zoë,M".utf8) + [0xFC] + Array("ller,z@example.de,Book club ::: Caf\u{E9} regulars\n".utf8)
        bytes += Array("Zoë,Smith,s@example.org,Book club ::: Caf\u{E9} regulars\n".utf8)
        let contacts = try decodeCSV(bytes).contacts
        #expect(contacts.map(\.firstName) == ["Zoë", "Zoë"])
        #expect(contacts.map(\.lastName) == ["Müller", "Smith"])
        #expect(contacts.map(\.groups) == [["Book club", "Café regulars"], ["Book club", "Café regulars"]])
    }

    @Test func separatorsAreFoundAroundUnescapedCells() throws {
        let csv = "First Name,Notes,Labels,E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Value\n"
            + "Ann,\"say \"\"hi\"\" ::: twice\",\"* myContacts ::: \"\"Best\"\" friends ::: Work\",Home,a@example.org,\"555 ::: 556\"\n"
            + "Bob,plain,Work,Home,b@example.org ::: c@example.org,557\n"
        let contacts = try decodeCSV(csv).contacts
        #expect(contacts.map(\.notes) == ["say \"hi\" ::: twice", "plain"])
        #expect(contacts.map(\.groups) == [["\"Best\" friends", "Work"], ["Work"]])
        #expect(contacts.map { $0.emails.map(\.address) } == [["a@example.org"], ["b@example.org", "c@example.org"]])
        #expect(contacts.map { $0.phones.map(\.number) } == [["555", "556"], ["557"]])
    }
}
