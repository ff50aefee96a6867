package io.pushgate.backend.gateway;

import io.pushgate.protocol.ErrorCode;
import java.util.Objects;

/**
 * The gateway refused a request or did not answer it. {@link #inDoubt()}: the request may or may
 * not have been applied (the connection dropped, or no answer came in time), so whoever retries a
 * non-idempotent write must first look whether it happened.
 */
public class GatewayException extends RuntimeException {

    private final ErrorCode code;
    private final boolean inDoubt;

    public GatewayException(ErrorCode code, String message, boolean inDoubt) {
        this(code, message, inDoubt, null);
    }

    public GatewayException(ErrorCode code, String message, boolean inDoubt, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
        this.inDoubt = inDoubt;
    }

    /** Not applied: nothing was sent, or the gateway answered with an error. */
    public static GatewayException refused(ErrorCode code, String message) {
        return new GatewayException(code, message, false);
    }

    public static GatewayException unavailable(String message, boolean inDoubt, Throwable cause) {
        return new GatewayException(ErrorCode.UNAVAILABLE, message, inDoubt, cause);
    }

    public ErrorCode code() {
        return code;
    }

    public boolean inDoubt() {
        return inDoubt;
    }

    /**
     * Whether trying again later may succeed with no change of the request: the gateway was away
     * or busy, or the token had to be renewed.
     */
    public boolean isTransient() {
        return code == ErrorCode.UNAVAILABLE || code == ErrorCode.RATE_LIMITED || code == ErrorCode.UNAUTHENTICATED;
    }

    @Override
    public String toString() {
        return code + (inDoubt ? " (in doubt)" : "") + ": " + getMessage();
    }
}
