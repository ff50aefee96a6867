package io.pushgate.protocol;

/**
 * A request the gateway refuses, with the code of the contract. Thrown by the core and turned
 * into an {@code error} frame or a JSON {@code {code, message}} by each transport.
 */
public class ProtocolException extends RuntimeException {

    private final ErrorCode code;

    public ProtocolException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public static ProtocolException invalid(String message) {
        return new ProtocolException(ErrorCode.INVALID, message);
    }

    public static ProtocolException notFound(String message) {
        return new ProtocolException(ErrorCode.NOT_FOUND, message);
    }

    public static ProtocolException conflict(String message) {
        return new ProtocolException(ErrorCode.CONFLICT, message);
    }
}
