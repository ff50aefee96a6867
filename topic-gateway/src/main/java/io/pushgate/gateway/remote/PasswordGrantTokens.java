package io.pushgate.gateway.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.protocol.Json;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Tokens for a principal from a token endpoint, by the OAuth 2.0 password grant (RFC 6749, 4.3),
 * as the auth-service's {@code POST /v1/token} and Keycloak answer it. A token is used again
 * until three quarters of its lifetime ({@code expires_in}) have passed, then a new one is asked
 * for; the client asks for one on every connection attempt, so a reconnection after the token
 * expired (close code 4100) logs in again. Thread-safe; blocks while it asks.
 */
final class PasswordGrantTokens implements Supplier<String> {

    /** Used when the endpoint does not say how long its tokens live. */
    static final long DEFAULT_LIFETIME_SECONDS = 60;

    private final RemoteServerSettings.Login.Password login;
    private final HttpClient http;
    private final Duration timeout;
    private final LongSupplier nanos;
    private String token;
    private long renewAt;

    PasswordGrantTokens(RemoteServerSettings.Login.Password login, HttpClient http, Duration timeout, LongSupplier nanos) {
        this.login = login;
        this.http = http;
        this.timeout = timeout;
        this.nanos = nanos;
    }

    /**
     * The current token, asked for if there is none or it is getting old.
     *
     * @throws IllegalStateException if the endpoint cannot be reached or refuses (the message has
     *     its status and error, never the password)
     */
    @Override
    public synchronized String get() {
        long now = nanos.getAsLong();
        if (token != null && now - renewAt < 0) {
            return token;
        }
        String form = "grant_type=password&username=" + encode(login.principal()) + "&password=" + encode(login.password())
                + login.clientId().map(c -> "&client_id=" + encode(c)).orElse("");
        HttpRequest request = HttpRequest.newBuilder(login.tokenUrl()).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot ask " + login.tokenUrl() + " for a token of " + login.principal() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking " + login.tokenUrl() + " for a token", e);
        }
        JsonNode body;
        try {
            body = Json.parse(response.body());
        } catch (RuntimeException e) {
            body = Json.MAPPER.createObjectNode();
        }
        String accessToken = body.path("access_token").asText("");
        if (response.statusCode() != 200 || accessToken.isEmpty()) {
            throw new IllegalStateException(login.tokenUrl() + " gave no token to " + login.principal() + ": HTTP "
                    + response.statusCode() + " " + body.path("error").asText(""));
        }
        long lifetime = body.path("expires_in").asLong(DEFAULT_LIFETIME_SECONDS);
        token = accessToken;
        renewAt = now + Duration.ofSeconds(Math.max(1, lifetime)).toNanos() / 4 * 3;
        return token;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
