package io.pushgate.web.config;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * The document of {@code GET /config.json}: the pages' whole configuration. URLs are checked and
 * normalised (no trailing slash) once, at start-up, so that a typo fails the start rather than
 * every page.
 */
public record ClientConfig(Endpoint gateway, Endpoint auth, Endpoint bridge, Endpoint feeder, Chat chat, Dashboard dashboard,
        Moderation moderation, Reconnect reconnect) {

    /** A service: its base URL and, for those the browser opens a WebSocket to, the WebSocket URL. */
    public record Endpoint(String url, String wsUrl) {
    }

    public record Chat(String prefix, int history, String inboxPrefix, String moderator) {
    }

    public record Dashboard(String channel, String viewTopic, String viewName, String view, String currencyViewName, String currencyView,
            String currencySelector, int points) {
    }

    public record Moderation(String logTopic, int history, String statusPrefix, String requestsTopic, int flagged, int sessionsRefreshMs) {
    }

    public record Reconnect(int initialMs, int maxMs) {
    }

    public static ClientConfig from(WebConfig c) {
        String gateway = baseUrl("web.gateway-url", c.gatewayUrl());
        String bridge = baseUrl("web.bridge-url", c.bridgeUrl());
        return new ClientConfig(
                new Endpoint(gateway, webSocketUrl(gateway) + "/v1/ws"),
                new Endpoint(baseUrl("web.auth-url", c.authUrl()), null),
                new Endpoint(bridge, webSocketUrl(bridge)),
                new Endpoint(baseUrl("web.feeder-url", c.feederUrl()), null),
                new Chat(c.chat().prefix(), positive("web.chat.history", c.chat().history()), c.chat().inboxPrefix(), c.chat().moderator()),
                new Dashboard(c.dashboard().channel(), c.dashboard().viewTopic(), c.dashboard().viewName(), c.dashboard().view(),
                        c.dashboard().currencyViewName(), c.dashboard().currencyView(), c.dashboard().currencySelector(),
                        positive("web.dashboard.points", c.dashboard().points())),
                new Moderation(c.moderation().logTopic(), positive("web.moderation.history", c.moderation().history()),
                        c.moderation().statusPrefix(), c.moderation().requestsTopic(), positive("web.moderation.flagged", c.moderation().flagged()),
                        positive("web.moderation.sessions-refresh-ms", c.moderation().sessionsRefreshMs())),
                new Reconnect(positive("web.reconnect.initial-ms", c.reconnect().initialMs()),
                        positive("web.reconnect.max-ms", c.reconnect().maxMs())));
    }

    /** An absolute http(s) URL without query, fragment or trailing slash. */
    static String baseUrl(String key, String value) {
        URI uri;
        try {
            uri = new URI(value.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(key + " is not a URL: " + value, e);
        }
        String scheme = uri.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme) || uri.getHost() == null) {
            throw new IllegalArgumentException(key + " must be an absolute http or https URL: " + value);
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(key + " must have no query or fragment: " + value);
        }
        String text = uri.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return text;
    }

    /** The WebSocket URL of an http(s) base URL: {@code ws://} for {@code http://}, {@code wss://} for {@code https://}. */
    static String webSocketUrl(String httpUrl) {
        int colon = httpUrl.indexOf(':');
        return ("https".equalsIgnoreCase(httpUrl.substring(0, colon)) ? "wss" : "ws") + httpUrl.substring(colon);
    }

    private static int positive(String key, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(key + " must be 1 or more: " + value);
        }
        return value;
    }
}
