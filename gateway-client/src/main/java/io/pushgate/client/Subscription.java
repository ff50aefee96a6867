package io.pushgate.client;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A selector subscribed with {@link PushgateClient#subscribe(String, ValueListener)}: its listener
 * receives the values of every topic the selector matches, now and when matching topics are
 * added later, across reconnections, until {@link #close()}.
 *
 * <p>Thread-safe: {@link #close()} may be called from any thread, listener callbacks included.
 */
public interface Subscription extends AutoCloseable {

    /** The selector, as it was given. */
    String selector();

    /** False once closed, by {@link #close()}, by the gateway refusing it, or by the client closing. */
    boolean isOpen();

    /** The topics this subscription currently delivers, a snapshot. */
    Set<String> topics();

    /**
     * Unsubscribes: the listener gets {@code onUnsubscribed(topic, "REQUESTED")} for each topic it
     * had and no callback after that. The selector is unsubscribed at the gateway when no other
     * open subscription of this client uses the same selector; topics that other subscriptions
     * still select keep flowing to them. The future completes when the gateway has acknowledged
     * the unsubscription (at once if there was nothing to tell it).
     */
    CompletableFuture<Void> closeAsync();

    /** {@link #closeAsync()} without waiting. Idempotent. */
    @Override
    void close();
}
