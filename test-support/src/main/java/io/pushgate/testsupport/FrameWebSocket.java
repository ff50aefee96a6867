package io.pushgate.testsupport;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A WebSocket client for raw payloads (the JDK's): keeps every frame exactly as received, text or
 * binary, and the close code the server sent; it also tells how a server refused an upgrade.
 * (For JSON messages, {@link JsonWebSocket}; for a client that reads only when the test says,
 * {@link RawWebSocket}.)
 */
public final class FrameWebSocket implements AutoCloseable {

    /** One received message: a text frame's UTF-8 bytes, or a binary frame's bytes. */
    public record Frame(boolean text, byte[] bytes) {

        public String asText() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private final WebSocket socket;
    private final List<Frame> received = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();

    private FrameWebSocket(URI uri, Map<String, String> headers) {
        this.socket = builder(headers).connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, new Listener()).join();
    }

    public static FrameWebSocket connect(URI uri) {
        return new FrameWebSocket(uri, Map.of());
    }

    /** Connects with these headers on the upgrade request (for example {@code Authorization}). */
    public static FrameWebSocket connect(URI uri, Map<String, String> headers) {
        return new FrameWebSocket(uri, headers);
    }

    /** How the server refused an upgrade: its HTTP status and its {@code WWW-Authenticate} header (or null). */
    public record Refusal(int status, String wwwAuthenticate) {
    }

    /** The HTTP status with which the server refused the upgrade; fails if it accepted it. */
    public static int refusedStatus(URI uri) {
        return refusal(uri, Map.of()).status();
    }

    /** How the server refused the upgrade with these headers; fails if it accepted it. */
    public static Refusal refusal(URI uri, Map<String, String> headers) {
        try {
            builder(headers).buildAsync(uri, new WebSocket.Listener() { }).join().abort();
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return new Refusal(refused.getResponse().statusCode(),
                        refused.getResponse().headers().firstValue("WWW-Authenticate").orElse(null));
            }
            throw e;
        }
        throw new AssertionError("the server accepted the upgrade to " + uri);
    }

    private static WebSocket.Builder builder(Map<String, String> headers) {
        WebSocket.Builder builder = client().newWebSocketBuilder();
        headers.forEach(builder::header);
        return builder;
    }

    public void sendText(String text) {
        socket.sendText(text, true).join();
    }

    public void sendBinary(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
    }

    /** Everything received so far, in order. */
    public List<Frame> received() {
        return List.copyOf(received);
    }

    /** Completes with the code of the server's close frame (-1 if the connection failed). */
    public CompletableFuture<Integer> closeCode() {
        return closeCode;
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
        }
        socket.abort();
    }

    private static HttpClient client() {
        return HttpClient.newHttpClient();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                received.add(new Frame(true, text.toString().getBytes(StandardCharsets.UTF_8)));
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            binary.writeBytes(chunk);
            if (last) {
                received.add(new Frame(false, binary.toByteArray()));
                binary.reset();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closeCode.complete(-1);
        }
    }
}
