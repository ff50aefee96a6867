package io.pushgate.client;

import io.pushgate.protocol.ErrorCode;
import java.util.Objects;

/**
 * A request the gateway refused, or could not answer: the {@link ErrorCode} of the contract and
 * the gateway's message.
 *
 * <p>The gateway's {@code error} replies become this exception with the code they carry. The client
 * itself uses {@link ErrorCode#UNAVAILABLE} when there is no answer to wait for: the client is not
 * connected (it is reconnecting, or closed), the connection dropped while the request was in
 * flight, or no reply came within the request timeout. Connecting uses the code that matches the
 * HTTP status of a refused handshake ({@code 401} is {@link ErrorCode#UNAUTHENTICATED}, ...).
 */
public class PushgateException extends RuntimeException {

    private final ErrorCode code;

    public PushgateException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public PushgateException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** The error code of the contract: {@code NOT_FOUND}, {@code CONFLICT}, {@code UNAVAILABLE}, ... */
    public ErrorCode code() {
        return code;
    }

    @Override
    public String toString() {
        return "PushgateException[" + code + "]: " + getMessage();
    }

    /** The connection ended before the reply came: the request may or may not have been applied. */
    static final class ConnectionLost extends PushgateException {
        ConnectionLost(String message) {
            super(ErrorCode.UNAVAILABLE, message);
        }
    }
}
