package io.pushgate.gateway.sessions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.gateway.timeseries.TimeSeriesEvent;
import io.pushgate.gateway.topics.Topic;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.Json;

/** Builders of the gateway-to-client messages of the contract. */
public final class Messages {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Messages() {
    }

    public static ObjectNode message(String type, JsonNode id) {
        ObjectNode node = NODES.objectNode();
        node.put("type", type);
        if (id != null && !id.isNull() && !id.isMissingNode()) {
            node.set("id", id);
        }
        return node;
    }

    public static ObjectNode ok(JsonNode id) {
        return message("ok", id);
    }

    /**
     * {@code {"type":"ok","id":<id>,"seq":<seq>}}: the answer to every write, written out rather
     * than through a tree (it was a tenth of the ingest profile), byte for byte what {@link #ok}
     * with a {@code seq} gives.
     */
    public static Frame okSeq(JsonNode id, long seq) {
        StringBuilder sb = new StringBuilder(48).append("{\"type\":\"ok\"");
        if (id != null && !id.isNull() && !id.isMissingNode()) {
            sb.append(",\"id\":");
            if (id.isTextual()) {
                sb.append('"');
                com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(id.asText(), sb);
                sb.append('"');
            } else if (id.isNumber()) {
                // A number's text is its JSON, as the tree writes it (FramesWrittenOutTest).
                sb.append(id.asText());
            } else {
                sb.append(Json.write(id));
            }
        }
        return new Frame("ok", sb.append(",\"seq\":").append(seq).append('}').toString(), Frame.Kind.CONTROL);
    }

    public static Frame frame(ObjectNode message) {
        return new Frame(message.get("type").asText(), Json.write(message), Frame.Kind.CONTROL);
    }

    public static Frame error(JsonNode id, ErrorCode code, String text) {
        ObjectNode node = message("error", id);
        node.put("code", code.name());
        node.put("message", text);
        return frame(node);
    }

    public static Frame subscription(Topic topic) {
        ObjectNode node = message("subscription", null);
        node.put("topic", topic.path());
        node.put("tid", topic.tid());
        node.set("spec", topic.spec().toJson());
        return frame(node);
    }

    public static Frame event(Topic topic, TimeSeriesEvent event) {
        ObjectNode node = message("event", null);
        node.put("tid", topic.tid());
        node.set("event", event.toJson());
        return new Frame("event", Json.write(node), Frame.Kind.EVENT);
    }

    /** Events a client asked to recover were no longer retained: it is told which (an extension). */
    public static Frame gap(Topic topic, long fromSeq, long toSeq) {
        ObjectNode node = message("gap", null);
        node.put("tid", topic.tid());
        node.put("topic", topic.path());
        node.put("from", fromSeq);
        node.put("to", toSeq);
        node.put("reason", "NOT_RETAINED");
        return frame(node);
    }

    public static Frame unsubscribed(Topic topic, String reason) {
        ObjectNode node = message("unsubscribed", null);
        node.put("tid", topic.tid());
        node.put("topic", topic.path());
        node.put("reason", reason);
        return frame(node);
    }
}
