package io.pushgate.gateway.topics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.ProtocolException;
import io.pushgate.protocol.TopicType;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A value of a topic, in two forms: the canonical {@link #text()} that is stored in Redis and
 * diffed by the Fossil engine (so every replica diffs the very same bytes), and the
 * {@link #json()} node that goes into {@code value} messages.
 *
 * <p>Canonical texts: JSON is compact JSON; STRING is the string itself; INT64 and DOUBLE are
 * their decimal texts; BINARY is base64.
 */
public final class TopicValue {

    private final TopicType type;
    private final String text;
    /** Made on first use for a JSON value read from its text: a subscriber with delta=none never needs it. */
    private volatile JsonNode json;

    private TopicValue(TopicType type, String text, JsonNode json) {
        this.type = type;
        this.text = text;
        this.json = json;
    }

    /** Validates a value received as JSON (a WebSocket frame, a JSON body) against a type. */
    public static TopicValue fromJson(TopicType type, JsonNode node) {
        if (node == null || node.isMissingNode()) {
            throw ProtocolException.invalid("missing value");
        }
        switch (type) {
            case JSON:
                return new TopicValue(type, Json.write(node), node);
            case STRING:
                if (!node.isTextual()) {
                    throw wrongType(type, node, "a string");
                }
                return new TopicValue(type, node.asText(), node);
            case INT64:
                if (!node.isIntegralNumber() || !node.canConvertToLong()) {
                    throw wrongType(type, node, "an integer between -2^63 and 2^63-1");
                }
                return new TopicValue(type, Long.toString(node.longValue()), LongNode.valueOf(node.longValue()));
            case DOUBLE:
                if (!node.isNumber()) {
                    throw wrongType(type, node, "a number");
                }
                double d = node.doubleValue();
                if (Double.isInfinite(d)) {
                    throw ProtocolException.invalid("value out of the range of a DOUBLE topic");
                }
                return ofDouble(d);
            case BINARY:
                if (!node.isTextual()) {
                    throw wrongType(type, node, "a base64 string");
                }
                return ofBinary(decodeBase64(node.asText()));
            default:
                throw ProtocolException.invalid("a " + type + " topic takes events: use append");
        }
    }

    /** Reads a value from its canonical text (as stored in Redis). */
    public static TopicValue fromText(TopicType type, String text) {
        switch (type) {
            case JSON:
                // Parsed when a delta, a view or a fetch needs the tree (json()); the text is the
                // store's canonical compact JSON, which a value message embeds as it is.
                return new TopicValue(type, text, null);
            case STRING:
                return new TopicValue(type, text, TextNode.valueOf(text));
            case INT64:
                return new TopicValue(type, text, LongNode.valueOf(Long.parseLong(text)));
            case DOUBLE:
                return new TopicValue(type, text, DoubleNode.valueOf(Double.parseDouble(text)));
            case BINARY:
                return new TopicValue(type, text, TextNode.valueOf(text));
            default:
                throw new IllegalArgumentException("no value text for " + type);
        }
    }

    /**
     * Reads a value from an HTTP body: raw text for STRING topics unless it is sent as JSON,
     * raw bytes for BINARY topics unless sent as JSON, JSON otherwise.
     */
    public static TopicValue fromBody(TopicType type, byte[] body, boolean bodyIsJson) {
        if (type == TopicType.STRING && !bodyIsJson) {
            return new TopicValue(type, new String(body, StandardCharsets.UTF_8),
                    TextNode.valueOf(new String(body, StandardCharsets.UTF_8)));
        }
        if (type == TopicType.BINARY && !bodyIsJson) {
            return ofBinary(body);
        }
        return fromJson(type, Json.parse(new String(body, StandardCharsets.UTF_8)));
    }

    public static TopicValue ofDouble(double d) {
        return new TopicValue(TopicType.DOUBLE, Double.toString(d), DoubleNode.valueOf(d));
    }

    public static TopicValue ofBinary(byte[] bytes) {
        String base64 = Base64.getEncoder().encodeToString(bytes);
        return new TopicValue(TopicType.BINARY, base64, TextNode.valueOf(base64));
    }

    private static byte[] decodeBase64(String text) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw ProtocolException.invalid("value is not valid base64: " + e.getMessage());
        }
    }

    private static ProtocolException wrongType(TopicType type, JsonNode node, String expected) {
        return ProtocolException.invalid("a " + type + " topic takes " + expected + ", not " + describe(node));
    }

    private static String describe(JsonNode node) {
        if (node.isTextual()) {
            return "a string";
        }
        if (node.isNumber()) {
            return node.isIntegralNumber() ? "the integer " + abbreviate(node.asText()) : "the number " + node.asText();
        }
        return "a JSON " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    public TopicType type() {
        return type;
    }

    /** The canonical text, the one stored and diffed. */
    public String text() {
        return text;
    }

    /** The value as it appears in a {@code value} message. */
    public JsonNode json() {
        JsonNode node = json;
        if (node == null) {
            // Two threads may both parse it; either result is kept (they are equal).
            node = Json.parse(text);
            json = node;
        }
        return node;
    }

    /**
     * The value as JSON text, exactly as {@code Json.write(json())} gives it: a JSON value's
     * canonical text is compact JSON already, and numbers' texts are their JSON; strings are quoted.
     */
    public String jsonText() {
        return switch (type) {
            case JSON, INT64, DOUBLE -> text;
            default -> Json.write(json());
        };
    }

    /** True when the Fossil format diffs and ships this value's text (JSON and STRING topics). */
    public boolean isTextual() {
        return type == TopicType.JSON || type == TopicType.STRING;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TopicValue v && v.type == type && v.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return type + ":" + abbreviate(text);
    }

}
