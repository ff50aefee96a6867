package io.pushgate.gateway.oidc;

import io.pushgate.protocol.Causes;
import io.pushgate.gateway.security.introspection.IntrospectionEndpoint;
import io.pushgate.gateway.security.introspection.IntrospectionUnavailableException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.jose4j.json.JsonUtil;
import org.jose4j.lang.JoseException;

/**
 * An {@link IntrospectionEndpoint} over HTTP with the JDK's client: {@code POST} of
 * {@code token=...&token_type_hint=access_token} (RFC 7662, section 2.1), the gateway authenticated
 * as a confidential client with HTTP Basic ({@code client_secret_basic}, id and secret
 * form-encoded first as RFC 6749, section 2.3.1 asks). For Keycloak the URL is
 * {@code <issuer>/protocol/openid-connect/token/introspect}; any confidential client of the realm may
 * call it.
 *
 * <p>Neither the token nor the secret ever appears in a message or in {@link #toString()}.
 */
public final class HttpIntrospectionEndpoint implements IntrospectionEndpoint {

    /** Largest reply read. */
    static final int MAX_REPLY_CHARS = 1 << 20;

    private final HttpClient http;
    private final URI uri;
    private final String clientId;
    private final String authorization;
    private final Duration timeout;

    public HttpIntrospectionEndpoint(HttpClient http, URI uri, String clientId, String clientSecret, Duration timeout) {
        this.http = Objects.requireNonNull(http);
        this.uri = Objects.requireNonNull(uri);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("the introspection endpoint '" + uri + "' is not an http(s) URL");
        }
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("no client id for the introspection endpoint " + uri);
        }
        if (clientSecret == null || clientSecret.isEmpty()) {
            throw new IllegalArgumentException("no client secret for the introspection endpoint " + uri);
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the introspection timeout must be positive");
        }
        this.clientId = clientId;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                (form(clientId) + ":" + form(clientSecret)).getBytes(StandardCharsets.UTF_8));
        this.timeout = timeout;
    }

    @Override
    public CompletionStage<Map<String, Object>> introspect(String token) {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString("token=" + form(token) + "&token_type_hint=access_token"))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, error) -> {
            if (error != null) {
                throw new IntrospectionUnavailableException("cannot reach " + uri + ": " + describe(error));
            }
            int status = response.statusCode();
            if (status != 200) {
                throw new IntrospectionUnavailableException(uri + " answered HTTP " + status
                        + (status == 400 || status == 401 || status == 403
                                ? " (check the client id and secret the gateway introspects with, and that the client is confidential)" : ""));
            }
            String body = response.body();
            if (body == null || body.length() > MAX_REPLY_CHARS) {
                throw new IntrospectionUnavailableException(uri + " answered with no body or more than " + MAX_REPLY_CHARS + " characters");
            }
            try {
                Map<String, Object> json = JsonUtil.parseJson(body);
                if (json == null) {
                    throw new IntrospectionUnavailableException(uri + " did not answer with a JSON object");
                }
                return json;
            } catch (JoseException | RuntimeException e) {
                if (e instanceof IntrospectionUnavailableException u) {
                    throw u;
                }
                throw new IntrospectionUnavailableException(uri + " did not answer with a JSON object");
            }
        });
    }

    private static String describe(Throwable error) {
        Throwable cause = Causes.unwrap(error);
        if (cause instanceof HttpTimeoutException) {
            return "no answer within the timeout";
        }
        if (cause instanceof IOException) {
            return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : " " + cause.getMessage());
        }
        return cause.getClass().getSimpleName();
    }

    private static String form(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "token introspection at " + uri + " as client " + clientId;
    }
}
