import Foundation
import ImportCore
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// The loopback listener of a desktop OAuth sign-in (RFC 8252 §7.3): listens on
/// 127.0.0.1 on a port the system picks, answers the one redirect of its
/// `AuthorizationWait` with a small "you may close this tab" page, then stops. Requests
/// that are not that redirect (another state, no state, a favicon) get an error page and
/// the listener keeps waiting.
package final class LoopbackRedirect: Sendable {
    package let port: Int
    private let channel: any Channel

    private init(port: Int, channel: any Channel) {
        self.port = port
        self.channel = channel
    }

    /// The redirect URI to register with the consent request and repeat in the token request.
    package var redirectURI: String { "http://127.0.0.1:\(port)" }

    /// Starts listening for `wait`'s redirect. `serviceName` names the provider on the pages.
    package static func start(for wait: AuthorizationWait, serviceName: String) async throws -> LoopbackRedirect {
        let stopper = ListenerStopper()
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.backlog, value: 8)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.maxMessagesPerRead, value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(
                        RedirectHandler(wait: wait, serviceName: serviceName, stopper: stopper))
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        } catch {
            throw ImportError(.consentUnexpected, "could not listen on 127.0.0.1 for the browser's redirect: \(error)")
        }
        stopper.set(channel)
        guard let port = channel.localAddress?.port else {
            try? await channel.close()
            throw ImportError(.consentUnexpected, "could not learn the port listening for the browser's redirect")
        }
        return LoopbackRedirect(port: port, channel: channel)
    }

    /// Stops listening (idempotent).
    package func stop() async {
        try? await channel.close()
    }
}

/// Closes the listening socket once the redirect has been answered.
private final class ListenerStopper: Sendable {
    private let channel = Mutex<(any Channel)?>(nil)

    func set(_ channel: any Channel) { self.channel.withLock { $0 = channel } }

    func stop() {
        let channel = self.channel.withLock { $0 }
        channel?.close(promise: nil)
    }
}

/// Answers one HTTP/1.1 request per connection, then closes it.
private final class RedirectHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let wait: AuthorizationWait
    private let serviceName: String
    private let stopper: ListenerStopper
    private var head: HTTPRequestHead?

    init(wait: AuthorizationWait, serviceName: String, stopper: ListenerStopper) {
        self.wait = wait
        self.serviceName = serviceName
        self.stopper = stopper
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
        case .body:
            break
        case .end:
            guard let head else { return }
            self.head = nil
            let (status, page, accepted) = answer(head)
            respond(context, status: status, page: page, then: accepted)
        }
    }

    /// The page to answer with, and the sign-in's answer when this is its redirect.
    private func answer(_ head: HTTPRequestHead) -> (HTTPResponseStatus, String, AuthorizationResponse?) {
        let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? "/"
        guard head.method == .GET, path == "/" || path.isEmpty else {
            return (.notFound, LoopbackPages.page(title: "Not found", text: "This address only takes the sign-in's redirect."), nil)
        }
        if wait.isAnswered {
            return (.ok, LoopbackPages.page(title: "Already answered", text: "contact-import already has the answer of this sign-in. You may close this tab."), nil)
        }
        switch wait.judge(query: AuthorizationResponse.queryItems(of: Substring(head.uri))) {
        case .accepted(let response):
            if case .code = response {
                return (.ok, LoopbackPages.page(title: "\(serviceName): access granted",
                                                text: "contact-import is importing your contacts. You may close this tab and return to it."), response)
            }
            return (.ok, LoopbackPages.page(title: "\(serviceName): access not granted",
                                            text: "contact-import was not allowed to read your contacts; nothing was imported. You may close this tab."), response)
        case .foreign(let reason):
            return (.badRequest, LoopbackPages.page(title: "Not this sign-in",
                                                    text: "This address does not belong to the sign-in contact-import is waiting for (\(reason)). Open the consent link it shows again."), nil)
        }
    }

    private func respond(_ context: ChannelHandlerContext, status: HTTPResponseStatus, page: String, then accepted: AuthorizationResponse?) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/html; charset=utf-8")
        headers.add(name: "Content-Length", value: String(page.utf8.count))
        headers.add(name: "Cache-Control", value: "no-store")
        // The address holds the code: it must not travel on to any other site.
        headers.add(name: "Referrer-Policy", value: "no-referrer")
        headers.add(name: "Content-Security-Policy", value: "default-src 'none'; style-src 'unsafe-inline'")
        headers.add(name: "Connection", value: "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: page)))), promise: nil)
        let stopper = self.stopper
        let channel = context.channel
        let wait = self.wait
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            channel.close(promise: nil)
            if let accepted {
                stopper.stop()
                wait.accept(accepted)
            }
        }
    }
}

/// The listener's small pages.
enum LoopbackPages {
    static func page(title: String, text: String) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
        <title>\(escape(title))</title>
        <style>body{font-family:system-ui,sans-serif;max-width:36em;margin:3em auto;padding:0 1em;line-height:1.5}</style>
        </head><body><h1>\(escape(title))</h1><p>\(escape(text))</p></body></html>

        """
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
