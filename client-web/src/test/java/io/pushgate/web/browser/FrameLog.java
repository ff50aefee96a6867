package io.pushgate.web.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Page;
import io.pushgate.testsupport.Http;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What a page's WebSockets carried, as Chromium saw it (not as the page counts it): the frames of
 * the latest gateway connection ({@code /v1/ws}) and the latest redis-bridge one
 * ({@code /v1/redis/}), for checking the page's counters against the wire.
 */
final class FrameLog {

    /** One connection's frames, in order. */
    static final class Socket {
        final String url;
        final List<String> received = new CopyOnWriteArrayList<>();
        final List<String> sent = new CopyOnWriteArrayList<>();
        volatile boolean closed;

        Socket(String url) {
            this.url = url;
        }

        /** The messages received of these types (a frame may hold several, one per line). */
        List<String> messages(List<String> types) {
            return received.stream().flatMap(f -> f.lines()).filter(m -> types.contains(type(m))).toList();
        }
    }

    /** Price updates: what the page should count on each path. */
    record Updates(long count, long bytes) {
    }

    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Page page;

    private FrameLog(Page page) {
        this.page = page;
    }

    /**
     * Lets Playwright deliver the events it holds: it does so only while the test's thread is in
     * one of its calls, so a wait on this log alone would never see a new frame.
     */
    FrameLog pump() {
        page.evaluate("() => 0");
        return this;
    }

    /** Starts recording; call before the page opens its connections. */
    static FrameLog of(Page page) {
        FrameLog log = new FrameLog(page);
        page.onWebSocket(ws -> {
            Socket socket = new Socket(ws.url());
            log.sockets.add(socket);
            ws.onFrameReceived(f -> socket.received.add(f.text()));
            ws.onFrameSent(f -> socket.sent.add(f.text()));
            ws.onClose(w -> socket.closed = true);
        });
        return log;
    }

    /**
     * The page's connections to the gateway opened so far, oldest first: not the dashboard's
     * currency panel, which has its own connection, marked by the session property
     * {@code panel=currencies} in its URL ({@link #currencyPanel()}).
     */
    List<Socket> gatewaySockets() {
        return sockets.stream().filter(s -> s.url.contains("/v1/ws") && !isCurrencyPanel(s)).toList();
    }

    /** The latest connection of the dashboard's currency panel, or null. */
    Socket currencyPanel() {
        List<Socket> all = sockets.stream().filter(s -> s.url.contains("/v1/ws") && isCurrencyPanel(s)).toList();
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    /** Value, delta and event messages of the currency panel's latest connection. */
    Updates currencyUpdates() {
        Socket socket = currencyPanel();
        if (socket == null) {
            return new Updates(0, 0);
        }
        List<String> updates = socket.messages(List.of("value", "delta", "event"));
        return new Updates(updates.size(), updates.stream().mapToLong(FrameLog::utf8).sum());
    }

    private static boolean isCurrencyPanel(Socket socket) {
        return java.net.URLDecoder.decode(socket.url, StandardCharsets.UTF_8).contains("\"panel\":\"currencies\"");
    }

    Socket gateway() {
        List<Socket> all = gatewaySockets();
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    Socket raw() {
        List<Socket> all = sockets.stream().filter(s -> s.url.contains("/v1/redis/")).toList();
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    /** Price updates of the latest gateway connection: its value, delta and event messages. */
    Updates gatewayUpdates() {
        Socket socket = gateway();
        if (socket == null) {
            return new Updates(0, 0);
        }
        List<String> updates = socket.messages(List.of("value", "delta", "event"));
        return new Updates(updates.size(), updates.stream().mapToLong(FrameLog::utf8).sum());
    }

    /** Price updates of the latest raw connection: every frame that is a BPI document. */
    Updates rawUpdates() {
        Socket socket = raw();
        if (socket == null) {
            return new Updates(0, 0);
        }
        List<String> updates = socket.received.stream().filter(f -> f.contains("\"rate_float\"")).toList();
        return new Updates(updates.size(), updates.stream().mapToLong(FrameLog::utf8).sum());
    }

    static long utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    static JsonNode json(String message) {
        try {
            return Http.JSON.readTree(message);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + message, e);
        }
    }

    private static String type(String message) {
        try {
            return Http.JSON.readTree(message).path("type").asText();
        } catch (IOException e) {
            return "";
        }
    }
}
