package io.pushgate.gateway.store;

import java.util.concurrent.CompletionStage;

/**
 * The port by which a replica follows every change made to the shared state by any replica: the
 * topic store's ({@link io.pushgate.gateway.topics.TopicChanges}), the view store's
 * ({@link io.pushgate.gateway.views.ViewChanges}) and the security store's
 * ({@link io.pushgate.gateway.security.SecurityChanges}). Implementations:
 * {@code redis.RedisTopicStore} (the three multiplexed on the store's change channels) and
 * {@code memory.MemoryChangeStream}.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>Ordering: per topic, per view and per role or principal, changes arrive in the order the
 *       store applied them. Nothing is promised across two of them.</li>
 *   <li>Delivery is at most once. Once the stream is followed, and again after every interruption
 *       (a lost connection), each listener's {@code resync()} is called, security first, then
 *       topics, then views: the listener reloads what it may have missed.</li>
 *   <li>Calls to the listeners come from one thread at a time (never concurrently).</li>
 * </ul>
 */
public interface ChangeStream {

    /** Starts delivering changes to the listeners; completes once it is following (or trying to: it retries on its own). */
    CompletionStage<Void> listen(ChangeListeners listeners);
}
