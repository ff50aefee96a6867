package io.pushgate.jwt;

import io.pushgate.protocol.Causes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jose4j.json.JsonUtil;
import org.jose4j.lang.JoseException;

/**
 * The signing keys of an issuer over HTTP, as OpenID Connect Discovery says: the discovery
 * document at {@code <issuer>/.well-known/openid-configuration} (whose {@code issuer} must be the
 * configured URL) names the {@code jwks_uri}, which is then read. Asynchronous, through the JDK
 * {@link HttpClient}: a fetch completes on the client's executor.
 */
public final class HttpSigningKeySource implements SigningKeySource {

    /** Largest discovery document or key set read. */
    static final int MAX_DOCUMENT_CHARS = 1 << 20;

    private final HttpClient http;
    private final Duration fetchTimeout;

    /** {@code fetchTimeout}: the time limit of one HTTP request for a discovery document or key set. */
    public HttpSigningKeySource(HttpClient http, Duration fetchTimeout) {
        this.http = http;
        this.fetchTimeout = fetchTimeout;
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

    @Override
    public void checkIssuer(String issuer) {
        discoveryUri(issuer);
    }

    @Override
    public CompletableFuture<String> fetchKeySet(String issuer) {
        URI discovery = discoveryUri(issuer);
        return getJson(discovery).thenCompose(document -> {
            Object named = document.get("issuer");
            if (!issuer.equals(named)) {
                throw SigningKeySource.unavailable("the discovery document at " + discovery + " names the issuer '" + named
                        + "', not '" + issuer + "'");
            }
            if (!(document.get("jwks_uri") instanceof String jwksUri)) {
                throw SigningKeySource.unavailable("the discovery document at " + discovery + " has no jwks_uri");
            }
            URI uri;
            try {
                uri = URI.create(jwksUri);
            } catch (IllegalArgumentException e) {
                throw SigningKeySource.unavailable("the jwks_uri of issuer '" + issuer + "' is not a URI");
            }
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw SigningKeySource.unavailable("the jwks_uri of issuer '" + issuer + "' is not an http(s) URL");
            }
            return getText(uri);
        });
    }

    private CompletableFuture<Map<String, Object>> getJson(URI uri) {
        return getText(uri).thenApply(text -> {
            try {
                return JsonUtil.parseJson(text);
            } catch (JoseException | RuntimeException e) {
                throw SigningKeySource.unavailable(uri + " did not answer with a JSON object");
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
                        throw SigningKeySource.unavailable("cannot reach " + uri + ": " + (cause instanceof IOException
                                ? cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : " " + cause.getMessage())
                                : cause.toString()));
                    }
                    if (response.statusCode() != 200) {
                        throw SigningKeySource.unavailable(uri + " answered HTTP " + response.statusCode());
                    }
                    if (response.body().length() > MAX_DOCUMENT_CHARS) {
                        throw SigningKeySource.unavailable(uri + " answered with more than " + MAX_DOCUMENT_CHARS + " characters");
                    }
                    return response.body();
                });
    }
}
