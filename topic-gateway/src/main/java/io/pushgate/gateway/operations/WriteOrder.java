package io.pushgate.gateway.operations;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Hands one client's writes to the store in the order the client made them, without waiting for
 * one to be stored before handing over the next: the store keeps the order of what it is handed
 * on one event loop (its writes to Redis are pipelined on one connection), so order is kept
 * while many writes are in flight.
 *
 * <p>A write is handed over as soon as it is checked. Most checks are done at once (the topic is
 * in this gateway's tree); a write to a topic this gateway does not hold yet needs the store's
 * spec first, and then the writes made after it wait until it has been handed over, so none
 * overtakes it. Not thread-safe: one per session, used on the session's event loop.
 */
public final class WriteOrder {

    /** No order to keep (REST requests, the view engine): each write is handed over once checked. */
    public static final WriteOrder NONE = new WriteOrder(null);

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final Executor executor;
    /** Completes once every write made so far has been handed to the store. */
    private CompletableFuture<Void> handedOver = DONE;

    /** @param executor the session's event loop, where late writes are handed over */
    public WriteOrder(Executor executor) {
        this.executor = executor;
    }

    /**
     * Runs {@code handOver} (which gives the write to the store and returns its result) with the
     * result of {@code checked}, once {@code checked} has completed and every earlier write has
     * been handed over: at once when both are so already.
     */
    <C, T> CompletionStage<T> after(CompletionStage<C> checked, Function<C, CompletionStage<T>> handOver) {
        CompletableFuture<C> check = checked.toCompletableFuture();
        if (executor == null) {
            return check.thenCompose(handOver);
        }
        if (handedOver.isDone() && check.isDone()) {
            // The common case: nothing waits, the write goes to the store now, in its turn.
            return check.thenCompose(handOver);
        }
        CompletableFuture<Void> before = handedOver;
        CompletableFuture<Void> mine = new CompletableFuture<>();
        handedOver = mine;
        CompletableFuture<T> result = new CompletableFuture<>();
        CompletableFuture.allOf(before, check.handle((c, e) -> null)).whenCompleteAsync((v, ignored) -> {
            try {
                check.thenCompose(handOver).whenComplete((r, e) -> {
                    if (e != null) {
                        result.completeExceptionally(e);
                    } else {
                        result.complete(r);
                    }
                });
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            } finally {
                mine.complete(null);
            }
        }, executor);
        return result;
    }
}
