package io.pushgate.gateway.memory;

import io.pushgate.gateway.store.ChangeListeners;
import io.pushgate.gateway.store.ChangeStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The change stream of the memory stores: one delivery thread, so changes reach the listeners
 * one at a time in the order the stores made them (a store hands a change over while it still
 * holds its lock), never on the writer's thread (a listener may call back into the stores).
 * As with pub/sub, changes made before {@link #listen} reach no one; nothing is ever lost after it,
 * so {@code resync()} is called once only, when listening starts.
 */
public final class MemoryChangeStream implements ChangeStream, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(MemoryChangeStream.class);

    private final ExecutorService delivery = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "pushgate-memory-changes");
        t.setDaemon(true);
        return t;
    });
    private volatile ChangeListeners listeners;

    @Override
    public CompletionStage<Void> listen(ChangeListeners listeners) {
        CompletableFuture<Void> started = new CompletableFuture<>();
        delivery.execute(() -> {
            this.listeners = listeners;
            listeners.security().resync();
            listeners.topics().resync();
            listeners.views().resync();
            started.complete(null);
        });
        return started;
    }

    /**
     * Delivers a change to the listeners (if any), then completes the stage it returns with
     * {@code result}: a write's stage completes once this replica has applied it, as its own store
     * would have it. Called with the store's lock held, so that changes leave in the order they were made.
     */
    <T> CompletableFuture<T> publish(Consumer<ChangeListeners> change, T result) {
        CompletableFuture<T> done = new CompletableFuture<>();
        try {
            delivery.execute(() -> {
                ChangeListeners to = listeners;
                if (to != null) {
                    try {
                        change.accept(to);
                    } catch (RuntimeException e) {
                        LOG.error("a change listener failed", e);
                    }
                }
                done.complete(result);
            });
        } catch (RejectedExecutionException e) {
            // Closed: the change is stored, and no one is listening any more.
            done.complete(result);
        }
        return done;
    }

    /** Stops the delivery thread (changes not yet delivered are dropped). */
    @Override
    public void close() {
        delivery.shutdownNow();
    }
}
