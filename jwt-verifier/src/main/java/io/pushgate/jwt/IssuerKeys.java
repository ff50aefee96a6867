package io.pushgate.jwt;

import io.pushgate.protocol.Causes;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.ProtocolException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.lang.JoseException;

/**
 * The signing keys of one trusted issuer: its discovery document names the JWKS, which is fetched
 * and kept until a token names a key id the set does not have. Fetches are asynchronous, one at a
 * time (callers that arrive meanwhile share it), and at most one per {@code minRefreshInterval}.
 */
final class IssuerKeys {

    /** Largest discovery document or key set read. */
    static final int MAX_DOCUMENT_CHARS = 1 << 20;

    private final String issuer;
    private final URI discovery;
    private final HttpClient http;
    private final Duration fetchTimeout;
    private final Duration minRefreshInterval;
    private final Clock clock;

    private volatile List<JsonWebKey> keys; // null until the first fetch succeeded
    private long lastAttemptMillis;
    private boolean attempted;
    /** The last fetch failed: the issuer was down or starting. Retry within a second, not the full interval. */
    private boolean lastFailed;
    private static final long RETRY_AFTER_FAILURE_MS = 1_000;
    private CompletableFuture<List<JsonWebKey>> inFlight;

    IssuerKeys(String issuer, HttpClient http, Duration fetchTimeout, Duration minRefreshInterval, Clock clock) {
        this.issuer = issuer;
        this.discovery = discoveryUri(issuer);
        this.http = http;
        this.fetchTimeout = fetchTimeout;
        this.minRefreshInterval = minRefreshInterval;
        this.clock = clock;
    }

    /** OpenID Connect Discovery 1.0, section 4: the issuer without a trailing slash, then the well-known path. */
    static URI discoveryUri(String issuer) {
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        URI uri = URI.create(base + "/.well-known/openid-configuration");
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("issuer '" + issuer + "' is not an http(s) URL");
        }
        return uri;
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
        return getJson(discovery).thenCompose(document -> {
            Object named = document.get("issuer");
            if (!issuer.equals(named)) {
                throw unavailable("the discovery document at " + discovery + " names the issuer '" + named
                        + "', not '" + issuer + "'");
            }
            if (!(document.get("jwks_uri") instanceof String jwksUri)) {
                throw unavailable("the discovery document at " + discovery + " has no jwks_uri");
            }
            URI uri;
            try {
                uri = URI.create(jwksUri);
            } catch (IllegalArgumentException e) {
                throw unavailable("the jwks_uri of issuer '" + issuer + "' is not a URI");
            }
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw unavailable("the jwks_uri of issuer '" + issuer + "' is not an http(s) URL");
            }
            return getText(uri).thenApply(this::parseKeys);
        });
    }

    private List<JsonWebKey> parseKeys(String text) {
        try {
            return List.copyOf(new JsonWebKeySet(text).getJsonWebKeys());
        } catch (JoseException | RuntimeException e) {
            throw unavailable("the key set of issuer '" + issuer + "' is not a valid JWKS");
        }
    }

    private CompletableFuture<Map<String, Object>> getJson(URI uri) {
        return getText(uri).thenApply(text -> {
            try {
                return JsonUtil.parseJson(text);
            } catch (JoseException | RuntimeException e) {
                throw unavailable(uri + " did not answer with a JSON object");
            }
        });
    }

    private CompletableFuture<String> getText(URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(fetchTimeout)
                .header("Accept", "application/json")
                .GET()
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .handle((response, error) -> {
                    if (error != null) {
                        Throwable cause = Causes.unwrap(error);
                        throw unavailable("cannot reach " + uri + ": " + (cause instanceof IOException
                                ? cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : " " + cause.getMessage())
                                : cause.toString()));
                    }
                    if (response.statusCode() != 200) {
                        throw unavailable(uri + " answered HTTP " + response.statusCode());
                    }
                    if (response.body().length() > MAX_DOCUMENT_CHARS) {
                        throw unavailable(uri + " answered with more than " + MAX_DOCUMENT_CHARS + " characters");
                    }
                    return response.body();
                });
    }

    private static ProtocolException unavailable(String why) {
        return new ProtocolException(ErrorCode.UNAUTHENTICATED, "cannot get the signing keys: " + why);
    }

}
