package io.pushgate.gateway.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.gateway.security.Access;
import io.pushgate.gateway.sessions.RequestDispatcher;
import io.pushgate.gateway.sessions.filter.SessionFilter;
import io.pushgate.protocol.ProtocolException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * The session operations as requests, the same for the WebSocket ops and the REST endpoints: each
 * takes the request's JSON fields and answers the JSON of the reply (without {@code type} and
 * {@code id}, which the transport adds).
 *
 * <table>
 * <caption>the ops (docs/protocol.md, "Session control")</caption>
 * <tr><th>op</th><th>fields</th><th>answer</th><th>needs</th></tr>
 * <tr><td>{@code listSessions}</td><td>{@code filter}?</td><td>{@code sessions: [{sessionId, replica, properties, subscriptions}]}</td><td>VIEW_SESSION</td></tr>
 * <tr><td>{@code closeSessions}</td><td>{@code sessionId} | {@code filter}, {@code reason}?</td><td>{@code sessions: N}</td><td>MODIFY_SESSION</td></tr>
 * <tr><td>{@code setSessionProperties}</td><td>{@code sessionId} | {@code filter}, {@code properties}</td><td>{@code sessions: N}</td><td>MODIFY_SESSION</td></tr>
 * <tr><td>{@code subscribeSessions}, {@code unsubscribeSessions}</td><td>{@code sessionId} | {@code filter}, {@code selector}</td><td>{@code sessions: N}</td><td>MODIFY_SESSION</td></tr>
 * </table>
 */
public final class SessionOps implements RequestDispatcher.ControlOps {

    /** The WebSocket ops this class answers. */
    public static final Set<String> OPS = Set.of("listSessions", "closeSessions", "setSessionProperties", "subscribeSessions", "unsubscribeSessions");

    private final SessionControl control;

    public SessionOps(SessionControl control) {
        this.control = control;
    }

    /** Runs one op for a caller with these rights. A bad field fails at once with INVALID. */
    @Override
    public boolean handles(String op) {
        return OPS.contains(op);
    }

    @Override
    public CompletionStage<ObjectNode> run(String op, Access caller, JsonNode request) {
        int depth = control.limits().maxFilterDepth();
        return switch (op) {
            case "listSessions" -> {
                String filter = optionalText(request, "filter");
                SessionFilter parsed = filter == null ? null : SessionFilter.parse(filter, depth);
                yield control.list(caller, parsed).thenApply(SessionOps::listing);
            }
            case "closeSessions" -> control.close(caller, target(request, depth), optionalText(request, "reason"))
                    .thenApply(o -> o.toJson("sessions"));
            case "setSessionProperties" -> control.setProperties(caller, target(request, depth), request.get("properties"))
                    .thenApply(o -> o.toJson("sessions"));
            case "subscribeSessions" -> control.subscribe(caller, target(request, depth), requiredText(request, "selector"))
                    .thenApply(o -> o.toJson("sessions"));
            case "unsubscribeSessions" -> control.unsubscribe(caller, target(request, depth), requiredText(request, "selector"))
                    .thenApply(o -> o.toJson("sessions"));
            default -> throw ProtocolException.invalid("unknown session op '" + op + "'");
        };
    }

    /** {@code {"sessions": [entry...]}}. */
    public static ObjectNode listing(List<SessionEntry> entries) {
        ObjectNode node = io.pushgate.protocol.Json.MAPPER.createObjectNode();
        ArrayNode list = node.putArray("sessions");
        entries.forEach(e -> list.add(e.toJson()));
        return node;
    }

    private static SessionTarget target(JsonNode request, int depth) {
        return SessionTarget.of(optionalText(request, "sessionId"), optionalText(request, "filter"), depth);
    }

    private static String requiredText(JsonNode request, String field) {
        String text = optionalText(request, field);
        if (text == null) {
            throw ProtocolException.invalid("missing field '" + field + "'");
        }
        return text;
    }

    private static String optionalText(JsonNode request, String field) {
        JsonNode node = request == null ? null : request.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw ProtocolException.invalid("field '" + field + "' must be a string");
        }
        return node.asText();
    }
}
