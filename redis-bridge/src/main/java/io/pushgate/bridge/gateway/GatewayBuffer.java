package io.pushgate.bridge.gateway;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The updates waiting for the gateway: at most one per topic (a newer value of a waiting topic
 * replaces the older one in its place in the queue, since a topic holds only its latest value),
 * and at most {@code capacity} topics (past it, the topic that has waited longest is dropped).
 * Taken oldest first. Thread-safe.
 */
public final class GatewayBuffer {

    /** What happened to an offered update. */
    public enum Offer { QUEUED, REPLACED, QUEUED_DROPPING_OLDEST }

    private final int capacity;
    private final LinkedHashMap<String, GatewayUpdate> waiting = new LinkedHashMap<>();

    public GatewayBuffer(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.capacity = capacity;
    }

    public synchronized Offer offer(GatewayUpdate update) {
        Offer result = Offer.QUEUED;
        if (waiting.containsKey(update.topic())) {
            result = Offer.REPLACED;
        } else if (waiting.size() >= capacity) {
            Iterator<Map.Entry<String, GatewayUpdate>> oldest = waiting.entrySet().iterator();
            oldest.next();
            oldest.remove();
            result = Offer.QUEUED_DROPPING_OLDEST;
        }
        waiting.put(update.topic(), update);
        notifyAll();
        return result;
    }

    /** The update that has waited longest, waiting up to {@code timeout} for one; null if none came. */
    public synchronized GatewayUpdate take(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (waiting.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        Iterator<Map.Entry<String, GatewayUpdate>> oldest = waiting.entrySet().iterator();
        GatewayUpdate update = oldest.next().getValue();
        oldest.remove();
        return update;
    }

    /**
     * Waits up to {@code delay} (a retry's backoff), returning early with true if a newer update
     * of {@code topic} arrives meanwhile, which makes the one being retried obsolete.
     */
    public synchronized boolean awaitNewer(String topic, Duration delay) throws InterruptedException {
        long deadline = System.nanoTime() + delay.toNanos();
        while (!waiting.containsKey(topic)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    public synchronized int size() {
        return waiting.size();
    }
}
