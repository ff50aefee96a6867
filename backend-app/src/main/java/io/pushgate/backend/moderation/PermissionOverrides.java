package io.pushgate.backend.moderation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.protocol.Json;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A principal's path-permission overrides at the gateway ({@code GET/PUT
 * /v1/security/principals/{name}}: {@code {"pathPermissions": {"chat/lobby": ["SELECT_TOPIC", "READ_TOPIC"]}}}),
 * and the changes the moderator makes to them: for a path, the most specific prefix with an
 * override decides, so an override at the room's path takes the right to post away in that room
 * only, and one at the principal's status topic lets that principal (and nobody else but
 * moderators) read it. Every method returns a new body and leaves {@code current} as it was.
 */
public final class PermissionOverrides {

    private PermissionOverrides() {
    }

    /**
     * The overrides to PUT: the current ones (only their {@code pathPermissions}) with the room's
     * path set to {@code keep}; if the room already had an override, to what it allowed and
     * {@code keep} allows (a revocation never grants anything).
     */
    public static ObjectNode revoke(JsonNode current, String room, List<String> keep) {
        ObjectNode body = copy(current);
        ObjectNode paths = (ObjectNode) body.get("pathPermissions");
        Set<String> allowed = new LinkedHashSet<>(keep);
        JsonNode before = paths.remove(room);
        if (before != null) {
            Set<String> had = new LinkedHashSet<>();
            before.forEach(p -> had.add(p.asText()));
            allowed.retainAll(had);
        }
        ArrayNode list = paths.putArray(room);
        allowed.forEach(list::add);
        return body;
    }

    /** The overrides with {@code path} allowing at least {@code permissions} (added to what an override there allowed). */
    public static ObjectNode grant(JsonNode current, String path, List<String> permissions) {
        ObjectNode body = copy(current);
        ObjectNode paths = (ObjectNode) body.get("pathPermissions");
        Set<String> allowed = new LinkedHashSet<>();
        JsonNode before = paths.remove(path);
        if (before != null) {
            before.forEach(p -> allowed.add(p.asText()));
        }
        allowed.addAll(permissions);
        ArrayNode list = paths.putArray(path);
        allowed.forEach(list::add);
        return body;
    }

    /**
     * The overrides with {@code path} as it was before a revocation: {@code previous} (the
     * permissions an override there allowed), or no override at all when {@code previous} is null.
     */
    public static ObjectNode restore(JsonNode current, String path, JsonNode previous) {
        ObjectNode body = copy(current);
        ObjectNode paths = (ObjectNode) body.get("pathPermissions");
        paths.remove(path);
        if (previous != null && previous.isArray()) {
            paths.set(path, previous.deepCopy());
        }
        return body;
    }

    /** The permissions of the override at exactly {@code path}, or null when there is none. */
    public static JsonNode at(JsonNode current, String path) {
        JsonNode paths = current == null ? null : current.get("pathPermissions");
        JsonNode at = paths == null ? null : paths.get(path);
        return at == null || !at.isArray() ? null : at.deepCopy();
    }

    /** Only the {@code pathPermissions} of a body the gateway answered (it also has {@code principal}). */
    private static ObjectNode copy(JsonNode current) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ObjectNode paths = body.putObject("pathPermissions");
        JsonNode existing = current == null ? null : current.get("pathPermissions");
        if (existing != null && existing.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = existing.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                paths.set(e.getKey(), e.getValue().deepCopy());
            }
        }
        return body;
    }
}
