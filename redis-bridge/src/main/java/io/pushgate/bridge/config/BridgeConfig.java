package io.pushgate.bridge.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Everything the redis-bridge can be told, under {@code bridge.*}. The README has the same table. */
@ConfigMapping(prefix = "bridge")
public interface BridgeConfig {

    /** The raw pub/sub WebSocket endpoint {@code /v1/redis/{channel}}. */
    Passthrough passthrough();

    /** Forwarding of Redis channels, patterns and streams into the pipeline stream toward backend-app. */
    Forward forward();

    /** Base URL of the topic gateway's REST API, which the gateway mappings write to. */
    @WithDefault("http://localhost:8080")
    URI gatewayUrl();

    /** Bearer token sent to the gateway with each request (a {@code TOPIC_CONTROL} identity); none when absent. */
    Optional<String> gatewayToken();

    /**
     * Redis channel or glob pattern (only {@code *}) to gateway topic path template: every message on a
     * matching channel sets the topic, {@code <channel>} standing for the channel's name. For example
     * {@code bridge.gateway-mappings."prices.*"=redis/<channel>} sets {@code redis/prices.btc} from
     * channel {@code prices.btc}. None by default.
     */
    Map<String, String> gatewayMappings();

    /** How the gateway mappings talk to the gateway. */
    Gateway gateway();

    /** The dedicated pub/sub connection to Redis. */
    Redis redis();

    /** The issuers whose tokens the passthrough trusts, and how they are verified. */
    Security security();

    interface Passthrough {

        /** Whether a client's messages are PUBLISHed to its channel; when false a client that sends is closed with 4103. */
        @WithDefault("true")
        boolean allowPublish();

        /** Messages that may wait to be written to one client before it counts as slow. */
        @WithDefault("1000")
        int maxQueuedMessages();

        /** Bytes (payloads) that may wait to be written to one client before it counts as slow. */
        @WithDefault("1048576")
        long maxQueuedBytes();

        /** What happens to a slow client: {@code close} it with 4001, or {@code drop} the messages it cannot take. */
        @WithDefault("close")
        SlowClientPolicy slowClient();

        /**
         * Roles of which a client's token must hold one for its messages to be PUBLISHed; {@code *}
         * lets anyone publish, even without a token (only where the port is private). A refused
         * message gets an {@code error} frame and the connection stays open.
         */
        @WithDefault("TOPIC_CONTROL,ADMINISTRATOR")
        List<String> publishRoles();

        /**
         * Roles of which a client's token must hold one to connect and read; {@code *} (the default)
         * lets anyone read, even without a token. When set, the upgrade is refused with 401 or 403,
         * and a connection is closed with 4100 when its token expires.
         */
        @WithDefault("*")
        List<String> readRoles();
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

        /** Allowed clock skew when checking {@code exp} and {@code nbf}, at the upgrade and at each publish. */
        @WithDefault("30s")
        Duration clockSkew();

        /** Least time between two fetches of one issuer's keys (a token with an unknown {@code kid} fetches them again). */
        @WithDefault("30s")
        Duration keysRefreshInterval();

        /** Time limit of one request for a discovery document or a key set. */
        @WithDefault("10s")
        Duration keysFetchTimeout();
    }

    interface Forward {

        /** Whether anything is forwarded into the pipeline stream at all. */
        @WithDefault("true")
        boolean enabled();

        /** Redis channels to SUBSCRIBE to and forward (at most once: what arrives while Redis is unreachable is lost). */
        Optional<List<String>> channels();

        /** Redis glob patterns to PSUBSCRIBE to and forward (at most once, like channels). */
        Optional<List<String>> patterns();

        /** Redis streams to read with a consumer group and forward (at least once: acknowledged after the forward). */
        @WithDefault("prices.btc.stream")
        List<String> streams();

        /** Field of an input stream entry that holds the payload; an entry without it is forwarded as a JSON object of all its fields. */
        @WithDefault("data")
        String streamField();

        /** The pipeline stream the bridge appends to, which backend-app consumes with its own consumer group. */
        @WithDefault("bridge.out")
        String outStream();

        /** Approximate cap on the pipeline stream's length ({@code XADD MAXLEN ~}). */
        @WithDefault("100000")
        long outMaxlen();

        /** Consumer group the bridge reads its input streams with; created if missing. */
        @WithDefault("redis-bridge")
        String group();

        /** This bridge's consumer name in the group: give each replica its own, and keep it across restarts. */
        @WithDefault("redis-bridge-1")
        String consumer();

        /** Where a newly created group starts: {@code $} for entries added from now on, {@code 0} for the whole stream. */
        @WithDefault("$")
        String groupStartId();

        /** Entries read per XREADGROUP. */
        @WithDefault("100")
        int batchSize();

        /** How long one XREADGROUP waits for new entries (below {@code quarkus.redis.timeout}). */
        @WithDefault("2s")
        Duration block();

        /** How long a reader waits for one entry's forward to complete before it counts as failed. */
        @WithDefault("30s")
        Duration forwardTimeout();

        /**
         * Entries pending for longer than this in another consumer of the group (a replica that went away)
         * are claimed with XAUTOCLAIM and forwarded by this one; {@code 0s} disables claiming.
         */
        @WithDefault("5m")
        Duration claimIdle();

        /** Backoff after a failed forward or a Redis error, before the reader reads its pending entries again. */
        Backoff retry();
    }

    interface Gateway {

        /** Topic updates that may wait for the gateway; past it the oldest waiting topic's update is dropped. Updates of one topic replace each other while waiting. */
        @WithDefault("1000")
        int bufferSize();

        /** Timeout to connect to the gateway. */
        @WithDefault("2s")
        Duration connectTimeout();

        /** Timeout of one request to the gateway. */
        @WithDefault("5s")
        Duration requestTimeout();

        /** Attempts per update when the gateway is unreachable or answers 429 or 5xx; then the update is dropped. */
        @WithDefault("20")
        int maxAttempts();

        /** Backoff between attempts. */
        Backoff retry();
    }

    interface Redis {

        /** Backoff between attempts to reconnect the pub/sub connection. */
        Backoff reconnect();
    }

    /** An exponential backoff: the first wait, doubling up to the longest. */
    interface Backoff {

        /** The first wait. */
        @WithDefault("100ms")
        Duration initialDelay();

        /** The longest wait. */
        @WithDefault("5s")
        Duration maxDelay();
    }
}
