package io.pushgate.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.protocol.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/**
 * A WebSocket client (the JDK's) that records every text frame it receives with its size in UTF-8
 * bytes, for bandwidth figures: a raw bridge client, or a gateway subscriber counting its
 * {@code value} and {@code delta} frames.
 */
public final class FrameRecorder implements AutoCloseable {

    /** One frame: its text, its UTF-8 size, and the JSON it holds (null if it is not JSON). */
    public record Frame(String text, int bytes, JsonNode json) {
    }

    private final WebSocket socket;
    private final List<Frame> frames = new ArrayList<>();

    private FrameRecorder(URI uri, Map<String, String> headers) {
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        headers.forEach(builder::header);
        socket = builder.buildAsync(uri, new Listener()).join();
    }

    public static FrameRecorder connect(String uri) {
        return new FrameRecorder(URI.create(uri), Map.of());
    }

    public FrameRecorder send(String text) {
        socket.sendText(text, true).join();
        return this;
    }

    public synchronized List<Frame> frames() {
        return List.copyOf(frames);
    }

    public synchronized List<Frame> frames(Predicate<Frame> match) {
        return frames.stream().filter(match).toList();
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
                JsonNode json;
                try {
                    json = Json.parse(text);
                } catch (RuntimeException e) {
                    json = null;
                }
                synchronized (FrameRecorder.this) {
                    frames.add(new Frame(text, text.getBytes(StandardCharsets.UTF_8).length, json));
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
