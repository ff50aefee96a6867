package io.pushgate.backend.moderation;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A chat message, or a new version of one, as the moderator sees it: an event of a room's time
 * series (or of a pre-moderated room's inbox).
 *
 * @param room the room's topic path ({@code chat/lobby}): where strikes count and revocations apply
 * @param seq the event's seq (for an edit, the edit's own seq)
 * @param author the principal that appended or edited it (the gateway's {@code author}; {@code anonymous} without credentials)
 * @param value the event's value: a JSON object with a {@code text} field, or a string
 * @param editOf the seq of the original event it edits (the gateway makes an edit of an edit edit the original), or null for an original message
 */
public record ChatEvent(String room, long seq, String author, JsonNode value, Long editOf) {

    public boolean isEdit() {
        return editOf != null;
    }

    /** The seq of the message this event is a version of: its own, or the original's for an edit. */
    public long messageSeq() {
        return editOf != null ? editOf : seq;
    }
}
