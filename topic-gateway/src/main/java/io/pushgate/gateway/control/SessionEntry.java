package io.pushgate.gateway.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.protocol.Json;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * One live session as the directory lists it: its id, the replica that holds it, its properties
 * (fixed and user, {@link io.pushgate.gateway.sessions.filter.SessionProperties}) and how many topics it is subscribed to.
 * The JSON form ({@link #toJson()}) is what the directory stores and what the list operations
 * answer with.
 */
public record SessionEntry(String sessionId, String replica, Map<String, String> properties, int subscriptions) {

    public SessionEntry {
        properties = Map.copyOf(properties);
    }

    /** {@code {"sessionId", "replica", "properties": {...}, "subscriptions"}}, properties in name order. */
    public ObjectNode toJson() {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("sessionId", sessionId);
        node.put("replica", replica);
        ObjectNode props = node.putObject("properties");
        new TreeMap<>(properties).forEach(props::put);
        node.put("subscriptions", subscriptions);
        return node;
    }

    /** The entry back from its JSON form; null for one that is not (a foreign or damaged field is skipped, not fatal). */
    public static SessionEntry fromJson(JsonNode node) {
        if (node == null || !node.hasNonNull("sessionId") || !node.hasNonNull("replica") || !node.path("properties").isObject()) {
            return null;
        }
        Map<String, String> props = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.get("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            props.put(e.getKey(), e.getValue().asText());
        }
        return new SessionEntry(node.get("sessionId").asText(), node.get("replica").asText(), props, node.path("subscriptions").asInt());
    }
}
