import Foundation
import ImportCore

/// One Google import: waits for consent (the loopback redirect or a pasted address),
/// exchanges the code, checks that the contacts scope was granted, then reads the contact
/// groups, every page of connections (and of other contacts when asked) and the account's
/// own name, and revokes the grant before it returns, whatever the outcome.
struct GoogleSource: ContactSource {
    let wait: AuthorizationWait
    let listener: LoopbackRedirect?
    let pkce: PKCE
    let redirectURI: String
    let otherContacts: Bool
    let tokens: GoogleTokens
    let http: ProviderHTTP
    let peopleURL: String
    let limits: APILimits

    func gather(progress: any ImportProgressReporter) async throws -> GatheredContacts {
        let response = try await wait.response()
        await listener?.stop()
        let code: Secret
        switch response {
        case .code(let value):
            code = value
        case .refused(let error, let description):
            throw Self.refusal(error: error, description: description)
        }
        let deadline = limits.importDeadline
        do {
            let result = try await withTimeout(deadline) { [self] in
                try await importContacts(code: code, progress: progress)
            }
            await revokeOutsideCancellation()
            return result
        } catch is RequestTimedOut {
            await revokeOutsideCancellation()
            throw ImportError(.webmailTimedOut, "the import did not finish within \(deadline.spoken)")
        } catch {
            await revokeOutsideCancellation()
            throw error
        }
    }

    /// The revocation runs even when the import's task was cancelled.
    private func revokeOutsideCancellation() async {
        let tokens = self.tokens
        await Task.detached { await tokens.revoke() }.value
    }

    private func importContacts(code: Secret, progress: any ImportProgressReporter) async throws -> GatheredContacts {
        let grant = try await tokens.exchange(code: code, verifier: pkce.verifier, redirectURI: redirectURI)
        try Self.checkScopes(grant, otherContacts: otherContacts)
        let tokens = self.tokens
        let session = BearerSession(grant: grant) { refreshToken in try await tokens.refresh(refreshToken) }
        let api = GooglePeopleAPI(http: http, session: session, baseURL: peopleURL)

        // The group names and the account's profile travel beside the first page of
        // contacts: three answers for the wait of one.
        async let names = groupNames(api)
        async let profile = self.profile(api)
        var firstPage: GoogleConnectionsPage? = try await api.connections(pageToken: nil)
        let mapper = GooglePersonMapper(groupNames: try await names)
        var reader = GoogleRecordReader(mapper: mapper)
        var total: Int?
        var started = false

        var pageToken: String?
        repeat {
            let page: GoogleConnectionsPage
            if let first = firstPage {
                page = first
                firstPage = nil
            } else {
                page = try await api.connections(pageToken: pageToken)
            }
            if !started {
                // Google leaves zero counts out: a single page without one holds the whole book.
                total = page.totalItems ?? page.totalPeople ?? (page.nextPageToken == nil ? page.connections?.count ?? 0 : nil)
                progress.startGathering(total: total)
                reader.reserve(total ?? 0)
                started = true
            }
            reader.absorb(page.connections, list: "contact")
            progress.gathered(reader.contacts.count, total: total.map { max($0, reader.contacts.count) })
            pageToken = try Self.next(page.nextPageToken, after: pageToken)
        } while pageToken != nil

        if otherContacts {
            let counted = total
            pageToken = nil
            var first = true
            repeat {
                let page = try await api.otherContacts(pageToken: pageToken)
                if first, let size = page.totalSize, let counted { total = counted + size }
                first = false
                reader.absorb(page.otherContacts, list: "other contact")
                progress.gathered(reader.contacts.count, total: total.map { max($0, reader.contacts.count) })
                pageToken = try Self.next(page.nextPageToken, after: pageToken)
            } while pageToken != nil
        }

        let owner = try await profile.map(mapper.owner)
        let (contacts, skipped) = reader.finish()
        return GatheredContacts(contacts: contacts, owner: owner, skipped: skipped)
    }

    /// Group id → name: user groups by their name, system groups by their localised name.
    private func groupNames(_ api: GooglePeopleAPI) async throws -> [String: String] {
        var names: [String: String] = [:]
        var pageToken: String?
        repeat {
            let page = try await api.groups(pageToken: pageToken)
            for record in page.contactGroups ?? [] {
                guard case .success(let group) = record.result, let resource = group.resourceName else { continue }
                let id = resource.hasPrefix("contactGroups/") ? String(resource.dropFirst("contactGroups/".count)) : resource
                let system = group.groupType == "SYSTEM_CONTACT_GROUP"
                let name = system ? (GooglePersonMapper.text(group.formattedName) ?? GooglePersonMapper.text(group.name))
                    : (GooglePersonMapper.text(group.name) ?? GooglePersonMapper.text(group.formattedName))
                if let name { names[id] = name }
            }
            pageToken = try Self.next(page.nextPageToken, after: pageToken)
        } while pageToken != nil
        return names
    }

    /// The account's own profile; an account whose profile cannot be read (a 403 or 404:
    /// the contacts scopes do not always cover it) has no owner.
    private func profile(_ api: GooglePeopleAPI) async throws -> GooglePerson? {
        do {
            return try await api.me()
        } catch let error as ImportError where error.code == .consentRefused || error.code == .webmailUnexpected {
            return nil
        }
    }

    /// The next page token, or nil at the end. A server repeating the same token would
    /// loop for ever: that is a broken answer.
    static func next(_ token: String?, after previous: String?) throws -> String? {
        guard let token, !token.isEmpty else { return nil }
        guard token != previous else {
            throw ImportError(.webmailUnexpected, "Google sent the same page token twice; the import stopped rather than loop")
        }
        return token
    }

    /// The grant must cover reading the contacts (the person may untick it on Google's page).
    static func checkScopes(_ grant: TokenGrant, otherContacts: Bool) throws {
        var missing: [String] = []
        if !grant.grants(GoogleConsentRequest.contactsScope) { missing.append("your contacts") }
        if otherContacts && !grant.grants(GoogleConsentRequest.otherContactsScope) { missing.append("your other contacts") }
        guard missing.isEmpty else {
            throw ImportError(.consentRefused, "permission to read \(missing.joined(separator: " and ")) was not granted on Google's page (the box was left unticked); start again and tick it")
        }
    }

    static func refusal(error: String, description: String?) -> ImportError {
        let said = description.map { ": \($0.prefix(200))" } ?? ""
        if error == "access_denied" {
            return ImportError(.consentRefused, "access was denied on Google's page")
        }
        return ImportError(.consentUnexpected, "Google's page ended the sign-in with \(error)\(said)")
    }
}
