package io.pushgate.gateway.security.introspection;

/**
 * No answer from an introspection endpoint (see {@link IntrospectionEndpoint#introspect}). The
 * message says why and holds neither the token nor a secret.
 */
public final class IntrospectionUnavailableException extends RuntimeException {

    public IntrospectionUnavailableException(String message) {
        super(message, null, false, false);
    }
}
