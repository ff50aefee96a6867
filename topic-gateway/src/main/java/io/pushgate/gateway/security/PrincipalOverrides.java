package io.pushgate.gateway.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.ProtocolException;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Path permissions set on one principal, over whatever its roles grant: for a path, the most
 * specific prefix the principal has an override for decides; without one, the roles decide.
 * This is how a moderator takes one user's right to post in one room away
 * ({@code {"pathPermissions": {"chat/lobby": ["SELECT_TOPIC", "READ_TOPIC"]}}}) without
 * touching the roles every other user shares. (An extension of the contract's security model.)
 */
public record PrincipalOverrides(String principal, Map<String, Set<PathPermission>> pathPermissions) {

    public PrincipalOverrides {
        TreeMap<String, Set<PathPermission>> copy = new TreeMap<>();
        pathPermissions.forEach((prefix, perms) -> copy.put(RoleDefinition.validatePrefix(prefix),
                Collections.unmodifiableSet(perms.isEmpty() ? EnumSet.noneOf(PathPermission.class) : EnumSet.copyOf(perms))));
        pathPermissions = Collections.unmodifiableMap(copy);
    }

    /** The override for the most specific prefix of {@code path}, or null when there is none. */
    Set<PathPermission> forPath(String path) {
        if (pathPermissions.isEmpty()) {
            return null;
        }
        String prefix = path;
        while (true) {
            Set<PathPermission> set = pathPermissions.get(prefix);
            if (set != null) {
                return set;
            }
            if (prefix.isEmpty()) {
                return null;
            }
            int cut = prefix.lastIndexOf('/');
            prefix = cut < 0 ? "" : prefix.substring(0, cut);
        }
    }

    public static PrincipalOverrides decode(String principal, JsonNode node) {
        if (node == null || !node.isObject()) {
            throw ProtocolException.invalid("principal overrides are an object like {\"pathPermissions\": {\"chat/lobby\": [\"SELECT_TOPIC\", \"READ_TOPIC\"]}}");
        }
        JsonNode paths = node.path("pathPermissions");
        if (!paths.isObject()) {
            throw ProtocolException.invalid("pathPermissions must be an object of path prefix to permissions");
        }
        Map<String, Set<PathPermission>> map = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isArray()) {
                throw ProtocolException.invalid("pathPermissions." + e.getKey() + " must be an array of permissions");
            }
            EnumSet<PathPermission> set = EnumSet.noneOf(PathPermission.class);
            for (JsonNode p : e.getValue()) {
                try {
                    set.add(PathPermission.valueOf(p.asText().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException ex) {
                    throw ProtocolException.invalid("unknown path permission '" + p.asText() + "'");
                }
            }
            map.put(e.getKey(), set);
        }
        return new PrincipalOverrides(principal, map);
    }

    public ObjectNode encode() {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("principal", principal);
        ObjectNode paths = node.putObject("pathPermissions");
        pathPermissions.forEach((prefix, perms) -> {
            ArrayNode list = paths.putArray(prefix);
            perms.forEach(p -> list.add(p.name()));
        });
        return node;
    }
}
