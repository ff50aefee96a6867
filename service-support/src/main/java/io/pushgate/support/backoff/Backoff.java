package io.pushgate.support.backoff;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Exponential back-off with a cap and optional jitter, the one every Pushgate service uses
 * between attempts: the n-th consecutive attempt (0 for the first) waits
 * {@code min(max, initial * factor^n)}, its {@link #nominal nominal} delay, spread by the
 * {@link Jitter} chosen.
 *
 * <p>Two ways to use it: by attempt number ({@link #delay(int)}, stateless, for a caller that
 * counts its own attempts), or as a retrying loop's cursor ({@link #next()} and, after a
 * success, {@link #reset()}). The cursor is not thread-safe: each retrying loop owns one
 * instance; {@link #delay(int)} may be called from any thread.
 */
public final class Backoff {

    /** How the nominal delay is spread, so that many clients cut off at once do not all retry in the same instant. */
    public enum Jitter {
        /** None: exactly the nominal delay. For a single loop in a service, where predictability beats spreading. */
        NONE,
        /** "Equal jitter": a random time between half and all of the nominal delay, so each waits at least half. */
        EQUAL
    }

    private final long initialNanos;
    private final long maxNanos;
    private final double factor;
    private final Jitter jitter;
    private final DoubleSupplier random;
    private int attempt;

    private Backoff(Duration initial, Duration max, double factor, Jitter jitter, DoubleSupplier random) {
        this.initialNanos = initial.toNanos();
        this.maxNanos = max.toNanos();
        this.factor = factor;
        this.jitter = jitter;
        this.random = random;
    }

    /**
     * Doubling from {@code initial} up to {@code max}, no jitter: {@link #next()} answers
     * {@code initial}, then twice the previous delay, up to {@code max}.
     *
     * @throws IllegalArgumentException unless {@code 0 < initial <= max}
     */
    public static Backoff exponential(Duration initial, Duration max) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max, got " + initial + " and " + max);
        }
        return new Backoff(initial, max, 2, Jitter.NONE, () -> 1);
    }

    /**
     * Doubling from {@code initial} up to {@code max}, each delay between half and all of that
     * ({@link Jitter#EQUAL}), with {@code random} answering values in {@code [0, 1)} (a constant
     * in tests). {@code initial} may be zero (reconnect at once, then wait).
     *
     * @throws IllegalArgumentException unless {@code 0 <= initial <= max}
     */
    public static Backoff withEqualJitter(Duration initial, Duration max, DoubleSupplier random) {
        if (initial.isNegative() || max.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 <= initial <= max, got " + initial + " and " + max);
        }
        return new Backoff(initial, max, 2, Jitter.EQUAL, Objects.requireNonNull(random, "random"));
    }

    /** {@link #withEqualJitter(Duration, Duration, DoubleSupplier)} with {@link ThreadLocalRandom}. */
    public static Backoff withEqualJitter(Duration initial, Duration max) {
        return withEqualJitter(initial, max, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** The same back-off multiplying by {@code factor} (at least 1) instead of 2. */
    public Backoff factor(double factor) {
        if (!(factor >= 1)) {
            throw new IllegalArgumentException("backoff factor must be at least 1, got " + factor);
        }
        return new Backoff(Duration.ofNanos(initialNanos), Duration.ofNanos(maxNanos), factor, jitter, random);
    }

    /** The nominal delay before attempt {@code attempt} (0 for the first), without jitter. */
    public Duration nominal(int attempt) {
        long delay = initialNanos;
        for (int i = 0; i < attempt && delay < maxNanos; i++) {
            delay = delay > maxNanos / factor ? maxNanos : (long) (delay * factor);
        }
        return Duration.ofNanos(Math.min(delay, maxNanos));
    }

    /** The delay before attempt {@code attempt} (0 for the first): the nominal one, spread by the jitter. */
    public Duration delay(int attempt) {
        long nominal = nominal(attempt).toNanos();
        return switch (jitter) {
            case NONE -> Duration.ofNanos(nominal);
            case EQUAL -> {
                long half = nominal / 2;
                yield Duration.ofNanos(half + (long) (random.getAsDouble() * (nominal - half)));
            }
        };
    }

    /** The delay to wait now; the one after it is the next attempt's. */
    public Duration next() {
        Duration delay = delay(attempt);
        if (attempt < Integer.MAX_VALUE) {
            attempt++;
        }
        return delay;
    }

    /** After a success: the next delay is the first one again. */
    public void reset() {
        attempt = 0;
    }
}
