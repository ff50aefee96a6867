package io.pushgate.gateway.topics;


/** A topic as the store holds it. {@code value} is null when none is retained. */
public record StoredTopic(String path, TopicSpec spec, long seq, TopicValue value) {
}
