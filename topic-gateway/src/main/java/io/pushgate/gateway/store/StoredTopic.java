package io.pushgate.gateway.store;

import io.pushgate.gateway.topics.TopicSpec;
import io.pushgate.gateway.topics.TopicValue;

/** A topic as the store holds it. {@code value} is null when none is retained. */
public record StoredTopic(String path, TopicSpec spec, long seq, TopicValue value) {
}
