package io.pushgate.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.protocol.message.Field;
import io.pushgate.protocol.message.MessageType;
import io.pushgate.protocol.message.Op;
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
        ObjectNode request = Requests.op(Op.LIST_SESSIONS);
        if (filter != null) {
            request.put("filter", filter);
        }
        return calls.call(request, reply -> Requests.each(reply.path(MessageType.SESSIONS), SessionDetails::fromJson));
    }

    CompletableFuture<Integer> closeSessions(SessionTarget target, String reason) {
        ObjectNode request = targeting(Op.CLOSE_SESSIONS, target);
        if (reason != null) {
            request.put(Field.REASON, reason);
        }
        return count(request);
    }

    CompletableFuture<Integer> setSessionProperties(SessionTarget target, Map<String, String> properties) {
        ObjectNode request = targeting(Op.SET_SESSION_PROPERTIES, target);
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
        return count(targeting(Op.SUBSCRIBE_SESSIONS, target).put(Field.SELECTOR, Objects.requireNonNull(selector, "selector")));
    }

    CompletableFuture<Integer> unsubscribeSessions(SessionTarget target, String selector) {
        return count(targeting(Op.UNSUBSCRIBE_SESSIONS, target).put(Field.SELECTOR, Objects.requireNonNull(selector, "selector")));
    }

    /** The reply's count of sessions acted on. */
    private CompletableFuture<Integer> count(ObjectNode request) {
        return calls.call(request, reply -> reply.path(MessageType.SESSIONS).asInt());
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
