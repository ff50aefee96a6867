package io.pushgate.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Session control, an extension (docs/protocol.md, "Session properties, session filters and
 * session control"): the requests behind {@link PushgateClient#listSessions} and the operations
 * on sessions a filter or an id selects, on every gateway replica. What they mean is on the facade.
 */
final class SessionControl {

    private final Calls calls;

    SessionControl(Calls calls) {
        this.calls = calls;
    }

    CompletableFuture<List<SessionDetails>> listSessions(String filter) {
        ObjectNode request = Requests.op("listSessions");
        if (filter != null) {
            request.put("filter", filter);
        }
        return calls.call(request, reply -> Requests.each(reply.path("sessions"), SessionDetails::fromJson));
    }

    CompletableFuture<Integer> closeSessions(SessionTarget target, String reason) {
        ObjectNode request = targeting("closeSessions", target);
        if (reason != null) {
            request.put("reason", reason);
        }
        return count(request);
    }

    CompletableFuture<Integer> setSessionProperties(SessionTarget target, Map<String, String> properties) {
        ObjectNode request = targeting("setSessionProperties", target);
        ObjectNode props = request.putObject("properties");
        Objects.requireNonNull(properties, "properties").forEach((k, v) -> {
            if (v == null) {
                props.putNull(k);
            } else {
                props.put(k, v);
            }
        });
        return count(request);
    }

    CompletableFuture<Integer> subscribeSessions(SessionTarget target, String selector) {
        return count(targeting("subscribeSessions", target).put("selector", Objects.requireNonNull(selector, "selector")));
    }

    CompletableFuture<Integer> unsubscribeSessions(SessionTarget target, String selector) {
        return count(targeting("unsubscribeSessions", target).put("selector", Objects.requireNonNull(selector, "selector")));
    }

    /** The reply's count of sessions acted on. */
    private CompletableFuture<Integer> count(ObjectNode request) {
        return calls.call(request, reply -> reply.path("sessions").asInt());
    }

    private static ObjectNode targeting(String op, SessionTarget target) {
        ObjectNode request = Requests.op(op);
        Objects.requireNonNull(target, "target");
        if (target.sessionId() != null) {
            request.put("sessionId", target.sessionId());
        } else {
            request.put("filter", target.filter());
        }
        return request;
    }
}
