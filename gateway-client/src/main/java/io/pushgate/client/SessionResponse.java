package io.pushgate.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One session's answer to a request sent to a session filter ({@link PushgateClient#sendToFilter}).
 *
 * @param sessionId the session's id
 * @param response its response, or null when it failed
 * @param error why it gave none (a {@link MessagingException} with its reason), or null
 */
public record SessionResponse(String sessionId, JsonNode response, PushgateException error) {
}
