package io.pushgate.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * One live session as {@link PushgateClient#listSessions} lists it: its id, the gateway replica
 * that holds it, its properties ({@code $Principal}, {@code $Roles}, {@code $Transport}, ... and
 * user properties) and how many topics it is subscribed to.
 */
public record SessionDetails(String sessionId, String replica, Map<String, String> properties, int subscriptions) {

    public SessionDetails {
        properties = Map.copyOf(properties);
    }

    /** One property, or null. */
    public String property(String name) {
        return properties.get(name);
    }

    static SessionDetails fromJson(JsonNode node) {
        Map<String, String> props = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            props.put(e.getKey(), e.getValue().asText());
        }
        return new SessionDetails(node.path("sessionId").asText(), node.path("replica").asText(), props, node.path("subscriptions").asInt());
    }
}
