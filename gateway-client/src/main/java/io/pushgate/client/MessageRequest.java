package io.pushgate.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A request delivered to this client.
 *
 * @param path the message path it was sent to
 * @param registration the path of the handler or request stream that matched (the path or an ancestor)
 * @param value the request's value
 * @param sessionId the sending session's id; null when a backend sent it over REST
 * @param principal the sender's principal ({@code anonymous} without credentials)
 */
public record MessageRequest(String path, String registration, JsonNode value, String sessionId, String principal) {
}
