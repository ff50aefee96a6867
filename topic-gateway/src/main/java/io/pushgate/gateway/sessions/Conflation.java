package io.pushgate.gateway.sessions;

import io.pushgate.gateway.topics.Topic;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * What a session does when its client reads too slowly: instead of queueing more frames while
 * the connection's write queue is full, each topic that changed is marked pending, and when the
 * queue drains the topic's current whole value is sent (time series recover their missed events
 * instead). Memory per connection is O(topics), never O(messages). The session is behind from
 * the first topic marked until none is left; behind for longer than the limit, it is closed.
 * On the session's event loop only.
 */
final class Conflation {

    private final Session session;
    private final LongSupplier nanoClock;
    private final long slowConsumerTimeoutNanos;
    /** Pending topics by tid, in the order they fell behind: the oldest are sent first. */
    private final Map<Long, Subscription> pending = new LinkedHashMap<>();
    /** When the session fell behind on the nano clock (at least 1), or 0 when it is not. */
    private long behindSince;

    Conflation(Session session, LongSupplier nanoClock, long slowConsumerTimeoutNanos) {
        this.session = session;
        this.nanoClock = nanoClock;
        this.slowConsumerTimeoutNanos = slowConsumerTimeoutNanos;
    }

    boolean isBehind() {
        return behindSince != 0;
    }

    /**
     * The topic changed and could not be written: it is sent when the queue drains, or, for a
     * topic whose conflation policy is {@code unsubscribe}, the subscription ends now.
     */
    void markPending(Subscription sub) {
        if ("unsubscribe".equals(sub.topic.spec().conflation())) {
            session.subscriptions.conflatedAway(sub);
            return;
        }
        if (behindSince == 0) {
            behindSince = Math.max(1, nanoClock.getAsLong());
        }
        if (pending.putIfAbsent(sub.topic.tid(), sub) == null) {
            session.hub().stats().conflations.increment();
        }
    }

    /** The subscription ended: nothing of it is pending any more. */
    void forget(Subscription sub) {
        pending.remove(sub.topic.tid());
    }

    void clear() {
        pending.clear();
    }

    /**
     * The write queue has drained: sends the current whole value of each pending topic (or
     * recovers a pending time series) as long as the queue takes them.
     */
    void drained(Outbound out) {
        for (Iterator<Subscription> it = pending.values().iterator(); it.hasNext() && out.isWritable(); ) {
            Subscription sub = it.next();
            it.remove();
            if (sub.isTimeSeries()) {
                if (session.subscriptions.isCurrent(sub) && !sub.recovering) {
                    session.recovery.recover(sub, false);
                }
                continue;
            }
            Topic.State state = sub.topic.state();
            if (session.subscriptions.isCurrent(sub) && state.value() != null && state.seq() > sub.lastSeq) {
                session.write(UpdateFrames.valueFrame(sub.topic, state, session.format()));
                sub.lastSeq = state.seq();
            }
        }
        if (pending.isEmpty()) {
            behindSince = 0;
        }
    }

    /** True when the session has been behind for longer than the slow consumer limit. */
    boolean behindTooLong() {
        return isBehind() && nanoClock.getAsLong() - behindSince > slowConsumerTimeoutNanos;
    }
}
