package io.pushgate.backend.moderation;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.backend.gateway.GatewayEvent;

/**
 * A request to give a principal the right to post in a room back: an event of the requests topic
 * ({@code moderation/requests}), {@code {"action": "restore", "principal": "bob", "room": "chat/lobby", "id": "…"}},
 * appended by a moderator (the moderator view's Restore button). {@code id} names the revocation it
 * ends (from the principal's status topic), so that a request read again (after a restart) never
 * ends a later revocation. Who may ask is who may append to the requests topic: the gateway's
 * permissions decide.
 *
 * @param seq the request's seq in the requests topic
 * @param by the principal that appended it (the gateway's author)
 */
public record RestoreRequest(long seq, String by, String principal, String room, String id) {

    /** The request an event holds; throws {@link IllegalArgumentException} saying what is wrong with it. */
    public static RestoreRequest of(GatewayEvent event) {
        JsonNode v = event.value();
        if (v == null || !v.isObject()) {
            throw new IllegalArgumentException("a request is an object {action, principal, room, id}");
        }
        if (!"restore".equals(v.path("action").asText())) {
            throw new IllegalArgumentException("unknown action '" + v.path("action").asText() + "': the only one is restore");
        }
        for (String field : new String[] {"principal", "room", "id"}) {
            if (!v.path(field).isTextual() || v.get(field).asText().isBlank()) {
                throw new IllegalArgumentException("a restore needs a " + field);
            }
        }
        return new RestoreRequest(event.seq(), event.author(), v.get("principal").asText(), v.get("room").asText(), v.get("id").asText());
    }
}
