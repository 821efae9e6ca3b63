import Foundation
import ImportCore

/// Reads a whole Outlook address book through Graph: the account (`/me`), then every
/// contact folder (the default one is `/me/contacts`; the others are found by walking
/// `/me/contactFolders` and each folder's `childFolders`), each folder's contacts in pages of
/// up to 1000 with only the mapped fields, following `@odata.nextLink` as given.
///
/// Progress: the first page of every folder is asked for with `$count=true`, and the sum of
/// their `@odata.count` is the total shown. Graph counts contact groups in it too, so it is
/// approximate; it costs no extra request, and it is known after one request per folder
/// instead of after the whole book.
struct GraphAddressBook: Sendable {
    let client: GraphClient
    /// `https://graph.microsoft.com/v1.0`
    let root: String

    struct Folder: Sendable {
        /// nil for the default Contacts folder.
        var id: String?
        var name: String?

        var label: String { name.map { "folder \"\($0)\"" } ?? (id == nil ? "the Contacts folder" : "a folder without a name") }
    }

    func read(progress: any ImportProgressReporter) async throws -> GatheredContacts {
        // The account, the folder tree and the default folder's first page travel
        // together: one wait instead of three.
        let contactsFolder = Folder(id: nil, name: nil)
        async let account = client.object("\(root)/me?$select=id,givenName,surname,mail,userPrincipalName", what: "the account",
                                          missingIsNil: true)
        async let nested = otherFolders()
        async let opening = page(firstPageURL(of: contactsFolder), of: contactsFolder)
        var firstOfContactsFolder: GraphObject? = try await opening
        let folders = [contactsFolder] + (try await nested)
        let me = try await account

        // First pages: each is mapped at once (only packed contacts are kept, not the page),
        // and their counts make the total.
        var books = [GraphRecords](repeating: GraphRecords(), count: folders.count)
        var nextLinks: [String?] = []
        var total: Int? = 0
        var read = 0
        for (index, folder) in folders.enumerated() {
            let page: GraphObject
            if index == 0, let first = firstOfContactsFolder {
                page = first
                firstOfContactsFolder = nil
            } else {
                page = try await self.page(firstPageURL(of: folder), of: folder)
            }
            if case .number(let count)? = page["@odata.count"], count >= 0, count.isFinite, let sum = total {
                total = sum + Int(count)
            } else {
                total = nil
            }
            try books[index].add(page, from: folder, numberedFrom: read)
            read += books[index].read
            nextLinks.append(page["@odata.nextLink"]?.text)
            progress.gathered(books.reduce(0) { $0 + $1.contacts.count }, total: nil)
        }
        var gathered = books.reduce(0) { $0 + $1.contacts.count }
        progress.gathered(gathered, total: total.map { max($0, gathered) })

        for (index, folder) in folders.enumerated() {
            var page = try await nextLinks[index].asyncMap { try await self.page($0, of: folder) }
            while let current = page {
                // The next page travels while this one is mapped.
                let link = current["@odata.nextLink"]?.text
                async let following = link.asyncMap { try await self.page($0, of: folder) }
                let before = books[index].contacts.count
                try books[index].add(current, from: folder, numberedFrom: read)
                read += books[index].read
                gathered += books[index].contacts.count - before
                progress.gathered(gathered, total: total.map { max($0, gathered) })
                page = try await following
            }
        }
        let records = GraphRecords(joining: books)
        return GatheredContacts(contacts: records.contacts, owner: me.map(GraphContactMapper.owner), skipped: records.skipped)
    }

    /// Every folder under the default one, breadth first; a folder seen twice is read once.
    private func otherFolders() async throws -> [Folder] {
        var folders: [Folder] = []
        var seen: Set<String> = []
        var queue = ["\(root)/me/contactFolders?$top=1000&$select=id,displayName"]
        while !queue.isEmpty {
            var url: String? = queue.removeFirst()
            while let current = url {
                let page = try await client.object(current, what: "the list of contact folders") ?? GraphObject()
                guard case .array(let items)? = page["value"] else {
                    throw ImportError(.consentUnexpected, "Microsoft Graph sent the list of contact folders without its folders")
                }
                for item in items {
                    guard case .object(let fields) = item, let id = fields["id"]?.text, !id.isEmpty else {
                        throw ImportError(.consentUnexpected, "Microsoft Graph listed a contact folder without an id")
                    }
                    guard seen.insert(id).inserted else { continue }
                    let name = fields["displayName"]?.text?.trimmingCharacters(in: .whitespacesAndNewlines)
                    folders.append(Folder(id: id, name: name?.isEmpty == false ? name : nil))
                    queue.append("\(root)/me/contactFolders/\(Self.pathSegment(id))/childFolders?$top=1000&$select=id,displayName")
                }
                url = page["@odata.nextLink"]?.text
            }
        }
        return folders
    }

    private func page(_ url: String, of folder: Folder) async throws -> GraphObject {
        try await client.object(url, what: "the contacts of \(folder.label)") ?? [:]
    }

    private func firstPageURL(of folder: Folder) -> String {
        let path = folder.id.map { "/me/contactFolders/\(Self.pathSegment($0))/contacts" } ?? "/me/contacts"
        return "\(root)\(path)?$top=1000&$count=true&$select=\(GraphContactMapper.selectedFields.joined(separator: ","))"
    }

    private static let segmentCharacters = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~=")

    static func pathSegment(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: segmentCharacters) ?? id
    }
}

/// The contacts of one folder read so far, and the records that could not be, each with
/// its number in the order read and the reason.
struct GraphRecords {
    var contacts: [Contact] = []
    var skipped: [SkippedRecord] = []
    /// Records in the last page added.
    private(set) var read = 0

    init() {}

    /// One list of every folder's, in folder order.
    init(joining books: [GraphRecords]) {
        contacts = books.flatMap(\.contacts)
        skipped = books.flatMap(\.skipped).sorted { $0.line < $1.line }
    }

    /// A page's `value`; the records are numbered from `start + 1`.
    mutating func add(_ page: GraphObject, from folder: GraphAddressBook.Folder, numberedFrom start: Int) throws {
        guard case .array(let items)? = page["value"] else {
            throw ImportError(.consentUnexpected, "Microsoft Graph sent a page of \(folder.label) without a list of contacts")
        }
        add(items, from: folder, numberedFrom: start)
    }

    mutating func add(_ items: [GraphJSON], from folder: GraphAddressBook.Folder, numberedFrom start: Int) {
        read = 0
        for item in items {
            read += 1
            do {
                contacts.append(try GraphContactMapper.contact(item, folder: folder.name))
            } catch {
                skipped.append(SkippedRecord(line: start + read, reason: "contact \(Self.id(of: item)) in \(folder.label): \(error)"))
            }
        }
    }

    private static func id(of record: GraphJSON) -> String {
        guard case .object(let fields) = record, let id = fields["id"]?.text else { return "(no id)" }
        return id.count > 60 ? "…" + id.suffix(40) : id
    }
}

extension Optional where Wrapped: Sendable {
    /// `map` for an async transform.
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
