import AsyncHTTPClient
import Foundation
import ImportCore
import NIOCore
import NIOHTTP1

/// A DAV answer: status, headers and the whole body, plus where it finally came from.
struct DAVResponse: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]
    /// The location that answered, after redirects; hrefs resolve against it.
    var location: DAVLocation
}

/// Sends DAV requests over AsyncHTTPClient with the credentials sent up front, follows
/// redirects itself (keeping the method, the body and, on the same site, the
/// credentials), retries 429, 5xx and dropped connections with backoff, and turns every
/// transport failure into an `ImportError`. The password lives only in `authorization`,
/// which nothing prints.
final class DAVTransport: Sendable {
    private let client: HTTPClient
    /// `Basic base64(user:password)` or `Bearer token`; never printed (see `Secret`).
    private let authorization: Secret
    private let settings: CardDAVSettings
    /// The site credentials may be sent to: the start host's last two labels.
    private let site: String

    static let maximumRedirects = 8

    init(start: DAVLocation, credentials: DAVCredentials, settings: CardDAVSettings) {
        var configuration: HTTPClient.Configuration
        if settings.acceptsUntrustedCertificates {
            configuration = HTTPClient.Configuration(certificateVerification: .none)
        } else {
            configuration = HTTPClient.Configuration()
        }
        configuration.redirectConfiguration = .disallow
        configuration.timeout = HTTPClient.Configuration.Timeout(
            connect: .nanoseconds(Int64(settings.connectTimeout.seconds * 1e9)),
            read: .nanoseconds(Int64(settings.requestTimeout.seconds * 1e9)))
        configuration.connectionPool = .init(idleTimeout: .seconds(30),
                                             concurrentHTTP1ConnectionsPerHostSoftLimit: max(8, settings.concurrency))
        // Compressed answers: a large book over a slow link comes in a fraction of the time.
        configuration.decompression = .enabled(limit: .size(settings.maxResponseBytes))
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        authorization = credentials.authorization
        self.settings = settings
        site = Self.site(of: start.host)
    }

    func shutdown() async {
        try? await client.shutdown()
    }

    /// Sends one request and returns any final (non-redirect) answer; the caller judges
    /// the status. Throws 518 when the server cannot be reached, 258 when it does not
    /// answer in time.
    func send(_ method: String, _ location: DAVLocation, depth: String? = nil, body: String? = nil) async throws -> DAVResponse {
        var attempt = 1
        while true {
            try Task.checkCancellation()
            let response: DAVResponse
            do {
                response = try await followingRedirects(method, location, depth: depth, body: body)
            } catch let failure as TransportFailure {
                guard failure.retryable, attempt < settings.maxAttempts else { throw failure.error }
                try await pause(backoff(attempt))
                attempt += 1
                continue
            }
            guard Self.isRetryable(response.status), attempt < settings.maxAttempts else { return response }
            let delay = Self.retryAfter(response.headers) ?? backoff(attempt)
            if delay > settings.maxRetryDelay {
                throw ImportError(.addressBookUnavailable,
                                  "\(location.origin) answered \(response.status) and asks to wait \(delay.spoken) before trying again")
            }
            try await pause(delay)
            attempt += 1
        }
    }

    static func isRetryable(_ status: Int) -> Bool {
        status == 429 || status == 500 || status == 502 || status == 503 || status == 504
    }

    private func followingRedirects(_ method: String, _ start: DAVLocation, depth: String?, body: String?) async throws -> DAVResponse {
        var location = start
        var sendCredentials = Self.site(of: start.host) == site
        for _ in 0...Self.maximumRedirects {
            let response = try await once(method, location, depth: depth, body: body, credentials: sendCredentials)
            guard [301, 302, 303, 307, 308].contains(response.status) else { return response }
            guard let header = response.headers.first(name: "location"), let next = location.resolving(header) else {
                throw ImportError(.webmailUnexpected, "\(location.url) redirected (\(response.status)) without a usable Location")
            }
            if location.isSecure && !next.isSecure {
                throw ImportError(.providerUnreachable, "\(location.origin) redirected to an unencrypted address (\(next.origin)); not following it")
            }
            // Credentials go only to the site the user named (iCloud answers from shard hosts
            // such as p42-contacts.icloud.com); elsewhere the request goes without them.
            sendCredentials = sendCredentials && Self.site(of: next.host) == site
            location = next
        }
        throw ImportError(.webmailUnexpected, "more than \(Self.maximumRedirects) redirects starting at \(start.url)")
    }

