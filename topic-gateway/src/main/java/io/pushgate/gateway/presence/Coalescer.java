package io.pushgate.gateway.presence;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Gathers the keys that changed and hands them over at most once per interval: the first mark
 * after a hand-over asks the {@link Scheduler} for a run after the interval, and marks until
 * that run are folded into it. So a burst of N subscribes to one topic within an interval (a
 * reconnect storm) is one write, not N; and a quiet topic costs nothing.
 *
 * <p>Not thread-safe: used on one thread, which the scheduler runs its tasks on as well.
 */
public final class Coalescer<K> {

    /** Runs a task once after a delay, on the coalescer's thread. */
    public interface Scheduler {
        void after(long delayMillis, Runnable task);
    }

    private final Scheduler scheduler;
    private final long intervalMillis;
    private final Consumer<Set<K>> handOver;
    private Set<K> marked = new LinkedHashSet<>();
    private boolean scheduled;

    public Coalescer(Scheduler scheduler, long intervalMillis, Consumer<Set<K>> handOver) {
        if (intervalMillis < 0) {
            throw new IllegalArgumentException("interval must not be negative: " + intervalMillis);
        }
        this.scheduler = scheduler;
        this.intervalMillis = intervalMillis;
        this.handOver = handOver;
    }

    public void mark(K key) {
        marked.add(key);
        if (!scheduled) {
            scheduled = true;
            scheduler.after(intervalMillis, this::run);
        }
    }

    /** Keys marked and not yet handed over. */
    public int pending() {
        return marked.size();
    }

    private void run() {
        scheduled = false;
        if (marked.isEmpty()) {
            return;
        }
        Set<K> batch = marked;
        marked = new LinkedHashSet<>();
        handOver.accept(batch);
    }
}
