package io.pushgate.gateway.sessions.filter;

import io.pushgate.protocol.PositionedSyntaxException;

/** An invalid session filter: {@code session filter: line L, column C: reason}. */
public final class SessionFilterSyntaxException extends PositionedSyntaxException {

    private static final long serialVersionUID = 1L;

    public SessionFilterSyntaxException(int line, int column, String reason) {
        super("session filter: ", line, column, reason);
    }
}
