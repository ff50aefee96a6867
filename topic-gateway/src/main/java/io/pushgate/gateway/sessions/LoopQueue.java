package io.pushgate.gateway.sessions;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The topic changes waiting for one event loop, run there in order as batches: whatever is
 * queued when the loop gets to it (up to {@link #MAX_BATCH}) is delivered in one
 * {@link WriteBatch}, so that at high update rates each connection is flushed once for several
 * messages. At low rates a batch is one update and nothing waits.
 */
final class LoopQueue {

    private static final Logger LOG = Logger.getLogger(LoopQueue.class.getName());

    /** Updates per batch at most, so that one busy topic cannot hold a loop for long. */
    static final int MAX_BATCH = 64;

    private final Executor loop;
    private final Queue<Runnable> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    LoopQueue(Executor loop) {
        this.loop = loop;
    }

    void submit(Runnable change) {
        pending.add(change);
        if (scheduled.compareAndSet(false, true)) {
            loop.execute(this::drain);
        }
    }

    private void drain() {
        try {
            WriteBatch.run(() -> {
                Runnable change;
                for (int n = 0; n < MAX_BATCH && (change = pending.poll()) != null; n++) {
                    try {
                        change.run();
                    } catch (RuntimeException e) {
                        // One session's failure must not stop the loop's deliveries to the others.
                        LOG.log(Level.WARNING, "delivering a topic change failed", e);
                    }
                }
            });
        } finally {
            scheduled.set(false);
            if (!pending.isEmpty() && scheduled.compareAndSet(false, true)) {
                loop.execute(this::drain);
            }
        }
    }
}
