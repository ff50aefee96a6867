package io.pushgate.gateway.views;

import io.pushgate.protocol.PositionedSyntaxException;

/** An invalid topic view: {@code line L, column C: reason}. */
public final class ViewSyntaxException extends PositionedSyntaxException {

    private static final long serialVersionUID = 1L;

    public ViewSyntaxException(int line, int column, String reason) {
        super("", line, column, reason);
    }
}
