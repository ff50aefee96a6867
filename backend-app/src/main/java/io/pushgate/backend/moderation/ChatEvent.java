package io.pushgate.backend.moderation;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A chat message as the moderator sees it: an event of a room's time series.
 *
 * @param room the room's topic path ({@code chat/lobby})
 * @param seq the event's seq
 * @param author the principal that appended it (the gateway's {@code author}; {@code anonymous} without credentials)
 * @param value the event's value: a JSON object with a {@code text} field, or a string
 * @param editOf the seq of the event it edits, or null for an original message
 */
public record ChatEvent(String room, long seq, String author, JsonNode value, Long editOf) {

    public boolean isEdit() {
        return editOf != null;
    }
}
