package io.pushgate.gateway.sessions.filter;

import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.ProtocolException;

/**
 * An invalid session filter: an {@code INVALID} protocol error whose message is
 * {@code line L, column C: reason}, so that REST and WebSocket callers get the position of the
 * offending token without knowing this class.
 */
public final class SessionFilterSyntaxException extends ProtocolException {

    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;
    private final String reason;

    public SessionFilterSyntaxException(int line, int column, String reason) {
        super(ErrorCode.INVALID, "session filter: line " + line + ", column " + column + ": " + reason);
        this.line = line;
        this.column = column;
        this.reason = reason;
    }

    /** 1-based line of the offending token. */
    public int line() {
        return line;
    }

    /** 1-based column (in UTF-16 characters) of the offending token. */
    public int column() {
        return column;
    }

    /** What was expected or what is wrong, without the position. */
    public String reason() {
        return reason;
    }
}
