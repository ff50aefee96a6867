package io.pushgate.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.message.Field;
import java.util.Locale;

/** Topic values and their texts, as the gateway encodes them (docs/protocol.md, "Canonical values"). */
final class Values {

    private Values() {
    }

    /** The type a spec names: {@code {"type": "JSON", ...}}, or a bare type name. Upper case; "" if none. */
    static String typeOf(JsonNode spec) {
        if (spec == null) {
            return "";
        }
        JsonNode type = spec.isTextual() ? spec : spec.path(Field.TYPE);
        return type.asText("").toUpperCase(Locale.ROOT);
    }

    /** True for the types whose values travel as exact text in {@code fossil} mode. */
    static boolean isTextual(String type) {
        return "JSON".equals(type) || "STRING".equals(type);
    }

    /**
     * The value of a topic from its exact text: JSON topics' text is parsed (with the wire's mapper,
     * so that numbers read as {@code fetch} reads them); any other text is a text node.
     *
     * @throws RuntimeException if a JSON topic's text is not JSON
     */
    static JsonNode fromText(String type, String text) {
        return "JSON".equals(type) ? Json.parse(text) : TextNode.valueOf(text);
    }

    /**
     * The gateway's canonical text of a value, for the types the Fossil format diffs: compact JSON
     * for JSON topics (what the gateway stores: the value written by the same mapper), the string
     * itself for STRING topics. Null for other types.
     */
    static String textOf(String type, JsonNode value) {
        if (value == null) {
            return null;
        }
        if ("JSON".equals(type)) {
            return Json.write(value);
        }
        if ("STRING".equals(type) && value.isTextual()) {
            return value.asText();
        }
        return null;
    }

    /** A value as the wire has it: a {@link JsonNode} as given, any other object as Jackson writes it. */
    static JsonNode toNode(Object value) {
        return value instanceof JsonNode node ? node : Json.MAPPER.valueToTree(value);
    }

    /** The UTF-8 size of a text, without encoding it. */
    static long utf8Length(CharSequence s) {
        long n = 0;
        int length = s.length();
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
