package io.pushgate.gateway.sessions;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.gateway.timeseries.TimeSeriesEvent;
import io.pushgate.gateway.topics.Topic;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.message.Field;
import io.pushgate.protocol.message.MessageType;
import io.pushgate.protocol.message.UnsubscribedReason;
import java.util.List;

/**
 * Builders of the gateway-to-client messages of the contract, with the names of
 * {@code io.pushgate.protocol.message} ({@code MessageCodec} decodes each of them to its record;
 * {@code MessagesMatchVectorsTest} checks them against the vectors).
 */
public final class Messages {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Messages() {
    }

    public static ObjectNode message(String type, JsonNode id) {
        ObjectNode node = NODES.objectNode();
        node.put(Field.TYPE, type);
        if (id != null && !id.isNull() && !id.isMissingNode()) {
            node.set(Field.ID, id);
        }
        return node;
    }

    public static ObjectNode ok(JsonNode id) {
        return message(MessageType.OK, id);
    }

    /**
     * {@code {"type":"ok","id":<id>,"seq":<seq>}}: the answer to every write, written out rather
     * than through a tree (it was a tenth of the ingest profile), byte for byte what {@link #ok}
     * with a {@code seq} gives.
     */
    public static Frame okSeq(JsonNode id, long seq) {
        StringBuilder sb = new StringBuilder(48).append("{\"" + Field.TYPE + "\":\"" + MessageType.OK + "\"");
        if (id != null && !id.isNull() && !id.isMissingNode()) {
            sb.append(",\"" + Field.ID + "\":");
            if (id.isTextual()) {
                sb.append('"');
                JsonStringEncoder.getInstance().quoteAsString(id.asText(), sb);
                sb.append('"');
            } else if (id.isNumber()) {
                // A number's text is its JSON, as the tree writes it (FramesWrittenOutTest).
                sb.append(id.asText());
            } else {
                sb.append(Json.write(id));
            }
        }
        return new Frame(MessageType.OK, sb.append(",\"" + Field.SEQ + "\":").append(seq).append('}').toString(), Frame.Kind.CONTROL);
    }

    /**
     * The {@code ok} to a {@code subscribe}, with {@code tids} (an extension): the topics the connection
     * was already subscribed to that the new selector matches too.
     */
    public static Frame subscribed(JsonNode id, List<Long> tids) {
        ObjectNode node = ok(id);
        ArrayNode array = node.putArray(Field.TIDS);
        tids.forEach(array::add);
        return frame(node);
    }

    public static Frame frame(ObjectNode message) {
        return new Frame(message.get(Field.TYPE).asText(), Json.write(message), Frame.Kind.CONTROL);
    }

    public static Frame error(JsonNode id, ErrorCode code, String text) {
        ObjectNode node = message(MessageType.ERROR, id);
        node.put(Field.CODE, code.name());
        node.put(Field.MESSAGE, text);
        return frame(node);
    }

    /**
     * {@code subscription}, with {@code selectors} (an extension): the connection's selectors, as
     * written, that match the topic, so that a client needs no selector engine of its own.
     */
    public static Frame subscription(Topic topic, List<String> selectors) {
        ObjectNode node = message(MessageType.SUBSCRIPTION, null);
        node.put(Field.TOPIC, topic.path());
        node.put(Field.TID, topic.tid());
        node.set(Field.SPEC, topic.spec().toJson());
        ArrayNode array = node.putArray(Field.SELECTORS);
        selectors.forEach(array::add);
        return frame(node);
    }

    public static Frame event(Topic topic, TimeSeriesEvent event) {
        ObjectNode node = message(MessageType.EVENT, null);
        node.put(Field.TID, topic.tid());
        node.set(Field.EVENT, event.toJson());
        return new Frame(MessageType.EVENT, Json.write(node), Frame.Kind.EVENT);
    }

    /** Events a client asked to recover were no longer retained: it is told which (an extension). */
    public static Frame gap(Topic topic, long fromSeq, long toSeq) {
        ObjectNode node = message(MessageType.GAP, null);
        node.put(Field.TID, topic.tid());
        node.put(Field.TOPIC, topic.path());
        node.put(Field.FROM, fromSeq);
        node.put(Field.TO, toSeq);
        node.put(Field.REASON, UnsubscribedReason.NOT_RETAINED);
        return frame(node);
    }

    public static Frame unsubscribed(Topic topic, String reason) {
        ObjectNode node = message(MessageType.UNSUBSCRIBED, null);
        node.put(Field.TID, topic.tid());
        node.put(Field.TOPIC, topic.path());
        node.put(Field.REASON, reason);
        return frame(node);
    }
}
