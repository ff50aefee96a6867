package io.pushgate.gateway.sessions;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the fan-out path, kept in plain Java so that the core needs no metrics library;
 * the metrics adapter exposes them at {@code /q/metrics}. LongAdders, because every event loop
 * increments them at once.
 */
public final class GatewayStats {

    public final LongAdder framesOut = new LongAdder();
    /** WebSocket frames written: fewer than messages when frames are batched ({@code ?batch=lines}). */
    public final LongAdder webSocketFrames = new LongAdder();
    public final LongAdder bytesOut = new LongAdder();
    public final LongAdder valuesOut = new LongAdder();
    public final LongAdder deltasOut = new LongAdder();
    public final LongAdder eventsOut = new LongAdder();
    public final LongAdder recoveries = new LongAdder();
    public final LongAdder conflations = new LongAdder();
    public final LongAdder slowConsumersClosed = new LongAdder();
    public final LongAdder updatesApplied = new LongAdder();
    public final LongAdder requests = new LongAdder();
    public final LongAdder errors = new LongAdder();
    public final AtomicLong sessions = new AtomicLong();
    public final AtomicLong subscriptions = new AtomicLong();

    void countFrame(Frame frame) {
        countFrames(frame, 1);
    }

    /** {@code frame} was sent {@code times} times. */
    void countFrames(Frame frame, long times) {
        framesOut.add(times);
        bytesOut.add(frame.utf8().length * times);
        switch (frame.kind()) {
            case VALUE -> valuesOut.add(times);
            case DELTA -> deltasOut.add(times);
            case EVENT -> eventsOut.add(times);
            default -> { }
        }
    }
}
