package io.pushgate.gateway.transport.ws;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.pushgate.protocol.CloseCodes;
import org.jboss.logging.Logger;

/**
 * Says why a connection ends when Netty refuses a frame: a frame over the decoder's limit (or any
 * other framing violation) made Vert.x drop the connection without a close frame, so the client
 * saw a bare 1006 and no reason. This handler, right after the decoder, sends the close frame of
 * the violation (1009 for a frame too large) with a reason, then closes.
 */
final class FrameLimit extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = Logger.getLogger(FrameLimit.class);
    private static final String NAME = "pushgate-frame-limit";
    private final int limit;

    private FrameLimit(int limit) {
        this.limit = limit;
    }

    static void install(Channel channel, int limit) {
        if (channel.pipeline().get(NAME) == null && channel.pipeline().get("handler") != null) {
            channel.pipeline().addBefore("handler", NAME, new FrameLimit(limit));
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException violation && ctx.channel().isActive()) {
            WebSocketCloseStatus status = violation.closeStatus();
            int code = status == null ? CloseCodes.TOO_BIG : status.code();
            String reason = code == CloseCodes.TOO_BIG ? "frame larger than " + limit + " bytes" : String.valueOf(violation.getMessage());
            LOG.debugf("closing a WebSocket with %d: %s", code, violation.getMessage());
            ctx.writeAndFlush(new CloseWebSocketFrame(code, reason.length() > 120 ? reason.substring(0, 120) : reason))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.fireExceptionCaught(cause);
    }
}
