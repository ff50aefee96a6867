package io.pushgate.gateway.replication;

import io.pushgate.gateway.topics.Topic;
import java.util.List;

/**
 * Sees every change of this gateway's topic tree, in the order {@link TopicMirror} applied them,
 * from its single applying thread: the hub (and through it the sessions), the view engine and
 * the presence keeper are listeners. A listener only hands the change over to where it is worked
 * on; it never blocks the applier.
 */
public interface TopicListener {

    void topicAdded(Topic topic);

    void topicUpdated(TopicUpdate update);

    /** Several topics changed together (one message of the store), in this order: by default one {@link #topicUpdated} each. */
    default void topicsUpdated(List<TopicUpdate> updates) {
        updates.forEach(this::topicUpdated);
    }

    void topicRemoved(Topic topic);
}
