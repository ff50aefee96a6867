package io.pushgate.bridge.passthrough;

import io.pushgate.bridge.support.Utf8;

/**
 * One payload as a WebSocket frame: a text frame when the payload is valid UTF-8 (its text encodes
 * to exactly the same bytes), otherwise a binary frame with the bytes. Built once per Redis message
 * and shared by every client of the channel.
 */
public record Frame(String text, byte[] binary, int size) {

    public static Frame of(byte[] payload) {
        return Utf8.decode(payload)
                .map(text -> new Frame(text, null, payload.length))
                .orElseGet(() -> new Frame(null, payload, payload.length));
    }

    public boolean isText() {
        return text != null;
    }
}
