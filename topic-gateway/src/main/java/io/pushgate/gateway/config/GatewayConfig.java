package io.pushgate.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;

/** The gateway's configuration ({@code gateway.*}); each value also reads from its environment variable. */
@ConfigMapping(prefix = "gateway")
public interface GatewayConfig {

    /**
     * Where the shared state lives: {@code redis} (the default: every replica of one deployment
     * shares one Redis or Redis Cluster) or {@code memory} (no Redis connection at all: one gateway
     * on its own, its state lost when it stops; for a single node and for trying it out).
     */
    @WithDefault("redis")
    Store store();

    /** The values of {@code gateway.store}. */
    enum Store {
        REDIS, MEMORY
    }

    Redis redis();

    Limits limits();

    Security security();

    Views views();

    interface Views {
        /**
         * The most insertion topics one view with the {@code live inserts} option watches: a change
         * of one of them re-evaluates the sources that inserted it. Past it, further insertion topics
         * are read only when their source changes (Diffusion's behaviour), and a warning is logged.
         */
        @WithDefault("1000")
        int maxWatchedInsertions();
    }

    Sessions sessions();

    /** Session properties, session filters and the cross-replica session directory (issue 18). */
    interface Sessions {
        /** User properties one session may hold (set when it connects or by a controller). */
        @WithDefault("16")
        int maxUserProperties();

        /** Longest value of one user property, in UTF-8 bytes. */
        @WithDefault("256")
        int maxPropertyValueBytes();

        /** Deepest nesting of brackets and nots in a session filter. */
        @WithDefault("32")
        int maxFilterDepth();

        /** How long a replica's sessions stay listed after its last heartbeat: a dead replica's sessions leave every listing within it. */
        @WithDefault("15s")
        Duration directoryTtl();

        /** How often each replica renews its sessions in the directory; less than directory-ttl. */
        @WithDefault("5s")
        Duration directoryHeartbeat();

        /** How long an operation on another replica's sessions waits for that replica's answer. */
        @WithDefault("5s")
        Duration callTimeout();
    }

    Presence presence();

    /** Presence topics ({@code $presence/<path>} of the topics with {@code PRESENCE=true}). */
    interface Presence {
        /**
         * How often presence is written: a replica publishes its sessions' counts of a topic at most
         * once per interval, and the writer recomputes a presence topic at most once per interval, so
         * a burst of subscribes (a reconnect storm) costs one write per topic per interval.
         */
        @WithDefault("250ms")
        Duration coalesce();

        /**
         * How long a replica's sessions count after its last heartbeat (renewed every third of it):
         * the sessions of a replica that dies leave the presence topics within about this plus a third.
         */
        @WithDefault("10s")
        Duration replicaTtl();
    }

    interface Security {
        /** Roles of a session without credentials. */
        @WithDefault("CLIENT")
        java.util.List<String> anonymousRoles();

        /**
         * OIDC issuers whose tokens the gateway accepts: it reads each one's discovery document
         * ({@code <issuer>/.well-known/openid-configuration}) and JWKS. Roles come from the
         * {@code roles} claim or Keycloak's {@code realm_access.roles}.
         */
        @WithDefault("http://localhost:8081")
        java.util.List<String> issuers();

        /** When set, a token must carry this audience ({@code aud}). */
        java.util.Optional<String> audience();

        /**
         * Origins (scheme://host[:port]) whose pages may open WebSocket and SSE sessions; {@code *}
         * allows any. A browser sends the page's origin with the upgrade, so a page from an
         * unlisted origin cannot open a session, whatever credentials it holds. Requests
         * without an Origin header (non-browser clients) are not affected.
         */
        @WithDefault("*")
        java.util.List<String> allowedOrigins();

        /** Allowed clock skew when checking {@code exp} and {@code nbf}. */
        @WithDefault("30s")
        Duration clockSkew();

        /**
         * Token introspection, per issuer (off unless configured): the key is a name of your choice,
         * e.g. {@code gateway.security.introspection.keycloak.issuer=...}. A token of such an issuer
         * is accepted only while the issuer's introspection endpoint calls it {@code active}, with the
         * roles the endpoint returns then; open sessions holding one ask again every
         * {@code recheck-interval}. Without an entry, tokens are verified offline only and keep their
         * roles until {@code exp}.
         */
        Map<String, Introspection> introspection();
    }

    /** Token introspection (RFC 7662) for the tokens of one trusted issuer. */
    interface Introspection {
        /** The issuer whose tokens are introspected: exactly one of {@code gateway.security.issuers}. */
        String issuer();

        /** The introspection endpoint; for Keycloak {@code <issuer>/protocol/openid-connect/token/introspect}. */
        String url();

        /** The confidential client the gateway authenticates as (HTTP Basic). */
        String clientId();

        /**
         * That client's secret. Set it through the environment
         * ({@code GATEWAY_SECURITY_INTROSPECTION_<NAME>_CLIENT_SECRET}), not a file in the image;
         * the gateway never logs it.
         */
        String clientSecret();

        /** How long an answer about a token is used again (REST bursts, reconnects, re-checks); 0 asks every time. */
        @WithDefault("5s")
        Duration cacheTtl();

        /** How often an open WebSocket or SSE session asks again about its token (checked once a second). */
        @WithDefault("30s")
        Duration recheckInterval();

        /**
         * How long an open session keeps its last known roles while the endpoint cannot be reached;
         * past it the session is closed with 1013 (try again later). New tokens are refused meanwhile.
         */
        @WithDefault("60s")
        Duration grace();

        /** Time limit of one call to the endpoint. */
        @WithDefault("5s")
        Duration timeout();
    }

