package io.pushgate.gateway.timeseries;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.gateway.topics.TopicValue;
import io.pushgate.protocol.Json;
import java.time.Instant;

/**
 * One event of a time series: its own seq, the time Redis stored it, its author (the
 * principal, or {@code anonymous}), its value, and for an edit the seq of the original event.
 */
public record TimeSeriesEvent(long seq, long timeMillis, String author, TopicValue value, Long editOf) {

    public boolean isEdit() {
        return editOf != null;
    }

    /** The seq of the original event this one is, or edits. */
    public long originalSeq() {
        return editOf != null ? editOf : seq;
    }

    public String isoTime() {
        return Instant.ofEpochMilli(timeMillis).toString();
    }

    /** {@code {seq, time, author, value, editOf?}} as in the contract; time is ISO-8601 (UTC). */
    public ObjectNode toJson() {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("seq", seq);
        node.put("time", isoTime());
        node.put("author", author);
        node.set("value", value.json());
        if (editOf != null) {
            node.put("editOf", editOf);
        }
        return node;
    }
}
