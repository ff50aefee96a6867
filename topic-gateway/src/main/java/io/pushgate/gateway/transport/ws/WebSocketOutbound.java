package io.pushgate.gateway.transport.ws;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionEncoder;
import io.pushgate.gateway.sessions.Frame;
import io.pushgate.gateway.sessions.Outbound;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import java.util.ArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;

/**
 * A session's way out through a server WebSocket.
 *
 * <p>The fan-out path writes to the Netty channel itself, on the channel's event loop (where
 * every session call runs), rather than through Vert.x's {@code writeFrame}, which takes the
 * connection's lock, checks the handshake and makes a promise for every message. Without a
 * WebSocket extension the frame's bytes, header included, are encoded once per update
 * ({@link Frame#encoded}) and every subscriber writes the same array past Netty's frame encoder;
 * with permessage-deflate a {@link TextWebSocketFrame} goes where Vert.x puts its own, so the
 * extension compresses it. Vert.x's own path remains for what the fast path cannot do (a message
 * larger than the fragment size, a channel that cannot be reached).
 *
 * <p>Messages wait for the event loop's next flush ({@link FrameBatcher}), so that a connection
 * gets what arrived meanwhile in one write, one system call: with {@link Framing#lines()} as one
 * frame, one message per line; without it as one frame each, the frames' bytes one after the
 * other.
 */
final class WebSocketOutbound implements Outbound, FrameBatcher.BatchedOutbound {

    private final ServerWebSocket socket;
    private final Executor executor;
    private final FrameBatcher batcher;
    private final boolean lines;
    private final int maxBatchBytes;
    private final int maxBatchFrames;
    private final int fragmentAbove;
    private final LongAdder frames;
    private final Channel channel;
    /** Where pre-encoded frame bytes are written: just past Netty's frame encoder; null when an extension must see frames. */
    private final ChannelHandlerContext bytesContext;
    /** Where frames are written when an extension must see them: where Vert.x writes its own. */
    private final ChannelHandlerContext framesContext;
    private ArrayList<Frame> waiting;
    private int waitingBytes;
    private boolean closed;

    /**
     * Messages wait for {@code batcher}'s flush when it is given, up to {@code maxBatchBytes} and
     * {@code maxBatchFrames} of them, and share one frame when {@code lines}; with no batcher each
     * message is written and flushed at once. A single message larger than {@code fragmentAbove}
     * bytes is sent in fragments, as Vert.x does for its own text messages. {@code channel} (null:
     * Vert.x's path only) is the socket's Netty channel.
     */
    WebSocketOutbound(ServerWebSocket socket, Executor executor, FrameBatcher batcher, boolean lines, int maxBatchBytes,
            int maxBatchFrames, int fragmentAbove, LongAdder frames, Channel channel) {
        this.socket = socket;
        this.executor = executor;
        this.batcher = batcher;
        this.lines = lines;
        this.maxBatchBytes = maxBatchBytes;
        this.maxBatchFrames = Math.max(1, maxBatchFrames);
        this.fragmentAbove = fragmentAbove;
        this.frames = frames;
        this.channel = channel;
        ChannelHandlerContext encoder = channel == null ? null : channel.pipeline().context(WebSocketFrameEncoder.class);
        boolean extension = channel != null && channel.pipeline().get(WebSocketExtensionEncoder.class) != null;
        // The HTTP encoder leaves the pipeline once the 101 response is written; were it still
        // there, bytes written past the frame encoder would reach it, so frames are written then.
        boolean httpEncoder = channel != null && (channel.pipeline().get(HttpResponseEncoder.class) != null
                || channel.pipeline().get(HttpServerCodec.class) != null);
        this.bytesContext = encoder != null && !extension && !httpEncoder ? encoder : null;
        this.framesContext = channel == null ? null : channel.pipeline().context("handler");
    }

    @Override
    public void send(Frame frame) {
        if (isClosed()) {
            return;
        }
        if (batcher == null) {
            write(frame);
            return;
        }
        int size = frame.utf8().length;
        if (size > maxBatchBytes) {
            // Larger than a batch: what waits goes first, then this one alone, at once.
            flush();
            write(frame);
            return;
        }
        if (waiting == null) {
            // Made on first use: an idle connection holds no list.
            waiting = new ArrayList<>(4);
        }
        if (!waiting.isEmpty() && (waitingBytes + 1 + size > maxBatchBytes || waiting.size() >= maxBatchFrames)) {
            flush();
        }
        waiting.add(frame);
        waitingBytes += waiting.size() == 1 ? size : size + 1;
        if (waiting.size() == 1) {
            batcher.waiting(this);
        }
    }

