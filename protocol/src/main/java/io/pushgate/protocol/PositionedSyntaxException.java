package io.pushgate.protocol;

/**
 * An {@code INVALID} protocol error in a text the gateway parses (a topic view, a session filter),
 * whose message is {@code [what: ]line L, column C: reason}, so that REST and WebSocket callers get
 * the position of the offending token without knowing the parser; the parts are kept for callers
 * that want them.
 */
public abstract class PositionedSyntaxException extends ProtocolException {

    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;
    private final String reason;

    /** @param prefix put before the position in the message ({@code "session filter: "}), or empty */
    protected PositionedSyntaxException(String prefix, int line, int column, String reason) {
        super(ErrorCode.INVALID, prefix + "line " + line + ", column " + column + ": " + reason);
        this.line = line;
        this.column = column;
        this.reason = reason;
    }

    /** 1-based line of the offending token. */
    public int line() {
        return line;
    }

    /** 1-based column (in UTF-16 characters, a tab counting as one) of the offending token. */
    public int column() {
        return column;
    }

    /** What was expected or what is wrong, without the position. */
    public String reason() {
        return reason;
    }
}
