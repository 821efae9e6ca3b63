import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Answers a request head that carries `Expect: 100-continue` with `100 Continue` at once.
/// curl asks so before any body over 1 MB, and waits a whole second for the answer before
/// sending anyway: without it, every sizeable upload started a second late. The request
/// goes on to its route unchanged, which answers as it would have.
public final class ExpectContinueHandler: ChannelInboundHandler, RemovableChannelHandler {
    public typealias InboundIn = HTTPRequestPart
    public typealias InboundOut = HTTPRequestPart
    public typealias OutboundOut = HTTPResponsePart

    public init() {}

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = unwrapInboundIn(data),
           head.headerFields[values: .expect].contains(where: { $0.lowercased() == "100-continue" }) {
            context.writeAndFlush(wrapOutboundOut(.head(HTTPResponse(status: .continue))), promise: nil)
        }
        context.fireChannelRead(data)
    }
}