    /**
     * Writes the waiting messages: one frame, one message per line, or one frame each; one flush.
     * The list is emptied before anything is written, as a write may come back here (a handler
     * reacting to the channel's writability sends more).
     */
    @Override
    public void flush() {
        if (waiting == null || waiting.isEmpty()) {
            return;
        }
        int count = waiting.size();
        if (isClosed()) {
            clearWaiting();
        } else if (writesBytes()) {
            // One message or several: encoded once for the loop's connections waiting for the same.
            ByteBuf shared = lines ? batcher.encodeLines(waiting, waitingBytes, true, channel.alloc())
                    : batcher.encodeFrames(waiting, channel.alloc());
            clearWaiting();
            write(shared.retainedDuplicate(), true, lines ? 1 : count);
        } else if (count == 1) {
            Frame frame = waiting.get(0);
            clearWaiting();
            write(frame);
        } else if (lines) {
            ByteBuf shared = batcher.encodeLines(waiting, waitingBytes, false, channel.alloc());
            clearWaiting();
            write(shared.retainedDuplicate(), false, 1);
        } else {
            // An extension (permessage-deflate) must see each frame: written one by one, flushed once.
            Frame[] batch = waiting.toArray(new Frame[0]);
            clearWaiting();
            if (fastPath()) {
                frames.add(batch.length);
                for (Frame frame : batch) {
                    framesContext.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(frame.utf8())), framesContext.voidPromise());
                }
                channel.flush();
            } else {
                for (Frame frame : batch) {
                    write(frame);
                }
            }
        }
    }

    private void clearWaiting() {
        waiting.clear();
        waitingBytes = 0;
    }

    private void write(Frame frame) {
        if (frame.utf8().length > fragmentAbove) {
            frames.increment();
            socket.writeTextMessage(frame.text());
        } else if (writesBytes()) {
            write(Unpooled.wrappedBuffer(WebSocketFrames.encoded(frame)), true, 1);
        } else {
            write(Unpooled.wrappedBuffer(frame.utf8()), false, 1);
        }
    }

    /**
     * Writes and flushes {@code encoded}, which the write releases: whole frames, headers
     * included, when {@code withHeader} (written past Netty's frame encoder; {@code frameCount}
     * of them), else one frame's payload.
     */
    private void write(ByteBuf encoded, boolean withHeader, int frameCount) {
        frames.add(frameCount);
        if (withHeader) {
            bytesContext.writeAndFlush(encoded, bytesContext.voidPromise());
        } else if (fastPath()) {
            framesContext.writeAndFlush(new TextWebSocketFrame(encoded), framesContext.voidPromise());
        } else if (encoded.isDirect()) {
            // Vert.x's own path copies a pooled buffer rather than taking it over (it passes an
            // unpooled heap one on as is): it gets heap bytes, and the pooled one is released here.
            byte[] bytes = ByteBufUtil.getBytes(encoded);
            encoded.release();
            socket.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, Unpooled.wrappedBuffer(bytes), true));
        } else {
            socket.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, encoded, true));
        }
    }

    /** Frames go out as pre-encoded bytes: the fast path, and no extension that must see frames. */
    private boolean writesBytes() {
        return bytesContext != null && fastPath();
    }

    /** The channel is reachable and this is its event loop (always so for session calls). */
    private boolean fastPath() {
        return framesContext != null && channel.eventLoop().inEventLoop();
    }

    private boolean isClosed() {
        return closed || (channel != null ? !channel.isActive() : socket.isClosed());
    }

    /** The transport saw the socket close: nothing more is written. */
    void closed() {
        closed = true;
        if (waiting != null) {
            clearWaiting();
        }
    }

    @Override
    public boolean closesWhenIdle() {
        return true;
    }

    @Override
    public boolean isWritable() {
        // The channel's own flag, which Vert.x's writeQueueFull reads under the connection's lock.
        return channel != null ? channel.isWritable() : !socket.writeQueueFull();
    }

    @Override
    public void close(int code, String reason) {
        if (!isClosed()) {
            // What waits for the flush goes first: the last messages (an error, the reason) before the close.
            flush();
            closed = true;
            socket.close((short) code, reason);
        }
    }

    @Override
    public Executor executor() {
        return executor;
    }
}
