package io.pushgate.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One WebSocket connection to the gateway (the JDK's {@link WebSocket}): whole text messages in,
 * text messages out in order, one end.
 *
 * <p>Reading is paced: the next message is requested only while fewer than {@link #MAX_BACKLOG}
 * received messages wait to be handled ({@link #queued()} / {@link #handled()}); past that the
 * socket stops reading, TCP pushes back, and the gateway conflates for this slow client instead
 * of this process buffering without bound.
 */
final class Connection implements WebSocket.Listener {

    /** Received messages that may wait to be handled before reading pauses. */
    static final int MAX_BACKLOG = 8192;

    /** What a connection reports to its owner. */
    interface Handler {
        /** One whole text message, on the socket's reading thread. */
        void onMessage(Connection connection, String text);

        /** The connection ended; called once. {@code 1006} when it dropped without a close frame. */
        void onClosed(Connection connection, int code, String reason);
    }

    private final URI uri;
    private final Handler handler;
    private final Counters counters;
    private final StringBuilder partial = new StringBuilder();
    private final Object sendLock = new Object();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final AtomicBoolean paused = new AtomicBoolean();
    private final AtomicInteger backlog = new AtomicInteger();
    private CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null);
    private volatile WebSocket socket;

    private Connection(URI uri, Handler handler, Counters counters) {
        this.uri = uri;
        this.handler = handler;
        this.counters = counters;
    }

    /**
     * Opens a connection. Nothing is read until {@link #start()}, so that the owner is ready for
     * the first message.
     *
     * @param token sent as {@code Authorization: Bearer <token>} when not null or blank
     */
    static CompletableFuture<Connection> open(HttpClient http, URI uri, String token, Duration timeout,
                                              Handler handler, Counters counters) {
        Connection connection = new Connection(uri, handler, counters);
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(timeout);
        if (token != null && !token.isBlank()) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder.buildAsync(uri, connection).thenApply(socket -> {
            connection.socket = socket;
            return connection;
        });
    }

    /** The endpoint this connection was opened to. */
    URI uri() {
        return uri;
    }

    /** Starts reading. */
    void start() {
        socket.request(1);
    }

    /**
     * Sends a text message after those sent before it (the JDK's WebSocket takes one send at a
     * time). The future fails if the connection cannot send it.
     */
    CompletableFuture<Void> send(String text) {
        CompletableFuture<Void> sent;
        synchronized (sendLock) {
            sent = lastSend.handle((v, e) -> null).thenCompose(v -> socket.sendText(text, true)).thenApply(ws -> null);
            lastSend = sent;
        }
        counters.sent(text);
        return sent;
    }

    /** Closes with a close frame (after what is being sent), then drops the TCP connection. */
    void close(int code, String reason) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        synchronized (sendLock) {
            lastSend = lastSend.handle((v, e) -> null)
                    .thenCompose(v -> socket.isOutputClosed() ? CompletableFuture.completedFuture(socket) : socket.sendClose(code, reason))
                    .orTimeout(2, TimeUnit.SECONDS)
                    .whenComplete((ws, e) -> socket.abort());
        }
    }

    /** Drops the connection at once; the owner hears of it as a close with code 1006. */
    void abort(String why) {
        socket.abort();
        end(1006, why);
    }

    /** True once the connection has ended (or is being closed). */
    boolean isEnded() {
        return ended.get();
    }

    /** A received message was handed to the event thread. */
    void queued() {
        backlog.incrementAndGet();
    }

    /** A received message was handled: read more if reading was paused. */
    void handled() {
        if (backlog.decrementAndGet() < MAX_BACKLOG) {
            resume();
        }
    }

    private void resume() {
        if (paused.compareAndSet(true, false)) {
            socket.request(1);
        }
    }

    // ---------------------------------------------------------------- WebSocket.Listener

    @Override
    public void onOpen(WebSocket webSocket) {
        this.socket = webSocket; // no request(1) yet: see start()
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (!last) {
            webSocket.request(1);
            return null;
        }
        String text = partial.toString();
        partial.setLength(0);
        counters.received(text);
        if (text.indexOf('\n') < 0) {
            handler.onMessage(this, text);
        } else {
            // A gateway URL with ?batch=lines may put several messages in a frame, one per line.
            for (String line : text.split("\n")) {
                handler.onMessage(this, line);
            }
        }
        if (backlog.get() < MAX_BACKLOG) {
            webSocket.request(1);
        } else {
            paused.set(true);
            if (backlog.get() < MAX_BACKLOG) {
                resume(); // the event thread caught up meanwhile
            }
        }
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, java.nio.ByteBuffer data, boolean last) {
        webSocket.request(1); // not part of the protocol: ignored
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        end(statusCode, reason);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        end(1006, String.valueOf(error));
    }

    private void end(int code, String reason) {
        if (ended.compareAndSet(false, true)) {
            handler.onClosed(this, code, reason == null ? "" : reason);
        }
    }
}
