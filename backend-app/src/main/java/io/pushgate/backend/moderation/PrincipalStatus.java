package io.pushgate.backend.moderation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.protocol.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A principal's moderation status: the JSON topic {@code moderation/status/<principal>} that the
 * moderator publishes whenever it takes a principal's right to post in a room away or gives it
 * back. The principal's own chat page subscribes to it, so it is told at once (not when it next
 * tries to post), and so does the moderator view. Only that principal (through an override at
 * exactly this path, which the revocation adds) and moderators may read it, as long as the roles
 * of ordinary users grant nothing under {@code moderation}.
 *
 * <pre>{"principal": "bob",
 *  "revoked": {"chat/lobby": {"id": "…", "since": "2026-11-22T20:00:00Z", "strikes": 3, "window": "PT10M",
 *                             "permissions": ["SELECT_TOPIC", "READ_TOPIC"], "previous": null,
 *                             "inbox": null, "previousInbox": null}},
 *  "time": "2026-11-22T20:00:00Z"}</pre>
 *
 * {@code revoked} has one entry per room the principal may not post in; {@code previous} is the
 * override the room's path had before (null: none), which a restore puts back; {@code inbox} the
 * pre-moderated room's inbox the revocation also covers, with its own {@code previousInbox}.
 */
public final class PrincipalStatus {

    /** One revocation, as the status topic holds it. */
    public record Revocation(String id, Instant since, int strikes, Duration window, List<String> permissions, JsonNode previous,
            String inbox, JsonNode previousInbox) {

        ObjectNode encode() {
            ObjectNode node = Json.MAPPER.createObjectNode();
            node.put("id", id);
            node.put("since", since.toString());
            node.put("strikes", strikes);
            node.put("window", window.toString());
            ArrayNode list = node.putArray("permissions");
            permissions.forEach(list::add);
            node.set("previous", previous == null ? NullNode.getInstance() : previous.deepCopy());
            if (inbox == null) {
                node.putNull("inbox");
            } else {
                node.put("inbox", inbox);
            }
            node.set("previousInbox", previousInbox == null ? NullNode.getInstance() : previousInbox.deepCopy());
            return node;
        }

        static Revocation decode(JsonNode node) {
            List<String> permissions = new java.util.ArrayList<>();
            node.path("permissions").forEach(p -> permissions.add(p.asText()));
            JsonNode previous = node.get("previous");
            JsonNode previousInbox = node.get("previousInbox");
            Instant since;
            Duration window;
            try {
                since = Instant.parse(node.path("since").asText());
            } catch (RuntimeException e) {
                since = Instant.EPOCH;
            }
            try {
                window = Duration.parse(node.path("window").asText());
            } catch (RuntimeException e) {
                window = Duration.ZERO;
            }
            return new Revocation(node.path("id").asText(""), since, node.path("strikes").asInt(0), window, List.copyOf(permissions),
                    previous == null || previous.isNull() ? null : previous, node.path("inbox").isTextual() ? node.get("inbox").asText() : null,
                    previousInbox == null || previousInbox.isNull() ? null : previousInbox);
        }
    }

    private PrincipalStatus() {
    }

    /**
     * The status topic of a principal: {@code <prefix>/<name>}, where every character of the name
     * that a path segment may not hold (anything but {@code A-Z a-z 0-9 . -}), and {@code _}
     * itself, is written {@code _} and two lower-case hex digits per UTF-8 byte
     * ({@code bob@example.com} is {@code bob_40example.com}). The web app computes the same.
     */
    public static String topic(String prefix, String principal) {
        StringBuilder sb = new StringBuilder(prefix).append('/');
        for (byte b : principal.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || c == '.' || c == '-')) {
                sb.append(c);
            } else {
                sb.append('_').append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
        }
        return sb.toString();
    }

    /** The spec of a status topic. */
    public static JsonNode spec() {
        ObjectNode spec = Json.MAPPER.createObjectNode();
        spec.put("type", "JSON");
        return spec;
    }

    /** The revocation in {@code room} a status holds, if any. */
    public static Optional<Revocation> revocation(JsonNode status, String room) {
        JsonNode node = status == null ? null : status.path("revoked").get(room);
        return node == null || !node.isObject() ? Optional.empty() : Optional.of(Revocation.decode(node));
    }

    /** The status with a revocation in {@code room} (replacing one there). */
    public static ObjectNode with(JsonNode current, String principal, String room, Revocation revocation, Instant now) {
        ObjectNode status = copy(current, principal, now);
        ((ObjectNode) status.get("revoked")).set(room, revocation.encode());
        return status;
    }

    /** The status without a revocation in {@code room}. */
    public static ObjectNode without(JsonNode current, String principal, String room, Instant now) {
        ObjectNode status = copy(current, principal, now);
        ((ObjectNode) status.get("revoked")).remove(room);
        return status;
    }

    private static ObjectNode copy(JsonNode current, String principal, Instant now) {
        ObjectNode status = Json.MAPPER.createObjectNode();
        status.put("principal", principal);
        ObjectNode revoked = status.putObject("revoked");
        JsonNode before = current == null ? null : current.get("revoked");
        if (before != null && before.isObject()) {
            before.fields().forEachRemaining(e -> revoked.set(e.getKey(), e.getValue().deepCopy()));
        }
        status.put("time", now.toString());
        return status;
    }
}
