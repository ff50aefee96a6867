package io.pushgate.feeder.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Everything the data-feeder can be told, under {@code feeder.*}. */
@ConfigMapping(prefix = "feeder")
public interface FeederConfig {

    /** Where prices come from: {@code coinbase}, {@code coindesk}, {@code replay} or {@code auto}. */
    @WithDefault("coinbase")
    SourceMode source();

    /**
     * The price API. For {@code coinbase} its base URL (absent means {@code https://api.coinbase.com});
     * for {@code coindesk} the full {@code currentprice.json} URL (required, since CoinDesk's own
     * API is gone); ignored by {@code replay}.
     */
    Optional<URI> url();

    /** Time from the end of one poll to the start of the next; retries happen inside a poll. */
    @WithDefault("10s")
    Duration period();

    /** Whether polling starts with the service; when false it waits for {@code POST /v1/feed/start}. */
    @WithDefault("true")
    boolean autostart();

    /** Redis pub/sub channel each new document is published to. */
    @WithDefault("prices.btc")
    String channel();

    /** Redis stream each new document is appended to, so a consumer that was down can catch up. */
    @WithDefault("prices.btc.stream")
    String stream();

    /** Approximate cap on the stream's length ({@code XADD MAXLEN ~}): Redis trims whole nodes, so it may hold a little more. */
    @WithDefault("10000")
    long streamMaxlen();

    /** Timeouts of the HTTP client. */
    Http http();

    /** Retries of a failed fetch, inside one poll. */
    Retry retry();

    /** The circuit breaker that stops calling an API that keeps failing. */
    CircuitBreaker circuitBreaker();

    /** The replay source. */
    Replay replay();

    /** Who may start and stop the feed ({@code POST /v1/feed/start} and {@code /stop}). */
    Control control();

    /** The issuers whose tokens are trusted, and how they are verified. */
    Security security();

    interface Http {

        /** How long to wait for a TCP connection to the API. */
        @WithDefault("2s")
        Duration connectTimeout();

        /** How long to wait for one response, from sending the request; a hung API fails after this. */
        @WithDefault("5s")
        Duration timeout();
    }

    interface Retry {

        /** Retries after a failed fetch within one poll (so {@code max-retries + 1} attempts). */
        @WithDefault("3")
        int maxRetries();

        /** Wait before the first retry; each later one waits {@code factor} times longer. */
        @WithDefault("500ms")
        Duration delay();

        /** Multiplier of the wait between consecutive retries (exponential backoff). */
        @WithDefault("2")
        int factor();

        /** Upper bound of the wait between two retries. */
        @WithDefault("8s")
        Duration maxDelay();

        /** Random spread added to or taken from each wait, so that many feeders do not retry in step. */
        @WithDefault("100ms")
        Duration jitter();
    }

    interface CircuitBreaker {

        /** Attempts in the rolling window the failure ratio is computed over (each retry is an attempt). */
        @WithDefault("8")
        int requestVolumeThreshold();

        /** Share of failed attempts in the window that opens the circuit. */
        @WithDefault("0.5")
        double failureRatio();

        /** How long the circuit stays open before one trial call is let through (half-open). */
        @WithDefault("60s")
        Duration delay();

        /** Successful trial calls needed to close the circuit again. */
        @WithDefault("1")
        int successThreshold();
    }

    interface Replay {

        /** Classpath resource with the recorded BPI documents, one JSON document a line. */
        @WithDefault("replay/btc-bpi.jsonl")
        String resource();
    }

    interface Control {

        /**
         * Roles of which a caller's token must hold one to start or stop the feed; {@code *} lets
         * anyone, even without a token (only where the port is private). {@code GET /v1/feed} is open.
         */
        @WithDefault("TOPIC_CONTROL,ADMINISTRATOR")
        List<String> roles();
    }

    interface Security {

        /**
         * OIDC issuers whose tokens are accepted (the auth-service, Keycloak realms): each one's
         * discovery document ({@code <issuer>/.well-known/openid-configuration}) names its JWKS. A
         * token's {@code iss} must be one of them exactly; roles come from its {@code roles} claim or
         * Keycloak's {@code realm_access.roles}.
         */
        @WithDefault("http://localhost:8081")
        List<String> issuers();

        /** When set, a token must carry this audience ({@code aud}). */
        Optional<String> audience();

        /** Allowed clock skew when checking {@code exp} and {@code nbf}. */
        @WithDefault("30s")
        Duration clockSkew();

        /** Least time between two fetches of one issuer's keys (a token with an unknown {@code kid} fetches them again). */
        @WithDefault("30s")
        Duration keysRefreshInterval();

        /** Time limit of one request for a discovery document or a key set. */
        @WithDefault("10s")
        Duration keysFetchTimeout();
    }
}
