package io.pushgate.gateway.transport.sse;

import io.pushgate.gateway.sessions.Frame;
import io.pushgate.gateway.sessions.Outbound;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;

/**
 * A session's way out as Server-Sent Events: each message is an event named by its
 * {@code type}, with the JSON message as its data (one line: JSON text has no raw newline).
 */
final class SseOutbound implements Outbound {

    private static final byte[] DATA = "\ndata: ".getBytes(StandardCharsets.UTF_8);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.UTF_8);

    private final HttpServerResponse response;
    private final Executor executor;
    private boolean closed;

    SseOutbound(HttpServerResponse response, Executor executor) {
        this.response = response;
        this.executor = executor;
    }

    @Override
    public void send(Frame frame) {
        if (closed || response.closed()) {
            return;
        }
        Buffer event = Buffer.buffer(frame.utf8().length + 32)
                .appendString("event: ").appendString(frame.type())
                .appendBytes(DATA).appendBytes(frame.utf8()).appendBytes(END);
        response.write(event);
    }

    /** Events carry the resume position as their id, which the browser sends back as Last-Event-ID. */
    @Override
    public void send(Frame frame, String positions) {
        if (closed || response.closed()) {
            return;
        }
        response.write(Buffer.buffer(frame.utf8().length + positions.length() + 40)
                .appendString("id: ").appendString(positions).appendString("\n")
                .appendString("event: ").appendString(frame.type())
                .appendBytes(DATA).appendBytes(frame.utf8()).appendBytes(END));
    }

    @Override
    public boolean wantsPositions() {
        return true;
    }

    @Override
    public boolean isWritable() {
        return !response.writeQueueFull();
    }

    @Override
    public void close(int code, String reason) {
        if (!closed && !response.closed()) {
            closed = true;
            response.write("event: close\ndata: {\"type\":\"close\",\"code\":" + code + ",\"reason\":\"" + reason.replace("\"", "'") + "\"}\n\n");
            response.end();
        }
    }

    @Override
    public Executor executor() {
        return executor;
    }
}
