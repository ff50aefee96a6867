package io.pushgate.gateway.security.introspection;

import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * An issuer's token introspection endpoint (RFC 7662) as the core sees it: hand it a token, get the
 * members of its JSON reply. How the gateway reaches it (HTTP, its client credentials) is the
 * adapter's business ({@code io.pushgate.gateway.oidc.HttpIntrospectionEndpoint}).
 */
public interface IntrospectionEndpoint {

    /**
     * Asks about one token. Completes with the members of the endpoint's JSON object (its HTTP 200
     * reply), or fails with {@link IntrospectionUnavailableException} when no such reply could be
     * had: the endpoint unreachable or slower than its timeout, another HTTP status (401 when the
     * gateway's client credentials are wrong), or a body that is not a JSON object. Never blocks;
     * never puts the token or a secret into a message.
     */
    CompletionStage<Map<String, Object>> introspect(String token);
}
