package io.pushgate.gateway.sessions;

import io.pushgate.gateway.replication.TopicUpdate;
import io.pushgate.gateway.topics.Topic;
import java.util.ArrayDeque;

/**
 * One session's subscription to one topic. The hub holds these (grouped by event loop in
 * {@link TopicSubscribers}), so that an update reaches the session and its per-topic state
 * without a lookup. Touched on the session's event loop only.
 */
final class Subscription {

    final Session session;
    final Topic topic;
    /** The last seq sent for the topic: all the delta rule and conflation need to remember. */
    long lastSeq;
    /** A time series whose missed events are being read from the store. */
    boolean recovering;
    /** Live events that arrived while recovering, delivered after the recovered ones. */
    ArrayDeque<TopicUpdate> buffered;
    boolean bufferOverflowed;

    Subscription(Session session, Topic topic) {
        this.session = session;
        this.topic = topic;
    }

    boolean isTimeSeries() {
        return topic.spec().isTimeSeries();
    }
}
