package io.pushgate.gateway.sessions;

import java.nio.charset.StandardCharsets;

/**
 * One encoded outgoing message. The frames of an update are built once and the same instance
 * is written to every connection that receives those bytes; the UTF-8 form is computed once,
 * on first use, for transports that write bytes.
 */
public final class Frame {

    public enum Kind { VALUE, DELTA, EVENT, CONTROL }

    private final String type;
    private final String text;
    private final Kind kind;
    private volatile byte[] utf8;
    private volatile Object encoded;

    public Frame(String type, String text, Kind kind) {
        this.type = type;
        this.text = text;
        this.kind = kind;
    }

    /** The message's {@code type} field, which SSE uses as the event name. */
    public String type() {
        return type;
    }

    public String text() {
        return text;
    }

    public Kind kind() {
        return kind;
    }

    public byte[] utf8() {
        byte[] bytes = utf8;
        if (bytes == null) {
            bytes = text.getBytes(StandardCharsets.UTF_8);
            utf8 = bytes;
        }
        return bytes;
    }

    /**
     * A transport's own encoding of this frame (the WebSocket transport's: the frame header and
     * the bytes), made once by {@code encoder} and shared by every connection that writes the
     * frame. Two threads may both make it; either result is kept.
     */
    @SuppressWarnings("unchecked")
    public <T> T encoded(java.util.function.Function<Frame, T> encoder) {
        Object e = encoded;
        if (e == null) {
            e = encoder.apply(this);
            encoded = e;
        }
        return (T) e;
    }

    @Override
    public String toString() {
        return text;
    }
}
