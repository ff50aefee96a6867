package io.pushgate.backend.moderation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Optional;

/**
 * The two shapes of a chat message: a JSON object whose {@code text} field is the message
 * ({@code {"text": "...", "user": "..."}}, other fields kept), or a string (a STRING event, or a
 * JSON event that is a bare string). Anything else carries no text to moderate.
 */
public final class ChatMessages {

    private ChatMessages() {
    }

    /** The message's text, if it has one. */
    public static Optional<String> textOf(JsonNode value) {
        if (value == null) {
            return Optional.empty();
        }
        if (value.isTextual()) {
            return Optional.of(value.asText());
        }
        if (value.isObject() && value.path("text").isTextual()) {
            return Optional.of(value.get("text").asText());
        }
        return Optional.empty();
    }

    /** The same message with another text: the other fields of an object are kept as they were. */
    public static JsonNode withText(JsonNode value, String text) {
        if (value.isObject()) {
            ObjectNode copy = ((ObjectNode) value).deepCopy();
            copy.put("text", text);
            return copy;
        }
        if (value.isTextual()) {
            return TextNode.valueOf(text);
        }
        throw new IllegalArgumentException("a chat message is an object with a text field or a string, not " + value.getNodeType());
    }
}
