package io.pushgate.bridge.passthrough;

import io.pushgate.bridge.config.SlowClientPolicy;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends frames to one client through a bounded queue: frames handed to the transport and not yet
 * written count against {@code maxMessages} and {@code maxBytes}. A frame that does not fit makes
 * the client slow: under {@link SlowClientPolicy#CLOSE} the connection is closed with
 * {@link CloseCodes#SLOW_CLIENT} and nothing more is sent to it; under {@link SlowClientPolicy#DROP}
 * the frame is dropped and later ones are sent as room frees up. A single frame larger than
 * {@code maxBytes} is sent when the queue is empty, so no payload is undeliverable by size alone.
 *
 * <p>{@link #send} is called from one thread at a time (the Redis connection's event loop), while
 * completions arrive on the client's; the counters are atomic for that reason.
 */
public final class ClientSender {

    /** What happened to one frame. */
    public enum Outcome { SENT, DROPPED, CLOSED }

    private final ClientTransport transport;
    private final int maxMessages;
    private final long maxBytes;
    private final SlowClientPolicy policy;
    private final AtomicInteger queuedMessages = new AtomicInteger();
    private final AtomicLong queuedBytes = new AtomicLong();
    private volatile boolean closing;

    public ClientSender(ClientTransport transport, int maxMessages, long maxBytes, SlowClientPolicy policy) {
        this.transport = transport;
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
        this.policy = policy;
    }

    public Outcome send(Frame frame) {
        if (closing) {
            return Outcome.DROPPED;
        }
        int messages = queuedMessages.incrementAndGet();
        long bytes = queuedBytes.addAndGet(frame.size());
        if (messages > 1 && (messages > maxMessages || bytes > maxBytes)) {
            release(frame);
            if (policy == SlowClientPolicy.CLOSE) {
                closing = true;
                transport.close(CloseCodes.SLOW_CLIENT, "slow client: send queue full");
                return Outcome.CLOSED;
            }
            return Outcome.DROPPED;
        }
        transport.send(frame).whenComplete((ignored, error) -> release(frame));
        return Outcome.SENT;
    }

    /** Closes the connection; frames offered afterwards are dropped. */
    public void close(int code, String reason) {
        closing = true;
        transport.close(code, reason);
    }

    public int queuedMessages() {
        return queuedMessages.get();
    }

    public long queuedBytes() {
        return queuedBytes.get();
    }

    private void release(Frame frame) {
        queuedMessages.decrementAndGet();
        queuedBytes.addAndGet(-frame.size());
    }
}
