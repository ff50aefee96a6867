package io.pushgate.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import io.pushgate.protocol.message.Field;

/**
 * One event of a time series topic, as the gateway sends it ({@code event} messages and
 * {@code range} replies): {@code {seq, time, author, value, editOf?}}.
 *
 * @param seq the event's own sequence number; appends and edits of a topic share one sequence
 * @param time when the gateway stored it (Redis's clock); null if the gateway sent none
 * @param author the principal that wrote it, or {@code anonymous}
 * @param value the event's value (a JSON value for JSON events, a text node for STRING events, a
 *     number for INT64 and DOUBLE events)
 * @param editOf for an edit, the seq of the original event it replaces; 0 for an original event
 */
public record TimeSeriesEvent(long seq, Instant time, String author, JsonNode value, long editOf) {

    /** True if this event is an edit of event {@link #editOf()}. */
    public boolean isEdit() {
        return editOf > 0;
    }

    /** The seq of the original event: {@link #editOf()} for an edit, else {@link #seq()}. */
    public long originalSeq() {
        return isEdit() ? editOf : seq;
    }

    /**
     * Reads an event object of the wire.
     *
     * @throws IllegalArgumentException if it has no {@code seq} or no {@code value}
     */
    static TimeSeriesEvent fromJson(JsonNode node) {
        JsonNode seq = node.get(Field.SEQ);
        JsonNode value = node.get(Field.VALUE);
        if (seq == null || !seq.canConvertToLong() || seq.asLong() < 1 || value == null) {
            throw new IllegalArgumentException("not a time series event: " + node);
        }
        JsonNode editOf = node.get(Field.EDIT_OF);
        return new TimeSeriesEvent(seq.asLong(), time(node.path(Field.TIME).asText(null)), node.path(Field.AUTHOR).asText(null),
                value, editOf != null && editOf.canConvertToLong() ? editOf.asLong() : 0);
    }

    private static Instant time(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException again) {
                return null;
            }
        }
    }
}
