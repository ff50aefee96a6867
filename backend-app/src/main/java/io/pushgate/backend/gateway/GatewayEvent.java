package io.pushgate.backend.gateway;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One time-series event as the gateway returns it: {@code {seq, time, author, value, editOf?}}.
 *
 * @param editOf the seq of the event this one edits, or null for an original event
 */
public record GatewayEvent(long seq, String time, String author, JsonNode value, Long editOf) {

    public static GatewayEvent fromJson(JsonNode node) {
        JsonNode editOf = node.get("editOf");
        return new GatewayEvent(node.path("seq").asLong(), node.path("time").asText(null), node.path("author").asText(null),
                node.get("value"), editOf == null || editOf.isNull() ? null : editOf.asLong());
    }

    public boolean isEdit() {
        return editOf != null;
    }
}
