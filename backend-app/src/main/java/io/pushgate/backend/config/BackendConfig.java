package io.pushgate.backend.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Everything backend-app can be told, under {@code backend.*}. The README has the same table. */
@ConfigMapping(prefix = "backend")
public interface BackendConfig {

    /** Base URL of the topic gateway: its REST API, and its WebSocket at {@code /v1/ws}. */
    @WithDefault("http://localhost:8080")
    URI gatewayUrl();

    /**
     * Base URL of the auth-service ({@code POST {auth-url}/v1/token}). Empty: no token, so the
     * gateway sees an anonymous session, which only works while its anonymous role may write.
     */
    Optional<URI> authUrl();

    /** Client id of the client-credentials grant. */
    @WithDefault("backend-app")
    String clientId();

    /** Client secret of the client-credentials grant (the auth-service's {@code BACKEND_APP_SECRET}). */
    Optional<String> clientSecret();

    /** How long one request to the gateway or the auth-service may take. */
    @WithDefault("5s")
    Duration requestTimeout();

    /**
     * Writes that may wait for the gateway while it is slow or away. Past it, the oldest waiting
     * price is dropped (counted, and left unacknowledged in the stream); chat edits never are.
     */
    @WithDefault("10000")
    int bufferSize();

    /** Backoff between attempts of a write the gateway did not accept for a passing reason. */
    Retry retry();

    /** The pipeline stream the redis-bridge writes. */
    Stream stream();

    /** The price topics. */
    Prices prices();

    /** The chat moderator. */
    Moderation moderation();

    interface Retry {
        /** First wait after a failed attempt. */
        @WithDefault("100ms")
        Duration initialDelay();

        /** Longest wait between attempts (doubling in between). */
        @WithDefault("5s")
        Duration maxDelay();
    }

    interface Stream {
        /** Whether the pipeline stream is consumed at all. */
        @WithDefault("true")
        boolean enabled();

        /** The redis-bridge's pipeline stream ({@code bridge.forward.out-stream}). */
        @WithDefault("bridge.out")
        String key();

        /** This service's consumer group on it (created if missing). */
        @WithDefault("backend-app")
        String group();

        /** This replica's consumer name: stable across restarts, so its pending entries are its own. */
        @WithDefault("backend-app-1")
        String consumer();

        /** Where a new group starts: {@code 0} every entry still in the stream, {@code $} new ones only. */
        @WithDefault("0")
        String groupStartId();

        /** Entries per XREADGROUP. */
        @WithDefault("100")
        int batchSize();

        /** How long one XREADGROUP waits for new entries (below {@code quarkus.redis.timeout}). */
        @WithDefault("2s")
        Duration block();

        /**
         * The {@code channel} field of the entries that are price documents: the data-feeder's
         * stream and its channel. Other entries are acknowledged and ignored.
         */
        @WithDefault("prices.btc.stream,prices.btc")
        List<String> priceChannels();
    }

    interface Prices {
        /** The normalised document with its change. */
        @WithDefault("prices/btc")
        String topic();

        /** The document as received. */
        @WithDefault("prices/btc/raw")
        String rawTopic();

        /** The time series (DOUBLE) of the price in {@link #currency()}. */
        @WithDefault("prices/btc/history")
        String historyTopic();

        /** {@code TIME_SERIES_RETAINED_RANGE} of the history. */
        @WithDefault("limit 10000")
        String historyRetainedRange();

        /** The currency of the history and of {@code change}. */
        @WithDefault("USD")
        String currency();
    }

    interface Moderation {
        /** Whether the moderator runs. */
        @WithDefault("true")
        boolean enabled();

        /** The chat rooms: each topic this selector matches that is a time series is a room. */
        @WithDefault("?chat/")
        String selector();

        /** Words replaced by asterisks: case-insensitive, whole words. */
        @WithDefault("darn,heck")
        List<String> words();

        /** Strikes before an author loses the right to post in a room. */
        Strikes strikes();

        /** The time series (JSON) every action is published to. */
        @WithDefault("moderation/log")
        String logTopic();

        /** {@code TIME_SERIES_RETAINED_RANGE} of the log. */
        @WithDefault("limit 10000")
        String logRetainedRange();

        /** Events of each room looked at when the moderator first sees it (what was posted while it was away). */
        @WithDefault("100")
        int catchUp();

        /**
         * The moderator's own principal, whose events it never judges. With a token it is the
         * token's {@code sub}; this is used without one.
         */
        @WithDefault("backend-app")
        String principal();

        /** Principals whose messages are bleeped but who get no strikes and are never revoked (shared identities). */
        @WithDefault("anonymous")
        List<String> exempt();

        /** What a revoked author keeps in the room (a principal-level override at the room's path). */
        @WithDefault("SELECT_TOPIC,READ_TOPIC")
        List<String> revokedPermissions();

        /**
         * What a revocation does to the author's live sessions, on every gateway replica: {@code none}
         * (they only lose the right to post), {@code unsubscribe} (unsubscribed from the room at once) or
         * {@code close} (closed with 4101, not reconnecting at once). The last two need VIEW_SESSION and
         * MODIFY_SESSION in the moderator's role.
         */
        @WithDefault("none")
        io.pushgate.backend.moderation.ModerationSettings.SessionAction onRevoke();

        /**
         * Each principal's moderation status is the JSON topic {@code <status-prefix>/<principal>}:
         * the rooms it may not post in. The revocation lets that principal read it.
         */
        @WithDefault("moderation/status")
        String statusPrefix();

        /** The time series (JSON) moderators append restore requests to ({@code {"action": "restore", ...}}). */
        @WithDefault("moderation/requests")
        String requestsTopic();

        /**
         * Pre-moderation: a room {@code R} whose inbox {@code <inbox-prefix>/R} exists (a time series)
         * is pre-moderated: people post to the inbox, and the moderator publishes each message in the
         * room only once judged. Empty: no pre-moderation.
         */
        @WithDefault("inbox")
        Optional<String> inboxPrefix();

        /** Messages whose latest versions the moderator remembers (the least recently used are forgotten past it). */
        @WithDefault("10000")
        int trackedMessages();
    }

    interface Strikes {
        /** Strikes within the window that revoke. */
        @WithDefault("3")
        int count();

        /** The sliding window strikes are counted in. */
        @WithDefault("10m")
        Duration window();
    }
}
