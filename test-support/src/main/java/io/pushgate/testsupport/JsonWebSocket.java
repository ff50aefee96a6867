package io.pushgate.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A real WebSocket client for tests (the JDK's), speaking JSON text frames: it keeps every
 * message received, counts bytes, and waits for the message a test expects.
 */
public final class JsonWebSocket implements AutoCloseable {

    /** Reads numbers exactly as sent (BigDecimal, scale kept), as the gateway does. */
    static final ObjectMapper MAPPER = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true))
            .build();

    private final WebSocket socket;
    private final LinkedBlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
    private final List<JsonNode> seen = new ArrayList<>();
    private final AtomicLong bytesReceived = new AtomicLong();
    private final AtomicLong messagesReceived = new AtomicLong();
    private final CompletableFuture<int[]> closed = new CompletableFuture<>();
    private final AtomicLong nextId = new AtomicLong();
    private final Map<JsonNode, Long> receivedAt = java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

    private JsonWebSocket(URI uri, Map<String, String> headers) {
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        headers.forEach(builder::header);
        this.socket = builder.buildAsync(uri, new Listener()).join();
    }

    public static JsonWebSocket connect(String uri) {
        return new JsonWebSocket(URI.create(uri), Map.of());
    }

    public static JsonWebSocket connect(String uri, Map<String, String> headers) {
        return new JsonWebSocket(URI.create(uri), headers);
    }

    /** A request: {@code op("set", "topic", "a/b", "value", 1)} is {@code {"op":"set","topic":"a/b","value":1}}. */
    public static Map<String, Object> op(String op, Object... fields) {
        Map<String, Object> request = new java.util.LinkedHashMap<>();
        request.put("op", op);
        for (int i = 0; i < fields.length; i += 2) {
            request.put((String) fields[i], fields[i + 1]);
        }
        return request;
    }

    /** Sends raw text, exactly as given. */
    public JsonWebSocket sendText(String text) {
        socket.sendText(text, true).join();
        return this;
    }

    /** Sends a request object; adds an {@code id} if it has none and returns that id. */
    public String request(Map<String, Object> request) {
        Map<String, Object> copy = new java.util.LinkedHashMap<>(request);
        copy.putIfAbsent("id", "r" + nextId.incrementAndGet());
        try {
            sendText(MAPPER.writeValueAsString(copy));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
        return String.valueOf(copy.get("id"));
    }

    /** Sends a request and waits for the {@code ok}, {@code error} or other reply with its id. */
    public JsonNode call(Map<String, Object> request) {
        String id = request(request);
        return await(m -> id.equals(m.path("id").asText(null)), Duration.ofSeconds(10));
    }

    /** Waits for the first message, received from now on or before but not yet taken, that matches. */
    public JsonNode await(Predicate<JsonNode> match, Duration timeout) {
        synchronized (seen) {
            for (int i = 0; i < seen.size(); i++) {
                if (match.test(seen.get(i))) {
                    return seen.remove(i);
                }
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            JsonNode next;
            try {
                next = left <= 0 ? null : inbox.poll(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (next == null) {
                synchronized (seen) {
                    throw new AssertionError("no matching message within " + timeout + "; unmatched: " + seen);
                }
            }
            if (match.test(next)) {
                return next;
            }
            synchronized (seen) {
                seen.add(next);
            }
        }
    }

    public JsonNode awaitType(String type) {
        return await(m -> type.equals(m.path("type").asText()), Duration.ofSeconds(10));
    }

    /** Takes every message received so far (without waiting). */
    public List<JsonNode> drain() {
        List<JsonNode> all = new ArrayList<>();
        synchronized (seen) {
            all.addAll(seen);
            seen.clear();
        }
        inbox.drainTo(all);
        return all;
    }

    /** When a message arrived ({@link System#nanoTime()}), whenever the test takes it. */
    public long receivedAt(JsonNode message) {
        Long at = receivedAt.get(message);
        if (at == null) {
            throw new IllegalArgumentException("not a message of this socket");
        }
        return at;
    }

    public long bytesReceived() {
        return bytesReceived.get();
    }

    public long messagesReceived() {
        return messagesReceived.get();
    }

    /** Completes with {code} when the server closes the connection. */
    public CompletableFuture<int[]> closed() {
        return closed;
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                bytesReceived.addAndGet(text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
                messagesReceived.incrementAndGet();
                JsonNode node;
                try {
                    node = MAPPER.readTree(text);
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    node = MAPPER.createObjectNode().put("type", "unparseable").put("text", text);
                }
                receivedAt.put(node, System.nanoTime());
                inbox.add(node);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(new int[] {statusCode});
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(new int[] {-1});
        }
    }
}
