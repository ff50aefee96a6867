package io.pushgate.jwt;

import io.pushgate.protocol.Causes;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

/**
 * The signing keys of one trusted issuer: the key set, fetched from its {@link SigningKeySource}
 * and kept until a token names a key id the set does not have. Fetches are asynchronous, one at a
 * time (callers that arrive meanwhile share it), and at most one per {@code minRefreshInterval};
 * and the one that fits a token.
 */
final class IssuerKeys {

    private final String issuer;
    private final SigningKeySource source;
    private final Duration minRefreshInterval;
    private final Clock clock;

    private volatile List<JsonWebKey> keys; // null until the first fetch succeeded
    private long lastAttemptMillis;
    private boolean attempted;
    /** The last fetch failed: the issuer was down or starting. Retry within a second, not the full interval. */
    private boolean lastFailed;
    private static final long RETRY_AFTER_FAILURE_MS = 1_000;
    private CompletableFuture<List<JsonWebKey>> inFlight;

    IssuerKeys(String issuer, SigningKeySource source, Duration minRefreshInterval, Clock clock) {
        this.issuer = issuer;
        this.source = source;
        this.minRefreshInterval = minRefreshInterval;
        this.clock = clock;
    }

    String issuer() {
        return issuer;
    }

    /** The keys of the last successful fetch, or null if there has been none. */
    List<JsonWebKey> keys() {
        return keys;
    }

    /**
     * Fetches the keys again unless a fetch is under way (then that one is returned) or the last one
     * started less than {@code minRefreshInterval} ago (then null: the caller goes on without).
     */
    synchronized CompletableFuture<List<JsonWebKey>> refresh() {
        if (inFlight != null) {
            return inFlight;
        }
        long now = clock.millis();
        long interval = lastFailed ? Math.min(RETRY_AFTER_FAILURE_MS, minRefreshInterval.toMillis()) : minRefreshInterval.toMillis();
        if (attempted && now - lastAttemptMillis < interval) {
            return null;
        }
        attempted = true;
        lastAttemptMillis = now;
        CompletableFuture<List<JsonWebKey>> result = new CompletableFuture<>();
        inFlight = result;
        fetch().whenComplete((fetched, error) -> {
            synchronized (this) {
                if (fetched != null) {
                    keys = fetched;
                }
                lastFailed = fetched == null;
                if (inFlight == result) {
                    inFlight = null;
                }
            }
            if (error != null) {
                result.completeExceptionally(Causes.unwrap(error));
            } else {
                result.complete(fetched);
            }
        });
        return result;
    }

    private CompletableFuture<List<JsonWebKey>> fetch() {
        CompletableFuture<String> fetched;
        try {
            fetched = source.fetchKeySet(issuer);
        } catch (RuntimeException e) {
            fetched = CompletableFuture.failedFuture(e);
        }
        return fetched.thenApply(this::parseKeys);
    }

    private List<JsonWebKey> parseKeys(String text) {
        try {
            return List.copyOf(new JsonWebKeySet(text).getJsonWebKeys());
        } catch (JoseException | RuntimeException e) {
            throw SigningKeySource.unavailable("the key set of issuer '" + issuer + "' is not a valid JWKS");
        }
    }

    /** The key of this issuer that the token names, if {@code keys} has one that fits the token's algorithm. */
    Optional<JsonWebKey> select(List<JsonWebKey> keys, UnverifiedToken token) {
        List<JsonWebKey> fitting = keys.stream()
                .filter(k -> token.kid() == null || token.kid().equals(k.getKeyId()))
                .filter(k -> k.getUse() == null || "sig".equals(k.getUse()))
                .filter(k -> k.getAlgorithm() == null || token.alg().equals(k.getAlgorithm()))
                .filter(k -> fits(k, token.alg()))
                .toList();
        if (token.kid() == null && fitting.size() > 1) {
            throw TokenVerifier.refused("the token has no kid and issuer '" + issuer + "' has several keys");
        }
        return fitting.stream().findFirst();
    }

    private static boolean fits(JsonWebKey key, String alg) {
        if (alg.startsWith("RS") || alg.startsWith("PS")) {
            return key instanceof RsaJsonWebKey;
        }
        if (key instanceof EllipticCurveJsonWebKey ec) {
            return switch (alg) {
                case AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256 -> EllipticCurves.P_256.equals(ec.getCurveName());
                case AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384 -> EllipticCurves.P_384.equals(ec.getCurveName());
                default -> false;
            };
        }
        return false;
    }

    String unknownKey(UnverifiedToken token) {
        return token.kid() == null
                ? "bad signature: issuer '" + issuer + "' has no key for " + token.alg()
                : "bad signature: issuer '" + issuer + "' has no " + token.alg() + " key with kid '"
                        + TokenVerifier.printable(token.kid()) + "'";
    }
}
