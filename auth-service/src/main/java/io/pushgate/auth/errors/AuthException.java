package io.pushgate.auth.errors;

import io.pushgate.protocol.ErrorCode;

/**
 * A request the auth-service refuses: a code of the contract, a message safe to show, and,
 * for the token endpoint, the OAuth 2.0 error code that OAuth libraries look for.
 */
public class AuthException extends RuntimeException {

    private final ErrorCode code;
    private final String oauthError;

    public AuthException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public AuthException(ErrorCode code, String message, String oauthError) {
        // no stack trace: these are expected outcomes, thrown often (every failed login)
        super(message, null, false, false);
        this.code = code;
        this.oauthError = oauthError;
    }

    public ErrorCode code() {
        return code;
    }

    /** The RFC 6749 {@code error} value, or null outside the token endpoint. */
    public String oauthError() {
        return oauthError;
    }

    public static AuthException invalid(String message) {
        return new AuthException(ErrorCode.INVALID, message);
    }

    public static AuthException unauthenticated(String message) {
        return new AuthException(ErrorCode.UNAUTHENTICATED, message);
    }

    public static AuthException permissionDenied(String message) {
        return new AuthException(ErrorCode.PERMISSION_DENIED, message);
    }

    public static AuthException notFound(String message) {
        return new AuthException(ErrorCode.NOT_FOUND, message);
    }

    public static AuthException conflict(String message) {
        return new AuthException(ErrorCode.CONFLICT, message);
    }
}
