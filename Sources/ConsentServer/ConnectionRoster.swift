import HTTPTypes
import NIOCore
import NIOHTTPTypes
import Synchronization

/// Keeps the number of open connections under a limit by closing, when a new one comes,
/// the one that has waited longest without a request in progress (a connection that has
/// not finished sending its request head counts as waiting). A request being read or
/// answered is never cut off, so a flood of idle connections cannot keep the real visitor
/// out: each newcomer pushes the oldest idle one out instead of waiting behind it.
final class ConnectionRoster: Sendable {
    private struct Entry {
        let channel: any Channel
        let order: UInt64
        var busy: Bool
    }

    private struct State {
        var entries: [ObjectIdentifier: Entry] = [:]
        var next: UInt64 = 0
    }

    let limit: Int
    private let state = Mutex(State())

    init(limit: Int) {
        self.limit = limit
    }

    var count: Int { state.withLock { $0.entries.count } }

    /// Registers `channel`; returns the channel to close to make room, if any.
    func admit(_ channel: any Channel) -> (any Channel)? {
        state.withLock { state in
            var evicted: (any Channel)?
            if state.entries.count >= limit,
               let oldest = state.entries.filter({ !$0.value.busy }).min(by: { $0.value.order < $1.value.order }) {
                state.entries[oldest.key] = nil
                evicted = oldest.value.channel
            }
            state.entries[ObjectIdentifier(channel)] = Entry(channel: channel, order: state.next, busy: false)
            state.next += 1
            return evicted
        }
    }

    func markBusy(_ channel: any Channel, _ busy: Bool) {
        state.withLock { $0.entries[ObjectIdentifier(channel)]?.busy = busy }
    }

    func remove(_ channel: any Channel) {
        state.withLock { _ = $0.entries.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    /// The handler each connection's pipeline gets: it reports the connection's comings,
    /// goings and requests to the roster.
    func makeHandler() -> ConnectionRosterHandler { ConnectionRosterHandler(roster: self) }
}

/// Sits after the HTTP decoder: a request head makes the connection busy until the end of
/// its response is written.
final class ConnectionRosterHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let roster: ConnectionRoster
    private var admitted = false

    init(roster: ConnectionRoster) {
        self.roster = roster
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { admit(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        admit(context)
        context.fireChannelActive()
    }

    private func admit(_ context: ChannelHandlerContext) {
        guard !admitted else { return }
        admitted = true
        roster.admit(context.channel)?.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        roster.remove(context.channel)
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        roster.remove(context.channel)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = unwrapInboundIn(data) { roster.markBusy(context.channel, true) }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { roster.markBusy(context.channel, false) }
        context.write(data, promise: promise)
    }
}
