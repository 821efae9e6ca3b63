import ImportCore

/// An address book of the account.
struct AddressBook: Sendable, Hashable {
    var location: DAVLocation
    var displayName: String?

    /// The name shown to the user: the display name, else the last path segment.
    var name: String {
        if let displayName, !displayName.trimmingSpaces.isEmpty { return displayName.trimmingSpaces }
        return location.lastSegment
    }
}

/// Finds the account's address books: RFC 6764 (`/.well-known/carddav`, redirects
/// followed with the PROPFIND intact), then RFC 6352 (`current-user-principal`,
/// `addressbook-home-set`, the home's address-book collections). A URL that already
/// names an address book is used as it is.
struct CardDAVDiscovery {
    let transport: DAVTransport
    let hint: String

    func addressBooks(from start: DAVLocation) async throws -> [AddressBook] {
        var contexts: [DAVLocation] = []
        if start.path != "/" && !start.path.hasPrefix("/.well-known/") { contexts.append(start) }
        contexts.append(start.with(path: "/.well-known/carddav"))
        contexts.append(start.with(path: "/"))

        var principal: DAVLocation?
        var home: DAVLocation?
        for context in contexts {
            let response = try await transport.send("PROPFIND", context, depth: "0", body: DAVRequestBody.principal)
            switch response.status {
            case 207:
                let items = try DAVMultistatus.parse(response.body, what: "PROPFIND \(context.path)")
                guard let item = items.first else { continue }
                let here = response.location.resolving(item.href) ?? response.location
                if item.resourceTypes.contains(.addressbook) {
                    return [AddressBook(location: here, displayName: item.property(.displayname)?.text)]
                }
                principal = item.property(.currentUserPrincipal)?.hrefs.first.flatMap(response.location.resolving)
                home = item.property(.addressbookHomeSet)?.hrefs.first.flatMap(response.location.resolving)
            case 401:
                throw credentialsRefused(response)
            case 403:
                throw forbidden(response)
            case 400, 404, 405, 406, 409, 415, 501:
                continue
            default:
                throw CardDAVStatus.error(for: response, what: "PROPFIND \(context.path)", hint: hint)
            }
            if principal != nil || home != nil { break }
        }

        if home == nil, let principal {
            let response = try await transport.send("PROPFIND", principal, depth: "0", body: DAVRequestBody.homeSet)
            try CardDAVStatus.expectMultistatus(response, what: "PROPFIND \(principal.path)", hint: hint)
            let items = try DAVMultistatus.parse(response.body, what: "PROPFIND \(principal.path)")
            home = items.first?.property(.addressbookHomeSet)?.hrefs.first.flatMap(response.location.resolving)
            if home == nil { home = principal }
        }
        guard let home else {
            throw ImportError(.addressBookUnavailable, "no CardDAV account found at \(start.url): the server names no principal or address-book home")
        }

        let response = try await transport.send("PROPFIND", home, depth: "1", body: DAVRequestBody.addressBooks)
        try CardDAVStatus.expectMultistatus(response, what: "PROPFIND \(home.path)", hint: hint)
        let items = try DAVMultistatus.parse(response.body, what: "PROPFIND \(home.path)")
        var books: [AddressBook] = []
        var seen: Set<String> = []
        for item in items where item.resourceTypes.contains(.addressbook) {
            guard let location = response.location.resolving(item.href), seen.insert(location.matchKey).inserted else { continue }
            books.append(AddressBook(location: location, displayName: item.property(.displayname)?.text))
        }
        return books
    }

    private func credentialsRefused(_ response: DAVResponse) -> ImportError {
        CardDAVStatus.error(for: response, what: "PROPFIND", hint: hint)
    }

    private func forbidden(_ response: DAVResponse) -> ImportError {
        CardDAVStatus.error(for: response, what: "PROPFIND", hint: hint)
    }
}

/// The one place HTTP statuses become table codes.
enum CardDAVStatus {
    static func expectMultistatus(_ response: DAVResponse, what: String, hint: String) throws {
        guard response.status == 207 else { throw error(for: response, what: what, hint: hint) }
    }

    static func error(for response: DAVResponse, what: String, hint: String) -> ImportError {
        let place = response.location.url
        switch response.status {
        case 401:
            return ImportError(.credentialsMismatch, "\(response.location.origin) refused the username or password (401). \(hint)")
        case 403:
            return ImportError(.addressBookUnavailable, "this account may not read \(place) (403 Forbidden)")
        case 404, 410:
            return ImportError(.addressBookUnavailable, "\(place) does not exist (\(response.status))")
        case 429:
            return ImportError(.addressBookUnavailable, "\(response.location.origin) kept answering 429 Too Many Requests")
        case 500...599:
            return ImportError(.addressBookUnavailable, "\(response.location.origin) kept failing with \(response.status) on \(what)")
        default:
            return ImportError(.webmailUnexpected, "\(what) at \(place) answered \(response.status)")
        }
    }
}
