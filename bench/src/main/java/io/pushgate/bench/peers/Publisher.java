package io.pushgate.bench.peers;

import io.vertx.core.Context;

/** One publishing connection. Every method runs on {@link #context()}'s event loop, except close. */
public interface Publisher extends AutoCloseable {

    Context context();

    /** Publishes {@code payload} (a JSON object) to topic {@code topic} of the publisher's namespace. */
    void publish(int topic, byte[] payload);

    /** True when the connection's write queue is full: the publisher is ahead of the server. */
    boolean writeQueueFull();

    /** Replies that reported a failure (error frames, -ERR, error replies). */
    long errors();

    String lastError();

    boolean isOpen();

    /** Why the server or the network ended the connection, or null while it is open. */
    String closeReason();

    @Override
    void close();
}
