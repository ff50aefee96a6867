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
 * and the change a revocation makes to them: for a path, the most specific prefix with an override
 * decides, so an override at the room's path takes the right to post away in that room only.
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
        ObjectNode body = Json.MAPPER.createObjectNode();
        ObjectNode paths = body.putObject("pathPermissions");
        JsonNode existing = current == null ? null : current.get("pathPermissions");
        Set<String> allowed = new LinkedHashSet<>(keep);
        if (existing != null && existing.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = existing.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals(room)) {
                    Set<String> before = new LinkedHashSet<>();
                    e.getValue().forEach(p -> before.add(p.asText()));
                    allowed.retainAll(before);
                } else {
                    paths.set(e.getKey(), e.getValue().deepCopy());
                }
            }
        }
        ArrayNode list = paths.putArray(room);
        allowed.forEach(list::add);
        return body;
    }
}
