package io.pushgate.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.protocol.message.ServerMessage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The topics one client holds, by path, and by the gateway's {@code tid} on the current
 * connection: the table that {@link Subscriptions}, {@link ValueMessages} and
 * {@link TimeSeriesRecovery} share. Confined to the client's event thread.
 *
 * <p>A topic outlives its connection while a subscription still has it: its value and seq are what
 * the renewed subscription's first value is compared with. Its tid lasts one connection (tids are
 * per gateway process).
 */
final class TopicTable {

    private final Map<String, TopicStream> topics = new HashMap<>();
    private final Map<Long, TopicStream> tids = new HashMap<>();
    private boolean closed;

    /** True once the client is closed: the table is empty and stays so. */
    boolean isClosed() {
        return closed;
    }

    /** The client is closed: nothing is held, nothing is delivered any more. */
    void close() {
        closed = true;
        topics.clear();
        tids.clear();
    }

    boolean isEmpty() {
        return topics.isEmpty();
    }

    Collection<TopicStream> all() {
        return topics.values();
    }

    /** The topic of a {@code tid} on this connection; null if none. */
    TopicStream byTid(long tid) {
        return tids.get(tid);
    }

    /** True while {@code s} is the stream held for its path (not forgotten or replaced since). */
    boolean holds(TopicStream s) {
        return topics.get(s.topic) == s;
    }

    /**
     * A {@code subscription} message: the topic is held under its tid for this connection, matched
     * by its {@code selectors} (none from a gateway that does not say). A topic whose type changed
     * is another topic with the same path: its value is forgotten.
     */
    TopicStream announce(ServerMessage.Subscription message) {
        String topic = message.topic();
        long tid = message.tid();
        JsonNode spec = message.spec();
        String type = Values.typeOf(spec);
        TopicStream s = topics.computeIfAbsent(topic, TopicStream::new);
        if (s.attached && s.tid != tid) {
            tids.remove(s.tid);
        }
        if (!s.type.isEmpty() && !s.type.equals(type)) {
            s.resetValue(); // a topic of another type now has this path
        }
        s.tid = tid;
        s.attached = true;
        s.spec = spec;
        s.type = type;
        s.awaitingFirstEvent = s.isTimeSeries();
        s.selectors.clear();
        if (message.selectors() != null) {
            s.selectors.addAll(message.selectors());
        }
        tids.put(tid, s);
        return s;
    }

    /** An {@code unsubscribed} message: the topic of that tid, no longer under it; null if none. */
    TopicStream removeTid(long tid) {
        return tids.remove(tid);
    }

    void forget(TopicStream s) {
        topics.remove(s.topic);
    }

    /** The connection ended: every topic waits to be renewed; those no subscription has are forgotten. */
    void connectionLost() {
        tids.clear();
        for (Iterator<TopicStream> it = topics.values().iterator(); it.hasNext(); ) {
            TopicStream s = it.next();
            s.detach();
            s.reattached = true;
            if (s.listeners.isEmpty()) {
                it.remove();
            }
        }
    }

    /** Topics the gateway no longer sends: their listeners are told so and the topics forgotten. */
    void sweepDetached(String reason) {
        List<TopicStream> gone = new ArrayList<>();
        for (Iterator<TopicStream> it = topics.values().iterator(); it.hasNext(); ) {
            TopicStream s = it.next();
            if (!s.attached) {
                it.remove();
                gone.add(s);
            }
        }
        gone.forEach(s -> Callbacks.ended(s, reason));
    }

    /** Forgets the topics that neither a subscription nor the connection has. */
    void dropUnwatched() {
        topics.values().removeIf(s -> s.listeners.isEmpty() && !s.attached);
    }

    /** The topics currently held, for tests. */
    Map<String, TopicStream> asMapForTest() {
        return topics;
    }
}
