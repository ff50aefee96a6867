package io.pushgate.bridge.config;

/** What the passthrough does with a client whose send queue is full. */
public enum SlowClientPolicy {
    /** Close the connection with 4001: the client reconnects (with backoff) and knows it missed messages. */
    CLOSE,
    /** Keep the connection and drop each message that does not fit; the client is not told. */
    DROP
}
