package io.pushgate.web.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * What the pages are told at {@code GET /config.json}: where the other services are, as the
 * browser reaches them (so public URLs, not cluster-internal ones), and the topics they use.
 */
@ConfigMapping(prefix = "web")
public interface WebConfig {

    /** The topic gateway's base URL (http or https); its WebSocket URL ({@code ws(s)://.../v1/ws}) is derived. */
    @WithDefault("http://localhost:8080")
    String gatewayUrl();

    /** The auth-service's base URL: sign-up ({@code /v1/principals}) and sign-in ({@code /v1/token}). */
    @WithDefault("http://localhost:8081")
    String authUrl();

    /** The redis-bridge's base URL: the raw Redis feed of the dashboard ({@code ws(s)://.../v1/redis/{channel}}). */
    @WithDefault("http://localhost:8082")
    String bridgeUrl();

    /** The data-feeder's base URL: the dashboard's start and stop control ({@code /v1/feed}). */
    @WithDefault("http://localhost:8083")
    String feederUrl();

    /** The chat page. */
    Chat chat();

    /** The price dashboard. */
    Dashboard dashboard();

    /** The moderator view. */
    Moderation moderation();

    /** How the pages reconnect to the gateway. */
    Reconnect reconnect();

    interface Chat {
        /** The rooms are the time series topics under this path. */
        @WithDefault("chat")
        String prefix();

        /** Messages shown on entering a room. */
        @WithDefault("50")
        int history();

        /**
         * A room {@code R} is pre-moderated when the time series {@code <inbox-prefix>/R} exists (backend-app's
         * {@code backend.moderation.inbox-prefix}): the page posts there, and shows the message as pending until
         * the moderator has published it in the room.
         */
        @WithDefault("inbox")
        String inboxPrefix();

        /** The moderator's principal (backend-app's): its messages in pre-moderated rooms name their author in {@code from}. */
        @WithDefault("backend-app")
        String moderator();
    }

    interface Dashboard {
        /** The Redis channel of the raw feed (the data-feeder publishes BPI documents on it). */
        @WithDefault("prices.btc")
        String channel();

        /** The gateway topic the gateway chart subscribes to: a view's reference topic. */
        @WithDefault("views/btc/usd")
        String viewTopic();

        /** The name of the view the dashboard offers to create (as an administrator) when the topic is missing. */
        @WithDefault("btc-usd")
        String viewName();

        /**
         * The view's text. {@code ?prices/.+} (exactly one level below {@code prices}) rather than
         * {@code ?prices/}, so that {@code prices/btc/raw} and {@code prices/btc/history}, which
         * backend-app also writes, do not feed the same reference topic.
         */
        @WithDefault("map ?prices/.+ to views/<path(1)>/usd as <value(/bpi/USD/rate_float)>")
        String view();

        /** The name of the second view the dashboard offers to create: one topic per currency. */
        @WithDefault("btc-currencies")
        String currencyViewName();

        /**
         * Its text: Diffusion's {@code expand} makes one reference topic per member of {@code /bpi}
         * ({@code views/btc/currency/USD}, {@code .../GBP}, {@code .../EUR}), and {@code process}
         * drops what a price display does not need, so that each topic holds {@code code} and
         * {@code rate_float} only.
         */
        @WithDefault("map ?prices/.+ to views/<path(1)>/currency/<expand(/bpi)> process {remove(/symbol); remove(/description); remove(/rate)}")
        String currencyView();

        /** The selector of the currency panel: every reference topic of that view. */
        @WithDefault("?views/btc/currency/")
        String currencySelector();

        /** Points kept on each chart. */
        @WithDefault("300")
        int points();
    }

    interface Moderation {
        /** The moderation log written by backend-app (a time series of JSON). */
        @WithDefault("moderation/log")
        String logTopic();

        /** Log entries read on entering the view, and the most the view keeps (the oldest go first). */
        @WithDefault("200")
        int history();

        /** Each principal's moderation status is the topic {@code <status-prefix>/<principal>} (backend-app's {@code backend.moderation.status-prefix}). */
        @WithDefault("moderation/status")
        String statusPrefix();

        /** Where the moderator view asks backend-app to give someone the right to post back (backend-app's {@code backend.moderation.requests-topic}). */
        @WithDefault("moderation/requests")
        String requestsTopic();

        /** Flagged messages shown (the newest); the log keeps the others. */
        @WithDefault("20")
        int flagged();

        /** How often the moderator view reads again who is connected (the gateway's listSessions), in milliseconds. */
        @WithDefault("3000")
        int sessionsRefreshMs();
    }

    interface Reconnect {
        /** The first wait before reconnecting, in milliseconds; it doubles on each failed attempt. */
        @WithDefault("500")
        int initialMs();

        /** The longest wait between attempts, in milliseconds. */
        @WithDefault("5000")
        int maxMs();
    }
}
