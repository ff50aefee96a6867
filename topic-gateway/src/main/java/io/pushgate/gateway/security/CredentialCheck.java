package io.pushgate.gateway.security;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * How an open session asks, while its token is still valid, what that token is worth now: for an
 * issuer with token introspection, the issuer's current answer. Credentials of tokens that are only
 * verified offline have none.
 *
 * <p>Implementations hold the token; their {@code toString} must never show it.
 */
public interface CredentialCheck {

    /** How often an open session asks again. */
    Duration interval();

    /**
     * How long an open session keeps its last known roles while no answer can be had (the issuer is
     * unreachable); past it, the session is closed.
     */
    Duration grace();

    /**
     * Asks now. Completes with the token's current credentials (its roles may have changed), or fails
     * with a {@link io.pushgate.protocol.ProtocolException}: {@code UNAUTHENTICATED} when the issuer
     * no longer accepts the token (revoked, session ended, user disabled), {@code UNAVAILABLE} when
     * no answer could be had. Never blocks.
     */
    CompletionStage<Credentials> check();
}
