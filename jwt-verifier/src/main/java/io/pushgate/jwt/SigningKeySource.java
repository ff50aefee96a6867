package io.pushgate.jwt;

import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.ProtocolException;
import java.util.concurrent.CompletableFuture;

/**
 * Where the signing keys of a trusted issuer come from: the port between the verification (plain
 * Java, {@link TokenVerifier}) and how the keys are reached. {@link HttpSigningKeySource} reads
 * them as OpenID Connect says (discovery document, then {@code jwks_uri}); a test or an embedded
 * issuer can hand them over directly.
 *
 * <p>Called at most once at a time per issuer, and no more often than the verifier's refresh
 * interval allows: an implementation needs no cache or throttle of its own.
 */
public interface SigningKeySource {

    /**
     * Refuses an issuer URL this source cannot reach (for HTTP: one that is not an http(s) URL)
     * with an {@link IllegalArgumentException}; called when the issuer is configured.
     */
    default void checkIssuer(String issuer) {
    }

    /**
     * Fetches the issuer's key set. Completes with the JWKS as JSON text ({@code {"keys":[...]}}),
     * or fails with {@link #unavailable} saying why. Never blocks.
     */
    CompletableFuture<String> fetchKeySet(String issuer);

    /** The refusal a fetch fails with: {@code UNAUTHENTICATED}, "cannot get the signing keys: " and why. */
    static ProtocolException unavailable(String why) {
        return new ProtocolException(ErrorCode.UNAUTHENTICATED, "cannot get the signing keys: " + why);
    }
}
