package io.pushgate.protocol.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A client-to-gateway request of the contract ({@code docs/protocol.md}). {@link MessageCodec} turns
 * one into JSON text and back. {@code id}s are JSON (a string or a number), null when absent; an
 * optional field is null when absent.
 */
public sealed interface ClientMessage {

    /** The request's {@code op}. */
    String op();

    /** The request's {@code id}, or null. */
    JsonNode id();

    record Auth(JsonNode id, String token) implements ClientMessage {
        public String op() {
            return Op.AUTH;
        }
    }

    /** {@code since} (extension): the time series positions to resume from, as the client sends them. */
    record Subscribe(JsonNode id, String selector, JsonNode since) implements ClientMessage {
        public String op() {
            return Op.SUBSCRIBE;
        }
    }

    record Unsubscribe(JsonNode id, String selector) implements ClientMessage {
        public String op() {
            return Op.UNSUBSCRIBE;
        }
    }

    record Fetch(JsonNode id, String selector, Boolean withValues) implements ClientMessage {
        public String op() {
            return Op.FETCH;
        }
    }

    record Add(JsonNode id, String topic, JsonNode spec) implements ClientMessage {
        public String op() {
            return Op.ADD;
        }
    }

    record Set(JsonNode id, String topic, JsonNode value, JsonNode spec, Long ifSeq) implements ClientMessage {
        public String op() {
            return Op.SET;
        }
    }

    record Append(JsonNode id, String topic, JsonNode value) implements ClientMessage {
        public String op() {
            return Op.APPEND;
        }
    }

    record Edit(JsonNode id, String topic, long seq, JsonNode value) implements ClientMessage {
        public String op() {
            return Op.EDIT;
        }
    }

    record Range(JsonNode id, String topic, Long fromLast, Long from, String fromTime, Long to, Long limit, String view)
            implements ClientMessage {
        public String op() {
            return Op.RANGE;
        }
    }

    record Remove(JsonNode id, String selector) implements ClientMessage {
        public String op() {
            return Op.REMOVE;
        }
    }

    record Ping(JsonNode id) implements ClientMessage {
        public String op() {
            return Op.PING;
        }
    }

    /** Any other op (an extension's: session control, messaging), kept whole. */
    record Other(String op, JsonNode id, ObjectNode json) implements ClientMessage {
    }
}
