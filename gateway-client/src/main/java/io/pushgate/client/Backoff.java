package io.pushgate.client;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter for reconnection attempts: the n-th consecutive attempt waits a
 * random time between half and all of {@code min(max, initial * 2^n)} ("equal jitter"), so that
 * many clients cut off at once by a gateway restart do not all come back in the same instant,
 * while each still waits at least half the nominal delay.
 */
final class Backoff {

    private final long initialNanos;
    private final long maxNanos;
    private final DoubleSupplier random;

    Backoff(Duration initial, Duration max, DoubleSupplier random) {
        if (initial.isNegative() || max.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 <= initial <= max, got " + initial + " and " + max);
        }
        this.initialNanos = initial.toNanos();
        this.maxNanos = max.toNanos();
        this.random = random;
    }

    /** The nominal delay before attempt {@code attempt} (0 for the first), without jitter. */
    Duration nominal(int attempt) {
        long delay = initialNanos;
        for (int i = 0; i < attempt && delay < maxNanos; i++) {
            delay = delay > maxNanos / 2 ? maxNanos : delay * 2;
        }
        return Duration.ofNanos(Math.min(delay, maxNanos));
    }

    /** The delay before attempt {@code attempt}: between half and all of {@link #nominal}. */
    Duration delay(int attempt) {
        long nominal = nominal(attempt).toNanos();
        long half = nominal / 2;
        return Duration.ofNanos(half + (long) (random.getAsDouble() * (nominal - half)));
    }
}
