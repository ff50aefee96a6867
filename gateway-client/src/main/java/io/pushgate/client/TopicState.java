package io.pushgate.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.protocol.message.Field;

/**
 * One topic as {@link PushgateClient#fetch(String)} returns it.
 *
 * @param topic the topic's path
 * @param spec its specification, e.g. {@code {"type":"JSON","properties":{}}}
 * @param seq the sequence number of its current value (0 for a topic that has no value yet)
 * @param value its current value, or null when it has none (or the fetch asked for no values)
 */
public record TopicState(String topic, JsonNode spec, long seq, JsonNode value) {

    /** The topic's type as the spec names it ({@code JSON}, {@code STRING}, {@code INT64}, ...). */
    public String type() {
        return Values.typeOf(spec);
    }

    static TopicState fromJson(JsonNode node) {
        JsonNode value = node.get(Field.VALUE);
        return new TopicState(node.path(Field.TOPIC).asText(), node.get(Field.SPEC), node.path(Field.SEQ).asLong(),
                value == null || value.isMissingNode() ? null : value);
    }
}
