package io.pushgate.client;

import java.lang.System.Logger.Level;
import java.util.List;

/**
 * The calls into listeners, each guarded: a listener that throws is logged and neither stops the
 * other listeners nor the client. On the client's event thread, like every callback.
 */
final class Callbacks {

    private static final System.Logger LOG = System.getLogger(TopicStreams.class.getName());

    private Callbacks() {
    }

    /** Hands the topic's value (or last event) to each of its subscriptions. */
    static void deliver(TopicStream s) {
        for (SubscriptionImpl sub : List.copyOf(s.listeners)) {
            deliverTo(sub, s);
        }
    }

    static void deliverTo(SubscriptionImpl sub, TopicStream s) {
        if (!sub.isOpen()) {
            return;
        }
        try {
            if (s.lastEvent != null) {
                sub.listener.onEvent(s.topic, s.lastEvent);
            } else {
                sub.listener.onValue(s.topic, s.spec, s.seq, s.value);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the listener of " + sub + " failed on " + s.topic + "@" + s.seq, e);
        }
    }

    /** The topic ended for each of its subscriptions: they no longer have it, and are told why. */
    static void ended(TopicStream s, String reason) {
        for (SubscriptionImpl sub : List.copyOf(s.listeners)) {
            sub.topics.remove(s.topic);
            unsubscribed(sub, s.topic, reason);
        }
    }

    /**
     * The topic was removed and added again while the client was away: its subscriptions keep it,
     * but are told {@code REMOVED} before its new (lower) seqs.
     */
    static void recreated(TopicStream s) {
        for (SubscriptionImpl sub : List.copyOf(s.listeners)) {
            unsubscribed(sub, s.topic, "REMOVED");
        }
    }

    static void unsubscribed(SubscriptionImpl sub, String topic, String reason) {
        try {
            sub.listener.onUnsubscribed(topic, reason);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the listener of " + sub + " failed on unsubscribed " + topic, e);
        }
    }

    static void gap(TopicStream s, long from, long to, String reason) {
        for (SubscriptionImpl sub : List.copyOf(s.listeners)) {
            if (!sub.isOpen()) {
                continue;
            }
            try {
                sub.listener.onGap(s.topic, from, to, reason);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "the listener of " + sub + " failed on a gap in " + s.topic, e);
            }
        }
    }
}
