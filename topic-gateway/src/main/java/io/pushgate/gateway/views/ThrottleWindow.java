package io.pushgate.gateway.views;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The decisions behind {@code throttle to N updates every T} for one reference topic, without
 * threads or clocks of its own: the runtime passes the time and owns the timer.
 *
 * <p>A sliding window: an update goes at once if fewer than N went in the last period
 * (any interval of length T holds at most N sends). Otherwise it waits until the oldest of
 * those leaves the window, replacing whatever was waiting, so that the reference topic always
 * ends on the latest value (Diffusion's "topic-scoped conflation"). The runtime calls
 * {@link #offer} on each source update and {@link #poll} when the time it was told arrives.
 *
 * <p>Not thread-safe: confine an instance to the thread that owns its topic. Times are in
 * milliseconds of a monotonic clock; a time earlier than one already seen counts as that one.
 *
 * @param <V> the value type (a JsonNode for the gateway; non-null)
 */
public final class ThrottleWindow<V> {

    /** What to do with an offered update. */
    public sealed interface Decision<V> permits Send, Wait {
    }

    /** Publish this value now. */
    public record Send<V>(V value) implements Decision<V> {
    }

    /** The value is held; call {@link #poll} at {@code untilMillis} (a timer may already be set for it). */
    public record Wait<V>(long untilMillis) implements Decision<V> {
    }

    private final int updates;
    private final long periodMillis;
    /** Times of the sends still in the window, oldest first; never more than {@code updates}. */
    private final ArrayDeque<Long> sent = new ArrayDeque<>();
    private V pending;
    private long now = Long.MIN_VALUE;

    public ThrottleWindow(Throttle throttle) {
        this.updates = throttle.updates();
        this.periodMillis = throttle.period().toMillis();
    }

    /** A new value from the source: send it now, or hold it (dropping any value held before). */
    public Decision<V> offer(V value, long nowMillis) {
        Objects.requireNonNull(value, "value");
        advance(nowMillis);
        if (sent.size() < updates) {
            pending = null; // superseded: the latest value goes now
            sent.addLast(now);
            return new Send<>(value);
        }
        pending = value;
        return new Wait<>(dueAt());
    }

    /** The held value if its time has come (then it counts as sent), else empty. */
    public Optional<V> poll(long nowMillis) {
        advance(nowMillis);
        if (pending == null || sent.size() >= updates) {
            return Optional.empty();
        }
        V value = pending;
        pending = null;
        sent.addLast(now);
        return Optional.of(value);
    }

    /** When the held value may go, if one is held. */
    public OptionalLong pendingUntil() {
        return pending == null ? OptionalLong.empty() : OptionalLong.of(dueAt());
    }

    public boolean hasPending() {
        return pending != null;
    }

    private long dueAt() {
        return sent.peekFirst() + periodMillis;
    }

    private void advance(long nowMillis) {
        now = Math.max(now, nowMillis);
        // a send at t is in the window (now - period, now]
        while (!sent.isEmpty() && sent.peekFirst() + periodMillis <= now) {
            sent.removeFirst();
        }
    }
}
