package io.pushgate.gateway.control;

import io.pushgate.gateway.sessions.filter.SessionFilter;
import io.pushgate.protocol.ProtocolException;

/**
 * Which sessions an operation acts on: one session by its id, or every session a filter selects.
 * Exactly one of the two; {@link #of} refuses neither or both with {@code INVALID}.
 */
public record SessionTarget(String sessionId, SessionFilter filter) {

    /** From the request's {@code sessionId} and {@code filter} fields (either may be null). */
    public static SessionTarget of(String sessionId, String filter, int maxFilterDepth) {
        if ((sessionId == null) == (filter == null)) {
            throw ProtocolException.invalid("give either sessionId or filter (a session filter such as $Principal is 'bob')");
        }
        return sessionId != null ? new SessionTarget(sessionId, null) : new SessionTarget(null, SessionFilter.parse(filter, maxFilterDepth));
    }

    public boolean isOne() {
        return sessionId != null;
    }
}
