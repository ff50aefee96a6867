package io.pushgate.backend.support;

import java.time.Duration;

/**
 * Exponential backoff: {@link #next()} answers the first delay, then twice the previous one, up to
 * the maximum; {@link #reset()} after a success starts again from the first. Not thread-safe: each
 * retrying loop owns one.
 */
public final class Backoff {

    private final long initialMillis;
    private final long maxMillis;
    private long nextMillis;

    public Backoff(Duration initial, Duration max) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max, got " + initial + " and " + max);
        }
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
        this.nextMillis = initialMillis;
    }

    /** The delay to wait now; the one after it is twice as long, up to the maximum. */
    public Duration next() {
        long current = nextMillis;
        nextMillis = Math.min(maxMillis, current * 2);
        return Duration.ofMillis(current);
    }

    /** After a success: the next delay is the first one again. */
    public void reset() {
        nextMillis = initialMillis;
    }
}
