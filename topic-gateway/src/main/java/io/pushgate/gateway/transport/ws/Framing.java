package io.pushgate.gateway.transport.ws;

import io.pushgate.protocol.ProtocolException;

/**
 * How a WebSocket connection's messages are put into frames, chosen by the client on the URL
 * (docs/protocol.md, "Batched frames"): {@code ?batch=off} (the default: one JSON message per
 * text frame, as the contract says) or {@code ?batch=lines} (the messages that wait for the same
 * flush share a frame, separated by {@code \n}; compact JSON never holds a raw newline), with an
 * optional {@code batch-delay} in milliseconds.
 */
record Framing(boolean lines, long delayMillis) {

    static Framing parse(String batch, String delay, long maxDelayMillis) {
        boolean lines;
        if (batch == null || batch.isEmpty() || batch.equals("off")) {
            lines = false;
        } else if (batch.equals("lines")) {
            lines = true;
        } else {
            throw ProtocolException.invalid("batch must be off or lines, not \"" + batch + "\"");
        }
        if (delay == null || delay.isEmpty()) {
            return new Framing(lines, 0);
        }
        if (!lines) {
            throw ProtocolException.invalid("batch-delay needs batch=lines");
        }
        long millis;
        try {
            millis = Long.parseLong(delay);
        } catch (NumberFormatException e) {
            throw ProtocolException.invalid("batch-delay must be a whole number of milliseconds, not \"" + delay + "\"");
        }
        if (millis < 0 || millis > maxDelayMillis) {
            throw ProtocolException.invalid("batch-delay must be between 0 and " + maxDelayMillis + " ms (gateway.limits.max-batch-delay)");
        }
        return new Framing(true, millis);
    }
}
