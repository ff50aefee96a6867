package io.pushgate.gateway.sessions;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Flushes each connection once per batch of updates instead of once per message.
 *
 * <p>Writing a message and flushing it costs a system call per connection per update; at
 * thousands of updates a second to thousands of subscribers that call is most of the work. While
 * an event loop delivers a batch of updates ({@link #run}), a transport that can hold its writes
 * back asks {@link #deferFlush} and gets its flush run once, at the end of the batch. The batch
 * is never held open for more messages to come: it covers the updates already queued for the
 * loop, so an update alone is flushed as soon as it is written.
 *
 * <p>One batch per thread, and only on the thread that runs it: event loops are single threads.
 */
public final class WriteBatch {

    private static final ThreadLocal<WriteBatch> CURRENT = ThreadLocal.withInitial(WriteBatch::new);

    private boolean open;
    private final Map<Object, Runnable> flushes = new IdentityHashMap<>();
    private final List<Runnable> order = new ArrayList<>();

    private WriteBatch() {
    }

    /** Runs {@code work} as one batch: flushes deferred by it run once each when it ends. */
    public static void run(Runnable work) {
        WriteBatch batch = CURRENT.get();
        if (batch.open) {
            work.run();
            return;
        }
        batch.open = true;
        try {
            work.run();
        } finally {
            batch.open = false;
            batch.flushAll();
        }
    }

    /**
     * Asks that {@code owner}'s {@code flush} run at the end of the current batch. Returns false,
     * and registers nothing, when no batch is open: the caller must flush now.
     */
    public static boolean deferFlush(Object owner, Runnable flush) {
        WriteBatch batch = CURRENT.get();
        if (!batch.open) {
            return false;
        }
        if (batch.flushes.putIfAbsent(owner, flush) == null) {
            batch.order.add(flush);
        }
        return true;
    }

    private void flushAll() {
        try {
            for (Runnable flush : order) {
                flush.run();
            }
        } finally {
            order.clear();
            flushes.clear();
        }
    }
}
