package io.pushgate.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.protocol.Causes;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.message.Field;
import io.pushgate.protocol.message.Op;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The client's selectors and the subscriptions that share each: {@code subscribe} and
 * {@code unsubscribe} at the gateway, their renewal on every new connection, and which topics go to
 * which subscription. Every method but {@link #subscribe} and {@link #close} runs on the event
 * thread; those two post their work to it.
 *
 * <p>The client has no selector engine: the gateway says which of the connection's selectors match
 * each topic (the {@code selectors} of its {@code subscription} message, and the {@code tids} of
 * the topics it already had in a {@code subscribe}'s {@code ok}; docs/protocol.md), and each
 * {@link TopicStream} keeps them. A gateway that does not send them is not supported: client and
 * gateway ship together.
 */
final class Subscriptions {

    private static final System.Logger LOG = System.getLogger(TopicStreams.class.getName());

    private final TopicStreams.Gateway gateway;
    private final Executor events;
    private final Executor completions;
    private final TopicTable table;
    private final TimeSeriesRecovery recovery;
    private final Map<String, SelectorEntry> selectors = new LinkedHashMap<>();

    Subscriptions(TopicStreams.Gateway gateway, Executor events, Executor completions, TopicTable table,
                  TimeSeriesRecovery recovery) {
        this.gateway = gateway;
        this.events = events;
        this.completions = completions;
        this.table = table;
        this.recovery = recovery;
    }

    // ---------------------------------------------------------------- any thread

    /** Registers a subscription; its {@code ready} future completes when the gateway acknowledges it. */
    SubscriptionImpl subscribe(String selector, ValueListener listener) {
        SubscriptionImpl sub = new SubscriptionImpl(this, selector, listener);
        if (!ClientThreads.post(events, () -> register(sub))) {
            sub.markClosed();
            sub.ready.completeExceptionally(new PushgateException(ErrorCode.UNAVAILABLE, "the client is closed"));
        }
        return sub;
    }

    /** Closes a subscription; the listener gets {@code onUnsubscribed(topic, reason)} for each topic it had. */
    CompletableFuture<Void> close(SubscriptionImpl sub, String reason) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!sub.markClosed()) {
            done.complete(null);
            return done;
        }
        if (!ClientThreads.post(events, () -> remove(sub, reason, done, null))) {
            done.complete(null);
        }
        return done;
    }

    // ---------------------------------------------------------------- event thread

    private void register(SubscriptionImpl sub) {
        if (table.isClosed()) {
            sub.ready.completeExceptionally(new PushgateException(ErrorCode.UNAVAILABLE, "the client is closed"));
            return;
        }
        if (!sub.isOpen()) {
            completions.execute(() -> sub.ready.complete(sub)); // closed before it was registered
            return;
        }
        SelectorEntry entry = selectors.computeIfAbsent(sub.key, SelectorEntry::new);
        entry.subs.add(sub);
        // The gateway sends a topic once per connection, whatever the number of selectors that
        // match it: topics already received are handed to the new subscription from here (those of
        // a selector new to the client when the gateway's ok names them: adopt).
        for (TopicStream s : table.all()) {
            if (entry.matches(s)) {
                attachAndDeliver(s, sub);
            }
        }
        if (gateway.isConnected()) {
            sendSubscribe(entry, List.of(sub), false);
        }
        // else: sent by renewAll() on the next connection
    }

    /**
     * Subscribes a selector at the gateway. {@code waiting} are the subscriptions whose futures the
     * acknowledgement completes; if the gateway refuses, they end (all of the selector's when
     * {@code renewal}: it refused a selector it had accepted before).
     */
    private void sendSubscribe(SelectorEntry entry, List<SubscriptionImpl> waiting, boolean renewal) {
        ObjectNode request = Requests.op(Op.SUBSCRIBE).put(Field.SELECTOR, entry.key);
        recovery.writeSince(request, entry::matches);
        CompletableFuture<JsonNode> reply = gateway.request(request);
        // Completed where the reply is read, not on the event thread: a listener may wait on them.
        reply.thenAccept(ok -> waiting.forEach(sub -> completions.execute(() -> sub.ready.complete(sub))));
        reply.whenCompleteAsync((ok, error) -> {
            if (error == null) {
                adopt(entry, ok);
                return;
            }
            Throwable cause = Causes.unwrap(error);
            if (cause instanceof PushgateException.ConnectionLost) {
                return; // renewed on the next connection
            }
            String reason = cause instanceof PushgateException pe ? pe.code().name() : ErrorCode.UNAVAILABLE.name();
            LOG.log(Level.WARNING, "subscription to ''{0}'' ended: {1}", entry.key, cause.getMessage());
            for (SubscriptionImpl sub : renewal ? List.copyOf(entry.subs) : waiting) {
                if (sub.markClosed()) {
                    remove(sub, reason, new CompletableFuture<>(), cause);
                } else if (!sub.ready.isDone()) {
                    completions.execute(() -> sub.ready.completeExceptionally(cause));
                }
            }
        }, events);
    }

    /**
     * A {@code subscribe}'s {@code ok}: its {@code tids} are topics this connection already had
     * that the selector matches too (the gateway sends no {@code subscription} again for them).
     */
    private void adopt(SelectorEntry entry, JsonNode ok) {
        if (table.isClosed() || selectors.get(entry.key) != entry) {
            return;
        }
        for (JsonNode tid : ok.path(Field.TIDS)) {
            TopicStream s = table.byTid(tid.asLong(-1));
            if (s != null && s.selectors.add(entry.key)) {
                for (SubscriptionImpl sub : List.copyOf(entry.subs)) {
                    attachAndDeliver(s, sub);
                }
            }
        }
    }

    /**
     * Takes a closed subscription out. Its future, if still pending, completes with it, or fails
     * with {@code failure} when the gateway refused it.
     */
    private void remove(SubscriptionImpl sub, String reason, CompletableFuture<Void> done, Throwable failure) {
        if (sub.removed) {
            done.complete(null);
            return;
        }
        sub.removed = true;
        for (TopicStream s : table.all()) {
            if (s.listeners.remove(sub)) {
                sub.topics.remove(s.topic);
                Callbacks.unsubscribed(sub, s.topic, reason);
            }
        }
        if (!sub.ready.isDone()) {
            completions.execute(failure == null
                    ? () -> sub.ready.complete(sub) // closed before the gateway answered
                    : () -> sub.ready.completeExceptionally(failure));
        }
        SelectorEntry entry = selectors.get(sub.key);
        if (entry == null || !entry.subs.remove(sub) || !entry.subs.isEmpty()) {
            done.complete(null);
            return;
        }
        selectors.remove(sub.key);
        if (table.isClosed() || !gateway.isConnected()) {
            table.all().forEach(s -> s.selectors.remove(entry.key));
            table.dropUnwatched();
            done.complete(null);
            return;
        }
        gateway.request(Requests.op(Op.UNSUBSCRIBE).put(Field.SELECTOR, entry.key)).whenCompleteAsync((ok, error) -> {
            afterUnsubscribe(entry);
            done.complete(null);
        }, events);
    }

    /**
     * The gateway unsubscribes every topic the selector matches, even those another selector of
     * this client still matches (Diffusion's rule): renew those selectors, then drop what did not
     * come back.
     */
    private void afterUnsubscribe(SelectorEntry removed) {
        Set<String> renew = new LinkedHashSet<>();
        for (TopicStream s : table.all()) {
            if (s.selectors.remove(removed.key)) {
                s.listeners.forEach(sub -> renew.add(sub.key));
            }
        }
        if (table.isClosed() || !gateway.isConnected()) {
            return;
        }
        for (String key : renew) {
            SelectorEntry entry = selectors.get(key);
            if (entry != null) {
                sendSubscribe(entry, List.of(), false);
            }
        }
        barrier(() -> table.sweepDetached("REQUESTED"));
    }

    /** Hands a topic the gateway announced to the subscriptions of the selectors it says match it. */
    void route(TopicStream s) {
        for (String key : s.selectors) {
            SelectorEntry entry = selectors.get(key);
            if (entry != null) {
                entry.subs.forEach(s::attach);
            }
        }
    }

    /** A topic held already, for a subscription that did not have it: its value (or last event) at once. */
    private static void attachAndDeliver(TopicStream s, SubscriptionImpl sub) {
        if (s.attach(sub) && s.hasContent()) {
            Callbacks.deliverTo(sub, s);
        }
    }

    /** A connection is open: every selector is subscribed again; pending subscriptions complete with it. */
    void renewAll() {
        for (SelectorEntry entry : selectors.values()) {
            List<SubscriptionImpl> waiting = new ArrayList<>();
            for (SubscriptionImpl sub : entry.subs) {
                if (!sub.ready.isDone()) {
                    waiting.add(sub);
                }
            }
            sendSubscribe(entry, waiting, true);
        }
    }

    /** The client is closed: every subscription ends, and those still pending fail. */
    void closeAll() {
        for (SelectorEntry entry : selectors.values()) {
            for (SubscriptionImpl sub : entry.subs) {
                sub.markClosed();
                sub.removed = true;
                sub.ready.completeExceptionally(new PushgateException(ErrorCode.UNAVAILABLE, "the client is closed"));
            }
        }
        selectors.clear();
    }

    /**
     * Runs {@code then} once the gateway has answered a ping sent now: the gateway handles a
     * connection's requests in order, so by then every message caused by earlier requests has
     * been received and handled.
     */
    void barrier(Runnable then) {
        gateway.request(Requests.op(Op.PING)).whenCompleteAsync((pong, error) -> {
            if (error == null && !table.isClosed()) {
                then.run();
            }
        }, events);
    }
}
