package io.pushgate.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.protocol.Json;
import io.pushgate.testsupport.FrameWebSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A WebSocket client that records every text frame it receives with its size in UTF-8 bytes, for
 * bandwidth figures: a raw bridge client, or a gateway subscriber counting its {@code value} and
 * {@code delta} frames. test-support's {@link FrameWebSocket} receives; this class reads its
 * frames as the figures need them.
 */
public final class FrameRecorder implements AutoCloseable {

    /** One frame: its text, its UTF-8 size, and the JSON it holds (null if it is not JSON). */
    public record Frame(String text, int bytes, JsonNode json) {
    }

    private final FrameWebSocket socket;
    private final List<Frame> read = new ArrayList<>(); // the text frames read so far, each parsed once
    private int seen; // how many of the socket's frames (text or binary) are in read

    private FrameRecorder(FrameWebSocket socket) {
        this.socket = socket;
    }

    public static FrameRecorder connect(String uri) {
        return new FrameRecorder(FrameWebSocket.connect(URI.create(uri)));
    }

    public FrameRecorder send(String text) {
        socket.sendText(text);
        return this;
    }

    public synchronized List<Frame> frames() {
        List<FrameWebSocket.Frame> received = socket.received();
        for (FrameWebSocket.Frame f : received.subList(seen, received.size())) {
            if (f.text()) {
                read.add(frame(f));
            }
        }
        seen = received.size();
        return List.copyOf(read);
    }

    public List<Frame> frames(Predicate<Frame> match) {
        return frames().stream().filter(match).toList();
    }

    @Override
    public void close() {
        socket.close();
    }

    private static Frame frame(FrameWebSocket.Frame received) {
        String text = received.asText();
        JsonNode json;
        try {
            json = Json.parse(text);
        } catch (RuntimeException e) {
            json = null;
        }
        return new Frame(text, received.bytes().length, json);
    }
}