    private func once(_ method: String, _ location: DAVLocation, depth: String?, body: String?, credentials: Bool) async throws -> DAVResponse {
        var request = HTTPClientRequest(url: location.url)
        request.method = HTTPMethod(rawValue: method)
        if credentials { request.headers.add(name: "Authorization", value: authorization.value) }
        request.headers.add(name: "User-Agent", value: "contact-import")
        if let depth { request.headers.add(name: "Depth", value: depth) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/xml; charset=utf-8")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let limit = settings.maxResponseBytes
        let timeout = settings.requestTimeout
        do {
            return try await withTimeout(timeout) { [client, request] in
                let response = try await client.execute(request, timeout: .nanoseconds(Int64(timeout.seconds * 1e9)))
                var buffer = try await response.body.collect(upTo: limit)
                let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
                return DAVResponse(status: Int(response.status.code), headers: response.headers, body: bytes, location: location)
            }
        } catch is RequestTimedOut {
            throw ImportError(.webmailTimedOut, "\(location.origin) did not answer a \(method) within \(timeout.spoken)")
        } catch let error as ImportError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw Self.classify(error, method: method, origin: location.origin, timeout: timeout, connectTimeout: settings.connectTimeout)
        }
    }

    /// Maps a transport error to a table code; dropped or refused connections may be retried.
    static func classify(_ error: any Error, method: String, origin: String, timeout: Duration, connectTimeout: Duration) -> any Error {
        if let error = error as? HTTPClientError {
            switch error {
            case .readTimeout, .writeTimeout, .deadlineExceeded:
                return ImportError(.webmailTimedOut, "\(origin) did not answer a \(method) within \(timeout.spoken)")
            case .connectTimeout, .tlsHandshakeTimeout:
                // The client has already retried connecting for the whole connect timeout.
                return ImportError(.providerUnreachable, "could not connect to \(origin) within \(connectTimeout.spoken)")
            case .remoteConnectionClosed:
                return TransportFailure(error: ImportError(.providerUnreachable, "\(origin) closed the connection during a \(method)"), retryable: true)
            case .cancelled:
                return CancellationError()
            default:
                if "\(error)".contains("responseBodyTooBig") || "\(error)".contains("BodyTooLarge") {
                    return ImportError(.webmailUnexpected, "\(origin) sent an answer larger than the limit")
                }
            }
        }
        let text = String(describing: error)
        if text.contains("TooManyBytes") || text.contains("tooManyBytes") {
            return ImportError(.webmailUnexpected, "\(origin) sent an answer larger than the limit")
        }
        let lowered = text.lowercased()
        let reason: String
        var retryable = true
        if lowered.contains("ssl") || lowered.contains("tls") || lowered.contains("certificate") || lowered.contains("handshake") {
            reason = "the TLS connection failed (\(text))"
            retryable = false
        } else if lowered.contains("refused") {
            // Also retried by the client's connection pool until the connect timeout.
            reason = "the connection was refused"
            retryable = false
        } else if lowered.contains("resolution") || lowered.contains("resolve") || lowered.contains("dns") || lowered.contains("getaddrinfo") {
            reason = "the host name could not be resolved"
            retryable = false
        } else if lowered.contains("reset") || lowered.contains("closed") || lowered.contains("eof") {
            reason = "the connection was dropped"
        } else {
            reason = text
        }
        return TransportFailure(error: ImportError(.providerUnreachable, "could not talk to \(origin): \(reason)"), retryable: retryable)
    }

    /// `Retry-After` as seconds or as an HTTP date.
    static func retryAfter(_ headers: HTTPHeaders) -> Duration? {
        guard let value = headers.first(name: "retry-after")?.trimmingSpaces, !value.isEmpty else { return nil }
        if let seconds = Int(value) { return .seconds(max(0, seconds)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return .milliseconds(Int64(max(0, date.timeIntervalSinceNow) * 1000))
    }

    private func backoff(_ attempt: Int) -> Duration {
        let delay = settings.retryDelay * (1 << min(attempt - 1, 16))
        return min(delay, settings.maxRetryDelay)
    }

    private func pause(_ delay: Duration) async throws {
        try await Task.sleep(for: delay)
    }

    static func site(of host: String) -> String {
        if host.hasPrefix("[") || host.allSatisfy({ $0.isNumber || $0 == "." }) { return host }
        return host.split(separator: ".").suffix(2).joined(separator: ".")
    }
}

/// How a CardDAV client proves who it is: an account's (app) password, or an OAuth access
/// token where the provider offers sign-in through its own page.
enum DAVCredentials: Sendable {
    case password(username: String, password: Secret)
    case bearer(Secret)

    var authorization: Secret {
        switch self {
        case .password(let username, let password):
            return Secret("Basic " + Data("\(username):\(password.value)".utf8).base64EncodedString())
        case .bearer(let token):
            return Secret("Bearer \(token.value)")
        }
    }
}

/// A transport error with its code, and whether trying again may help.
struct TransportFailure: Error {
    var error: ImportError
    var retryable: Bool
}

struct RequestTimedOut: Error {}

/// Runs `operation`, throwing `RequestTimedOut` if it takes longer than `limit`; the
/// operation is cancelled then.
func withTimeout<T: Sendable>(_ limit: Duration, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw CancellationError() }
        guard let value = first else { throw RequestTimedOut() }
        return value
    }
}
