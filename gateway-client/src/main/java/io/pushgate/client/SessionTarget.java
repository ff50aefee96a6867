package io.pushgate.client;

import java.util.Objects;

/**
 * Which sessions a session control operation acts on: one by its {@code $SessionId}, or every
 * session a session filter selects ({@code $Principal is 'bob'}, Diffusion's syntax; see the
 * gateway's docs/protocol.md).
 */
public record SessionTarget(String sessionId, String filter) {

    public SessionTarget {
        if ((sessionId == null) == (filter == null)) {
            throw new IllegalArgumentException("either a session id or a filter");
        }
    }

    /** The session with this id. */
    public static SessionTarget id(String sessionId) {
        return new SessionTarget(Objects.requireNonNull(sessionId, "sessionId"), null);
    }

    /** Every session the filter selects. */
    public static SessionTarget filter(String filter) {
        return new SessionTarget(null, Objects.requireNonNull(filter, "filter"));
    }
}
