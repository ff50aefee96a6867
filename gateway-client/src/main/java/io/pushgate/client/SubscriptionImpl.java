package io.pushgate.client;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link Subscription}: the listener, its readiness, and the topics it currently has. */
final class SubscriptionImpl implements Subscription {

    private final Subscriptions owner;
    private final String selector;
    /** The selector as the client keys and sends it ({@link #keyOf}), and as the gateway names it back. */
    final String key;
    final ValueListener listener;
    /** Completes with this subscription when the gateway first acknowledges it. */
    final CompletableFuture<Subscription> ready = new CompletableFuture<>();
    final Set<String> topics = ConcurrentHashMap.newKeySet();
    private volatile boolean open = true;
    /** Event-thread state: the owner has already taken it out of its tables. */
    boolean removed;

    SubscriptionImpl(Subscriptions owner, String selector, ValueListener listener) {
        this.owner = owner;
        this.selector = selector;
        this.key = keyOf(selector);
        this.listener = listener;
    }

    /**
     * The form of a selector the client uses as its key: a bare path is written as {@code >path},
     * which is what the contract says it means.
     */
    static String keyOf(String selector) {
        if (selector.isEmpty()) {
            return selector;
        }
        char first = selector.charAt(0);
        return first == '>' || first == '?' || first == '*' || first == '#' ? selector : ">" + selector;
    }

    @Override
    public String selector() {
        return selector;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** Marks it closed; true the first time. Callbacks stop at once. */
    boolean markClosed() {
        if (!open) {
            return false;
        }
        open = false;
        return true;
    }

    @Override
    public Set<String> topics() {
        return Set.copyOf(topics);
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
        return owner.close(this, "REQUESTED");
    }

    @Override
    public void close() {
        closeAsync();
    }

    @Override
    public String toString() {
        return "Subscription[" + selector + (open ? "" : ", closed") + "]";
    }
}