    interface Redis {
        /** Prefix of every key and channel the gateway uses, so several deployments can share a Redis. */
        @WithDefault("pushgate")
        String keyPrefix();

        /**
         * Writes of one event loop travel to Redis on one connection of their own, pipelined, and
         * consecutive sets go as one script call (docs/design.md, "The update path"). This bounds
         * how many sets one call carries.
         */
        @WithDefault("512")
        int writeBatchChanges();

        /** How many bytes of values one batched call carries at most (a single larger value still goes, alone). */
        @WithDefault("1048576")
        int writeBatchBytes();

        /**
         * Calls of one event loop that may await Redis's answer at once; writes made meanwhile
         * wait and leave together in the next call. 1 or 2 keep batches large under load and add
         * no delay when Redis keeps up.
         */
        @WithDefault("2")
        int writesInFlight();

        /** Writes of one event loop that may wait to be sent; past it a write fails at once with UNAVAILABLE. */
        @WithDefault("65536")
        int maxQueuedWrites();

        /**
         * Writes of one event loop waiting to be sent past which its WebSocket connections stop
         * reading requests until half of them have left: a client that writes faster than Redis
         * stores is slowed down by TCP rather than refused (flow control); well under
         * {@code max-queued-writes}.
         */
        @WithDefault("4096")
        int writeBacklog();

        /**
         * How long a stored write's acknowledgement waits at most for this gateway to apply its
         * change message (read-your-writes); past it the write is acknowledged anyway (it is stored).
         */
        @WithDefault("2s")
        Duration applyWait();

        /**
         * Shards of the topic store (docs/design.md, "On a Redis Cluster"): a topic's keys carry its
         * shard's hash tag and its changes go out on the shard's channel with sharded pub/sub
         * (SPUBLISH/SSUBSCRIBE), so that the write and publishing load spreads over a cluster's
         * masters. 0 (the default) is automatic: unsharded on a single Redis (one channel, the
         * layout of every release before), 16 on a Redis Cluster
         * ({@code quarkus.redis.client-type=cluster}). Every replica must use the same number, and
         * it must not change while the store holds data: a gateway started with another number than
         * the one the store was made with stays not-ready and says why.
         */
        @WithDefault("0")
        int shards();

        /**
         * Replicas of the Redis master that must confirm a write before it is acknowledged
         * ({@code WAIT <n> <wait-timeout>} after each call). 0 (the default): acknowledged once
         * the master stored it; Redis replicates asynchronously, so such a write can be lost if
         * that master dies before replicating it. With 1, a write a replica did not confirm within
         * {@code wait-timeout} is answered UNAVAILABLE (stored on the master, maybe not kept).
         */
        @WithDefault("0")
        int waitReplicas();

        /** How long a WAIT for {@code wait-replicas} replicas waits at most. */
        @WithDefault("100ms")
        Duration waitTimeout();
    }

    interface Limits {
        /** Largest request frame (WebSocket message, REST body) in bytes; larger ones get TOO_LARGE. */
        @WithDefault("1048576")
        int maxFrameBytes();

        /** Largest topic value in bytes (its canonical text). */
        @WithDefault("1048576")
        int maxValueBytes();

        /** Number of topics the gateway accepts in all; adds past it get TOO_LARGE. */
        @WithDefault("100000")
        int maxTopics();

        /** Selectors one session may hold at once. */
        @WithDefault("1000")
        int maxSelectorsPerSession();

        /**
         * Bytes a connection may have queued for writing before it counts as behind; then its
         * topics are conflated (the latest whole value replaces what it missed).
         */
        @WithDefault("262144")
        int writeQueueBytes();

        /** How long a connection may stay behind before it is closed with code 4001. */
        @WithDefault("30s")
        Duration slowConsumerTimeout();

        /** Open WebSocket and SSE connections per client address; more are refused with 429. */
        @WithDefault("1000")
        int maxConnectionsPerAddress();

        /** Topics one session may be subscribed to at once; past it, matching topics are not subscribed (an error says so). */
        @WithDefault("10000")
        int maxSubscriptionsPerSession();

        /** Topics one session may add in all (a guard against a client filling the tree). */
        @WithDefault("10000")
        int maxTopicsPerSession();

        /** Requests per second a session may make on average; past it, RATE_LIMITED. */
        @WithDefault("500")
        int maxRequestsPerSecond();

        /** Requests a session may make in a burst above the average rate. */
        @WithDefault("1000")
        int requestBurst();

        /** How deeply a request's JSON may nest (objects and arrays). */
        @WithDefault("64")
        int maxJsonDepth();

        /** A WebSocket that sends nothing (no request, no ping) for this long is closed with 4002; 0 disables. */
        @WithDefault("120s")
        Duration idleTimeout();

        /**
         * Most bytes of messages a WebSocket connection holds for the event loop's next flush:
         * with {@code ?batch=lines} the largest frame of several messages, without it the most
         * that leave in one write. A single larger message still goes alone.
         */
        @WithDefault("65536")
        int maxBatchBytes();

        /**
         * The longest {@code batch-delay} a client may ask for (with {@code ?batch=lines}), and
         * the longest the gateway itself pauses between two flushes of a busy event loop (for
         * every WebSocket).
         */
        @WithDefault("50ms")
        Duration maxBatchDelay();

        /**
         * On connections with one message per WebSocket frame (the default), the frames that
         * wait for the event loop's next flush leave in one write (one system call) instead of
         * one each; at most this many wait. 0 writes and flushes every frame at once.
         */
        @WithDefault("256")
        int writesPerFlush();
    }
}
