package io.pushgate.gateway.sessions;

import java.util.concurrent.Executor;

/**
 * The port a transport (WebSocket, SSE) gives a session to reach its client.
 *
 * <p>All calls are made on {@link #executor()}, the connection's own event loop: the session's
 * state needs no lock, and the frames of one connection keep their order.
 */
public interface Outbound {

    /** Queues a frame for the client; the transport flushes when the event loop is done. */
    void send(Frame frame);

    /**
     * Queues a time series event frame with the client's resume position ({@code positions},
     * e.g. {@code chat/lobby=41;chat/dev=7}) for transports that resume from one (SSE's
     * {@code Last-Event-ID}); the others ignore it.
     */
    default void send(Frame frame, String positions) {
        send(frame);
    }

    /** True when the transport uses {@link #send(Frame, String)} positions (SSE). */
    default boolean wantsPositions() {
        return false;
    }

    /** True for transports whose idle connections are closed (WebSocket; not SSE, which only listens). */
    default boolean closesWhenIdle() {
        return false;
    }

    /** False while the connection's bounded write queue is full (the client reads too slowly). */
    boolean isWritable();

    /** Closes the connection with a code from {@link io.pushgate.protocol.CloseCodes} and a reason. */
    void close(int code, String reason);

    /** The connection's event loop: every call on the session runs there, in order. */
    Executor executor();
}
