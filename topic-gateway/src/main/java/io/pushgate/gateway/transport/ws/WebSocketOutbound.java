package io.pushgate.gateway.transport.ws;

import io.pushgate.gateway.sessions.Frame;
import io.pushgate.gateway.sessions.Outbound;
import io.pushgate.gateway.sessions.WriteBatch;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.http.ServerWebSocket;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;

/**
 * A session's way out through a Vert.x server WebSocket: one text message per frame.
 *
 * <p>Inside a {@link WriteBatch} (a loop delivering topic updates), a message is written to the
 * connection's Netty pipeline without a flush, from the frame's UTF-8 bytes encoded once for
 * every subscriber, and the connection is flushed once at the end of the batch. Vert.x's own
 * {@code writeTextMessage} flushes every message (a system call each) and encodes the text again
 * for each connection. Both write through the same pipeline (the permessage-deflate encoder
 * included) on the connection's own event loop, so messages keep their order.
 */
final class WebSocketOutbound implements Outbound {

    /** Larger messages go through Vert.x, which splits them into frames its clients accept. */
    private static final int MAX_DIRECT_BYTES = 65_536;

    private final ServerWebSocket socket;
    private final Executor executor;
    private final ChannelHandlerContext channel;
    private final Runnable flush;
    private final LongAdder batchedWrites;

    /**
     * {@code connection} is the upgraded request's: the WebSocket Vert.x Web hands over is a
     * wrapper that does not show it, and the pipeline is the same before and after the upgrade.
     */
    WebSocketOutbound(ServerWebSocket socket, HttpConnection connection, Executor executor, LongAdder batchedWrites) {
        this.socket = socket;
        this.executor = executor;
        this.channel = connection instanceof ConnectionBase base ? base.channelHandlerContext() : null;
        this.flush = channel == null ? null : channel::flush;
        this.batchedWrites = batchedWrites;
    }

    @Override
    public void send(Frame frame) {
        if (socket.isClosed()) {
            return;
        }
        if (channel != null && channel.executor().inEventLoop()) {
            byte[] utf8 = frame.utf8();
            if (utf8.length <= MAX_DIRECT_BYTES && WriteBatch.deferFlush(this, flush)) {
                channel.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(utf8)), channel.voidPromise());
                batchedWrites.increment();
                return;
            }
        }
        socket.writeTextMessage(frame.text());
    }

    @Override
    public boolean closesWhenIdle() {
        return true;
    }

    @Override
    public boolean isWritable() {
        // Netty's own flag when we hold the pipeline: Vert.x's writeQueueFull() takes a lock.
        return channel != null ? channel.channel().isWritable() : !socket.writeQueueFull();
    }

    @Override
    public void close(int code, String reason) {
        if (!socket.isClosed()) {
            socket.close((short) code, reason);
        }
    }

    @Override
    public Executor executor() {
        return executor;
    }
}
