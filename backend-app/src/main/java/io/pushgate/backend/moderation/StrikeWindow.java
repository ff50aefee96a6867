package io.pushgate.backend.moderation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Strikes per author per room in a sliding window: {@link #strike} records one now and answers how
 * many the author has in that room within the last {@code window}, this one included. Memory is
 * bounded by the strikes inside the window: older ones are forgotten as the clock moves on.
 *
 * <p>Not thread-safe (the moderator's one thread uses it). Kept in memory: a restart forgets strikes.
 */
public final class StrikeWindow {

    private record Key(String room, String principal) {
    }

    private final Duration window;
    private final Clock clock;
    private final Map<Key, Deque<Instant>> strikes = new HashMap<>();
    private Instant lastSweep;

    public StrikeWindow(Duration window, Clock clock) {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("the strike window must be positive");
        }
        this.window = window;
        this.clock = clock;
        this.lastSweep = clock.instant();
    }

    /** Records a strike; returns the author's strikes in the room within the window, this one included. */
    public int strike(String room, String principal) {
        Instant now = clock.instant();
        sweep(now);
        Deque<Instant> times = strikes.computeIfAbsent(new Key(room, principal), k -> new ArrayDeque<>());
        expire(times, now);
        times.addLast(now);
        return times.size();
    }

    /** The author's strikes in the room within the window now. */
    public int count(String room, String principal) {
        Deque<Instant> times = strikes.get(new Key(room, principal));
        if (times == null) {
            return 0;
        }
        expire(times, clock.instant());
        return times.size();
    }

    /** Forgets the author's strikes in the room (after a revocation). */
    public void clear(String room, String principal) {
        strikes.remove(new Key(room, principal));
    }

    /** Authors with strikes in the window, over all rooms (for tests and metrics). */
    public int tracked() {
        sweep(clock.instant());
        return strikes.size();
    }

    private void expire(Deque<Instant> times, Instant now) {
        Instant cutoff = now.minus(window);
        while (!times.isEmpty() && !times.peekFirst().isAfter(cutoff)) {
            times.pollFirst();
        }
    }

    /** Now and then, drops every author whose strikes have all left the window. */
    private void sweep(Instant now) {
        if (now.isBefore(lastSweep.plus(window))) {
            return;
        }
        lastSweep = now;
        for (Iterator<Deque<Instant>> it = strikes.values().iterator(); it.hasNext(); ) {
            Deque<Instant> times = it.next();
            expire(times, now);
            if (times.isEmpty()) {
                it.remove();
            }
        }
    }
}
