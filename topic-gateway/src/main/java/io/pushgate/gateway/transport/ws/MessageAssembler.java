package io.pushgate.gateway.transport.ws;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.protocol.RequestIdScanner;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import java.nio.charset.StandardCharsets;

/**
 * Puts a client's WebSocket messages together from their frames, up to a limit, in place of
 * Vert.x's own aggregation: Vert.x reports a message over its limit as an exception and then hands
 * on the rest of it as if it were a message of its own, so a client that sent too much got no
 * answer (or an answer to a fragment). Here a message over the limit is dropped as it arrives,
 * scanned for the request's {@code id} on the way ({@link RequestIdScanner}, constant memory) so
 * that the error carries it, and the connection goes on with the next message.
 *
 * <p>One per connection, called on its event loop.
 */
final class MessageAssembler {

    /** What a connection does with each whole message. */
    interface Messages {
        void text(String text);

        void binary();

        /** A message of more than the limit, with its request's id if it has one. */
        void tooLarge(JsonNode id);
    }

    private final int limit;
    private final Messages messages;
    private Buffer parts;
    private RequestIdScanner scanner;
    private boolean binary;
    private boolean inMessage;
    private boolean oversized;
    private long size;

    MessageAssembler(int limit, Messages messages) {
        this.limit = limit;
        this.messages = messages;
    }

    void frame(WebSocketFrame frame) {
        if (frame.isText() || frame.isBinary()) {
            // A new message (a new one before the last one ended is a protocol error Netty refuses first).
            inMessage = true;
            binary = frame.isBinary();
            oversized = false;
            size = 0;
            parts = null;
            scanner = null;
        } else if (!frame.isContinuation() || !inMessage) {
            return; // ping, pong, close: Vert.x answers those itself
        }
        Buffer data = frame.binaryData();
        size += data.length();
        if (oversized) {
            scan(data);
        } else if (!binary) {
            if (size > limit) {
                // Dropped from here on; what came so far and what comes is only scanned for the id.
                oversized = true;
                scanner = new RequestIdScanner();
                if (parts != null) {
                    scan(parts);
                    parts = null;
                }
                scan(data);
            } else if (frame.isFinal() && parts == null) {
                // The common case: a message in one frame, no copy.
                parts = data;
            } else {
                if (parts == null) {
                    parts = Buffer.buffer((int) Math.min(limit, Math.max(256, size * 2)));
                }
                parts.appendBuffer(data);
            }
        }
        if (!frame.isFinal()) {
            return;
        }
        inMessage = false;
        Buffer whole = parts;
        parts = null;
        if (binary) {
            messages.binary();
        } else if (oversized) {
            messages.tooLarge(scanner.id());
            scanner = null;
        } else {
            messages.text(whole == null ? "" : whole.toString(StandardCharsets.UTF_8));
        }
    }

    private void scan(Buffer data) {
        byte[] bytes = data.getBytes();
        scanner.feed(bytes, 0, bytes.length);
    }
}
