package io.pushgate.protocol.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.protocol.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * A gateway-to-client message of the contract ({@code docs/protocol.md}). {@link MessageCodec} turns
 * one into JSON text and back. {@code id}s are JSON (a string or a number), null when absent; a field
 * that may be absent is null when it is.
 */
public sealed interface ServerMessage {

    /** The message's {@code type}. */
    String type();

    /** {@code ok}: the reply to a request; {@code fields} holds its op-specific fields (all but type and id). */
    record Ok(JsonNode id, ObjectNode fields) implements ServerMessage {
        public String type() {
            return MessageType.OK;
        }

        /** {@code seq} of a write's ok. */
        public OptionalLong seq() {
            JsonNode seq = fields.get(Field.SEQ);
            return seq == null || !seq.canConvertToLong() ? OptionalLong.empty() : OptionalLong.of(seq.longValue());
        }

        /** {@code tids} of a subscribe's ok (extension): already subscribed topics the new selector matches; empty if none. */
        public List<Long> tids() {
            List<Long> tids = new ArrayList<>();
            fields.path(Field.TIDS).forEach(t -> tids.add(t.longValue()));
            return tids;
        }
    }

    /** {@code error}: {@code code} an {@link ErrorCode} name; {@code reason} (extension) may be null. */
    record Error(JsonNode id, String code, String message, String reason) implements ServerMessage {
        public String type() {
            return MessageType.ERROR;
        }

        public ErrorCode errorCode() {
            return ErrorCode.valueOf(code);
        }
    }

    /**
     * {@code subscription}: the connection now receives {@code topic} as {@code tid}. {@code selectors}
     * (extension): the connection's selectors, as written, that match the topic; null from a gateway
     * that does not send them.
     */
    record Subscription(String topic, long tid, JsonNode spec, List<String> selectors) implements ServerMessage {
        public String type() {
            return MessageType.SUBSCRIPTION;
        }
    }

    /** {@code value}: the whole value at {@code seq}, as JSON in {@code value} or (fossil mode) as its exact {@code text}. */
    record Value(long tid, long seq, JsonNode value, String text) implements ServerMessage {
        public String type() {
            return MessageType.VALUE;
        }
    }

    /** {@code delta}: from the value at {@code seq - 1}, a JSON Patch in {@code patch} or a Fossil delta text in {@code delta}. */
    record Delta(long tid, long seq, JsonNode patch, String delta) implements ServerMessage {
        public String type() {
            return MessageType.DELTA;
        }
    }

    /** {@code event}: a time series event {@code {seq, time, author, value, editOf?}}. */
    record Event(long tid, JsonNode event) implements ServerMessage {
        public String type() {
            return MessageType.EVENT;
        }
    }

    /** {@code unsubscribed}: {@code reason} one of {@link UnsubscribedReason}; {@code topic} (extension) may be null. */
    record Unsubscribed(long tid, String topic, String reason) implements ServerMessage {
        public String type() {
            return MessageType.UNSUBSCRIBED;
        }
    }

    /** {@code gap} (extension): events {@code from}..{@code to} of a time series were no longer retained. */
    record Gap(long tid, String topic, long from, long to, String reason) implements ServerMessage {
        public String type() {
            return MessageType.GAP;
        }
    }

    /** {@code pong}: the reply to {@code ping}. */
    record Pong(JsonNode id) implements ServerMessage {
        public String type() {
            return MessageType.PONG;
        }
    }

    /** {@code fetch}: the reply to {@code fetch}, {@code results} an array of {@code {topic, spec, seq, value}}. */
    record FetchReply(JsonNode id, JsonNode results) implements ServerMessage {
        public String type() {
            return MessageType.FETCH;
        }
    }

    /** {@code range}: the reply to {@code range}, {@code events} an array of events. */
    record RangeReply(JsonNode id, String topic, JsonNode events) implements ServerMessage {
        public String type() {
            return MessageType.RANGE;
        }
    }

    /** Any other message (an extension's: {@code sessions}, {@code request}...), kept whole. */
    record Other(String type, ObjectNode json) implements ServerMessage {
    }
}
