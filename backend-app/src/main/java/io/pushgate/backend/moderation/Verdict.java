package io.pushgate.backend.moderation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What the moderator does about one chat event.
 *
 * @param event the event judged
 * @param bleeped its value with the flagged words replaced, or null when it stays as it is
 * @param words the flagged words found (as configured)
 * @param strikes the author's strikes in the room within the window after this one; 0 when no strike was given
 * @param revoke whether the author loses the right to post in the room now
 */
public record Verdict(ChatEvent event, JsonNode bleeped, List<String> words, int strikes, boolean revoke) {

    static Verdict none(ChatEvent event) {
        return new Verdict(event, null, List.of(), 0, false);
    }

    public boolean acts() {
        return bleeped != null;
    }
}
