import ContactFormats
import DemoService
import ImportCore

/// Seeds for the format targets: small demo address books written by our own writers,
/// and a few hand-written files for what our writers never produce (other programs'
/// dialects, groups, continuation lines, broken records).
enum FormatSeeds {
    /// One contact, a few: small inputs keep the fuzzer fast.
    static func books() -> [[Contact]] {
        [(1, 1), (3, 2)].map { DemoAddressBook(size: $0.0, seed: $0.1).contacts() }
    }

    static func written(_ formats: [ContactFormat]) -> [[UInt8]] {
        let books = books()
        return formats.flatMap { format in books.map { format.makeEncoder().encode($0) } }
    }

    static func seeds(_ formats: [ContactFormat], _ handWritten: [String]) -> [[UInt8]] {
        written(formats) + handWritten.map { Array($0.utf8) }
    }

    static let vcard = [
        "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=\r\n=C3=BCrgen\r\nTEL;CELL:+49 170 1234567\r\nAGENT:\r\nBEGIN:VCARD\r\nFN:Assistant\r\nEND:VCARD\r\nEND:VCARD\r\n",
        "BEGIN:VCARD\nVERSION:4.0\nFN:Ann Lee\nEMAIL;TYPE=work;PREF=1:ann@example.org\nADR;TYPE=home:;;1 Main St;Town;;12345;NL\nitem1.X-ABLabel:Other\nBDAY:--0412\nCATEGORIES:Friends,Work\nEND:VCARD\nBEGIN:VCARD\nFN:broken\n",
    ]

    static let csv = [
        "Notes:\n\"When exporting your connection data, you may notice that some of the email addresses are missing.\"\n\nFirst Name,Last Name,URL,Email Address,Company,Position,Connected On\nAnn,Lee,https://www.linkedin.com/in/ann,ann@example.org,Acme,CEO,01 Jan 2024\n",
        "First Name;Last Name;E-mail Address;Mobile Phone\r\nJürgen;Müller;jm@example.de;+49 170 1\r\n\"open;quote\r\n",
        "Name\tE-mail 1 - Value\tGroup Membership\nAnn Lee\tann@example.org\t* myContacts ::: Friends\n",
    ]

    static let ldif = [
        "version: 1\ndn: cn=Ann Lee,mail=ann@example.org\nobjectclass: person\ncn: Ann Lee\nmail: ann@example.org\ndescription:: w6ljb2xl\n  continued\n\ndn: cn=Friends\nobjectclass: groupOfNames\ncn: Friends\nmember: cn=Ann Lee,mail=ann@example.org\nmember: cn=Nobody\n",
    ]

    static let json = [
        "[{\"first_name\":\"Ann\",\"last_name\":\"Lee\",\"email\":[{\"address\":\"ann@example.org\",\"primary\":true}],\"phone\":[{\"number\":\"+1 555 0100\",\"type\":\"mobile\"}]}]",
        "{\"first_name\":\"Bo\",\"emails\":[\"bo@example.org\"],\"groups\":[\"x\"],\"birthday\":\"1990-04-12\"}",
    ]

    static let muttAlias = [
        "alias -group friends ann Ann Lee <ann@example.org>\nalias team ann, \"Bo, B.\" <bo@example.org>, \\\n  cy@example.org\nset sort=alias\n# comment\nalias q \"Quote \\\"Q\\\" Person\" <q@example.org>\n",
    ]

    static let muttQuery = [
        "Searching database ... 2 entries ... 2 matching:\nann@example.org\tAnn Lee\tfriend\nbo@example.org\tBo\n",
    ]
}
