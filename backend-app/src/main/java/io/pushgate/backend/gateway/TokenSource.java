package io.pushgate.backend.gateway;

import io.pushgate.protocol.ErrorCode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The service's identity at the gateway: a token from the auth-service's client-credentials grant
 * ({@code POST {auth}/v1/token}), fetched when first needed and fetched again before it expires
 * (a minute before, or at half its lifetime for tokens shorter than two minutes), or at once after
 * the gateway refused it ({@link #invalidate()}). Without an auth URL there is no token at all.
 *
 * <p>Thread-safe; a refresh blocks the callers that need a token meanwhile.
 */
public final class TokenSource {

    private static final Logger LOG = Logger.getLogger(TokenSource.class);

    private final HttpClient http;
    private final URI tokenEndpoint;
    private final String clientId;
    private final String clientSecret;
    private final Duration timeout;
    private final Clock clock;

    private String token;
    private String subject;
    private Instant refreshAt = Instant.MIN;
    private Instant expiresAt = Instant.MIN;

    private TokenSource(HttpClient http, URI authUrl, String clientId, String clientSecret, Duration timeout, Clock clock) {
        this.http = http;
        this.tokenEndpoint = authUrl == null ? null : authUrl.resolve("/v1/token");
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** No token: requests go to the gateway without credentials. */
    public static TokenSource none() {
        return new TokenSource(null, null, null, null, null, Clock.systemUTC());
    }

    public static TokenSource clientCredentials(HttpClient http, URI authUrl, String clientId, String clientSecret,
            Duration timeout, Clock clock) {
        return new TokenSource(http, authUrl, clientId, clientSecret == null ? "" : clientSecret, timeout, clock);
    }

    public boolean enabled() {
        return tokenEndpoint != null;
    }

    /**
     * The token to send, fetching a new one when due; empty when there is no auth URL.
     *
     * @throws GatewayException {@code UNAVAILABLE} when no valid token is held and the auth-service
     *     did not give one (unreachable, or it refused the client's credentials)
     */
    public synchronized Optional<String> current() {
        if (tokenEndpoint == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (token == null || !now.isBefore(refreshAt)) {
            try {
                fetch(now);
            } catch (GatewayException e) {
                if (token != null && now.isBefore(expiresAt)) {
                    LOG.warnf("could not renew the token (%s); the current one is valid until %s", e.getMessage(), expiresAt);
                } else {
                    throw e;
                }
            }
        }
        return Optional.of(token);
    }

    /** The principal the token names ({@code sub}); null before the first token, or without one. */
    public synchronized String subject() {
        return subject;
    }

    /** The gateway refused the token: the next {@link #current()} fetches a new one. */
    public synchronized void invalidate() {
        refreshAt = Instant.MIN;
    }

    private void fetch(Instant now) {
        String form = "grant_type=client_credentials&client_id=" + encode(clientId) + "&client_secret=" + encode(clientSecret);
        HttpRequest request = HttpRequest.newBuilder(tokenEndpoint).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw GatewayException.unavailable("the auth-service at " + tokenEndpoint + " did not answer: " + e, false, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw GatewayException.unavailable("interrupted while fetching a token", false, e);
        }
        if (response.statusCode() != 200) {
            throw GatewayException.unavailable("the auth-service refused client " + clientId + " with " + response.statusCode()
                    + ": " + TokenResponse.errorOf(response.body()), false, null);
        }
        TokenResponse answer;
        try {
            answer = TokenResponse.parse(response.body());
        } catch (IllegalArgumentException e) {
            throw new GatewayException(ErrorCode.UNAVAILABLE, e.getMessage(), false);
        }
        Duration lifetime = answer.expiresIn();
        Duration early = lifetime.dividedBy(2).compareTo(lifetime.minusMinutes(1)) > 0 ? lifetime.dividedBy(2) : lifetime.minusMinutes(1);
        boolean first = token == null;
        token = answer.accessToken();
        subject = answer.subject();
        expiresAt = now.plus(lifetime);
        refreshAt = now.plus(early);
        if (first) {
            LOG.infof("got a token for %s from %s (valid %s)", subject, tokenEndpoint, lifetime);
        } else {
            LOG.debugf("renewed the token for %s", subject);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
