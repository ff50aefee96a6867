package io.pushgate.web.browser;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.testsupport.Http;
import io.pushgate.testsupport.JsonWebSocket;
import io.pushgate.testsupport.RedisServer;
import io.pushgate.testsupport.ServiceProcess;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Everything the pages talk to, as real processes from the packaged jars: a redis-server, the
 * auth-service, the gateway and a second gateway replica on the same Redis (for the restart
 * test), the redis-bridge, the data-feeder (replay source, not started), backend-app (the chat
 * moderator, on the replica: its writes reach the pages' gateway through Redis, as with any two
 * replicas) and client-web itself. Started once for all the browser tests (see
 * {@link BrowserExtension}) and configured as an operator would: the roles CLIENT, ANONYMOUS and
 * MODERATOR at the gateway, and the chat rooms, one of them pre-moderated. On demand
 * ({@link #shortSessions()}), a second auth-service whose tokens last seconds, not an hour, with
 * a client-web of its own, for the tests of renewal.
 */
public final class PushgateSystem implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PushgateSystem.class);

    /** The pre-moderated room: people post to its inbox, and only the moderator writes the room. */
    static final String HELD_ROOM = "chat/held";
    static final String HELD_INBOX = "inbox/" + HELD_ROOM;

    /**
     * The CLIENT role of the chat: read everything, post and edit one's own messages under chat/;
     * in the pre-moderated room only read, and post to inboxes without reading them; nothing under
     * moderation/ (the log, other people's status: a principal's own status is granted by the
     * moderator's revocation).
     */
    static final Map<String, Object> CLIENT_ROLE = Map.of(
            "defaultPathPermissions", List.of("SELECT_TOPIC", "READ_TOPIC"),
            "pathPermissions", Map.of(
                    "chat", List.of("SELECT_TOPIC", "READ_TOPIC", "UPDATE_TOPIC", "EDIT_OWN_TIME_SERIES_EVENTS"),
                    HELD_ROOM, List.of("SELECT_TOPIC", "READ_TOPIC"),
                    "inbox", List.of("SELECT_TOPIC", "UPDATE_TOPIC", "EDIT_OWN_TIME_SERIES_EVENTS"),
                    "moderation", List.of()));
    /** The role of sessions without a token: read only, and neither the inboxes nor moderation/. */
    static final Map<String, Object> ANONYMOUS_ROLE = Map.of("defaultPathPermissions", List.of("SELECT_TOPIC", "READ_TOPIC"),
            "pathPermissions", Map.of("inbox", List.of("SELECT_TOPIC"), "moderation", List.of()));
    /** backend-app's role (with TOPIC_CONTROL): edit anybody's messages, read every version, read inboxes, change overrides. */
    static final Map<String, Object> MODERATOR_ROLE = Map.of(
            "pathPermissions", Map.of(
                    "chat", List.of("SELECT_TOPIC", "READ_TOPIC", "UPDATE_TOPIC", "MODIFY_TOPIC", "EDIT_TIME_SERIES_EVENTS",
                            "QUERY_OBSOLETE_TIME_SERIES_EVENTS"),
                    "inbox", List.of("SELECT_TOPIC", "READ_TOPIC", "QUERY_OBSOLETE_TIME_SERIES_EVENTS")),
            "globalPermissions", List.of("VIEW_SECURITY", "MODIFY_SECURITY", "VIEW_SESSION", "MODIFY_SESSION"));
    private static final String BACKEND_SECRET = "backend-" + UUID.randomUUID();

    /** The lifetime of a token of {@link #shortSessions()}. */
    static final Duration SHORT_TOKEN_LIFETIME = Duration.ofSeconds(30);
    /** How long a sign-in of {@link #shortSessions()} lasts, renewals included. */
    static final Duration SHORT_SESSION_LIFETIME = Duration.ofSeconds(45);

    final String adminPassword = "admin-" + UUID.randomUUID();
    final RedisServer redis;
    final ServiceProcess auth;
    final ServiceProcess gateway;
    final ServiceProcess replica;
    final ServiceProcess bridge;
    final ServiceProcess feeder;
    final ServiceProcess web;
    final ServiceProcess backend;
    private final List<ServiceProcess> services;
    private final ServiceProcess shortAuth;
    private final ServiceProcess shortWeb;
    private boolean shortSessionsStarted;
    private String adminToken;
    /** The latency test's sender: bleeped like anyone, never struck (backend.moderation.exempt), so it can send flagged words at length. */
    static final String LATENCY_PROBE = "latency-probe";
    /** Flagged messages the moderator view shows (web.moderation.flagged): small, so that a test reaches it. */
    static final int FLAGGED_SHOWN = 6;

    private PushgateSystem() {
        redis = new RedisServer();
        int authPort = RedisServer.freePort();
        int webPort = RedisServer.freePort();
        int shortWebPort = RedisServer.freePort();
        String issuer = "http://127.0.0.1:" + authPort;
        String redisUri = "redis://127.0.0.1:" + redis.port();
        // The browser calls the gateway, the auth-service and the feeder from the app's origins.
        Map<String, String> cors = Map.of(
                "quarkus.http.cors.enabled", "true",
                "quarkus.http.cors.origins", "http://127.0.0.1:" + webPort + ",http://127.0.0.1:" + shortWebPort);

        auth = new ServiceProcess("auth-service", ServiceProcess.jarOf("auth-service"), authPort, with(cors,
                "quarkus.redis.hosts", redisUri, "auth.issuer", issuer, "auth.admin-password", adminPassword,
                "auth.demo-principals", "true", "auth.clients.backend-app.secret", BACKEND_SECRET,
                "auth.clients.backend-app.roles", "TOPIC_CONTROL,MODERATOR"));
        Map<String, String> gatewayProperties = with(cors, "quarkus.redis.hosts", redisUri,
                "gateway.security.issuers", issuer, "gateway.security.anonymous-roles", "ANONYMOUS");
        gateway = new ServiceProcess("gateway", ServiceProcess.jarOf("topic-gateway"), RedisServer.freePort(), gatewayProperties);
        replica = new ServiceProcess("gateway-replica", ServiceProcess.jarOf("topic-gateway"), RedisServer.freePort(), gatewayProperties);
        bridge = new ServiceProcess("redis-bridge", ServiceProcess.jarOf("redis-bridge"), RedisServer.freePort(), Map.of(
                "quarkus.redis.hosts", redisUri, "bridge.forward.enabled", "false"));
        feeder = new ServiceProcess("data-feeder", ServiceProcess.jarOf("data-feeder"), RedisServer.freePort(), with(cors,
                "quarkus.redis.hosts", redisUri, "feeder.source", "replay", "feeder.autostart", "false", "feeder.period", "300ms",
                "feeder.security.issuers", issuer));
        web = new ServiceProcess("client-web", ServiceProcess.jarOf("client-web"), webPort, Map.of(
                "web.gateway-url", gateway.httpUrl(), "web.auth-url", auth.httpUrl(), "web.bridge-url", bridge.httpUrl(),
                "web.feeder-url", feeder.httpUrl(), "web.reconnect.initial-ms", "250", "web.reconnect.max-ms", "1500",
                "web.moderation.flagged", String.valueOf(FLAGGED_SHOWN)));
        // the moderator; no price stream here (the dashboard test sets prices itself)
        backend = new ServiceProcess("backend-app", ServiceProcess.jarOf("backend-app"), RedisServer.freePort(), Map.of(
                "quarkus.redis.hosts", redisUri, "backend.gateway-url", replica.httpUrl(), "backend.auth-url", auth.httpUrl(),
                "backend.client-secret", BACKEND_SECRET, "backend.stream.enabled", "false", "backend.moderation.words", "darn,heck",
                "backend.moderation.strikes.count", "3", "backend.moderation.exempt", "anonymous," + LATENCY_PROBE,
                "backend.retry.max-delay", "1s"));
        services = List.of(auth, gateway, replica, bridge, feeder, web, backend);

        // Tokens of 30 s in sessions of 45 s: renewed after 22.5 s, once, then the session ends.
        // Same Redis (principals, signing key) and same issuer, so the gateway trusts its tokens.
        shortAuth = new ServiceProcess("auth-service-short", ServiceProcess.jarOf("auth-service"), RedisServer.freePort(), with(cors,
                "quarkus.redis.hosts", redisUri, "auth.issuer", issuer, "auth.admin-password", adminPassword,
                "auth.token-lifetime", SHORT_TOKEN_LIFETIME.toSeconds() + "s", "auth.session-lifetime", SHORT_SESSION_LIFETIME.toSeconds() + "s"));
        shortWeb = new ServiceProcess("client-web-short", ServiceProcess.jarOf("client-web"), shortWebPort, Map.of(
                "web.gateway-url", gateway.httpUrl(), "web.auth-url", shortAuth.httpUrl(), "web.bridge-url", bridge.httpUrl(),
                "web.feeder-url", feeder.httpUrl(), "web.reconnect.initial-ms", "250", "web.reconnect.max-ms", "1500"));
    }

    /**
     * The URL of a client-web whose sign-ins go to an auth-service with tokens of
     * {@link #SHORT_TOKEN_LIFETIME} and sessions of {@link #SHORT_SESSION_LIFETIME} (started on first use).
     */
    synchronized String shortSessions() {
        if (!shortSessionsStarted) {
            shortSessionsStarted = true;
            CompletableFuture.allOf(CompletableFuture.runAsync(shortAuth::start), CompletableFuture.runAsync(shortWeb::start)).join();
        }
        return shortWeb.httpUrl();
    }

    /** Starts every process (side by side, to keep the suite short) and configures the gateway. */
    static PushgateSystem start() {
        PushgateSystem system = new PushgateSystem();
        long started = System.nanoTime();
        ExecutorService starter = Executors.newFixedThreadPool(system.services.size());
        try {
            system.redis.start();
            CompletableFuture.allOf(system.services.stream().filter(s -> s != system.backend)
                    .map(s -> CompletableFuture.runAsync(s::start, starter))
                    .toArray(CompletableFuture[]::new)).join();
            system.configure();
            // after the roles and rooms, as an operator starts it: it moderates what it finds
            system.backend.start();
        } catch (RuntimeException | AssertionError e) { // AssertionError: a set-up call the gateway refused (Http's expectSuccess)
            system.close();
            throw e;
        } finally {
            starter.shutdownNow();
        }
        System.out.println("the system was ready in " + (System.nanoTime() - started) / 1_000_000 + " ms; web at " + system.web.httpUrl());
        return system;
    }

    /** What an operator does once: the roles of the chat and its rooms. */
    private void configure() {
        adminToken = token("admin", adminPassword);
        Http.sendJson("PUT", gateway.httpUrl() + "/v1/security/roles/CLIENT", adminToken, CLIENT_ROLE).expectSuccess();
        Http.sendJson("PUT", gateway.httpUrl() + "/v1/security/roles/ANONYMOUS", adminToken, ANONYMOUS_ROLE).expectSuccess();
        Http.sendJson("PUT", gateway.httpUrl() + "/v1/security/roles/MODERATOR", adminToken, MODERATOR_ROLE).expectSuccess();
        for (String room : List.of("lobby", "random", "restart")) {
            addRoom("chat/" + room);
        }
        addRoom(HELD_ROOM);
        addTimeSeries(HELD_INBOX, Map.of());
    }

    String webUrl() {
        return web.httpUrl();
    }

    String adminToken() {
        return adminToken;
    }

    String token(String name, String password) {
        return Http.passwordToken(auth.httpUrl(), name, password);
    }

    /** Adds a time series room as the administrator (over the WebSocket: REST cannot give a spec's properties). */
    void addRoom(String path) {
        addTimeSeries(path, Map.of("TIME_SERIES_SUBSCRIPTION_RANGE", "limit 50", "PRESENCE", "true"));
    }

    void addTimeSeries(String path, Map<String, String> properties) {
        try (JsonWebSocket ws = JsonWebSocket.connect(gateway.wsUrl() + "/v1/ws?access_token=" + adminToken)) {
            JsonNode reply = ws.call(Map.of("op", "add", "topic", path,
                    "spec", Map.of("type", "TIME_SERIES", "eventType", "JSON", "properties", properties)));
            if (!"ok".equals(reply.path("type").asText())) {
                throw new IllegalStateException("cannot add " + path + ": " + reply);
            }
        }
    }

    /** Appends a chat message through a gateway's REST API, as the token's principal; returns its seq. */
    static long post(ServiceProcess gateway, String room, String token, String text, String user) {
        return Http.sendJson("POST", gateway.httpUrl() + "/v1/topics/" + room, token, Map.of("text", text, "user", user)).expectSuccess().json().path("seq").asLong();
    }

    /** The texts of a room's last events, read as the administrator. */
    List<String> texts(String room) {
        List<String> texts = new ArrayList<>();
        Http.get(gateway.httpUrl() + "/v1/timeseries/" + room + "?fromLast=200", adminToken).expectSuccess().json().path("events")
                .forEach(e -> texts.add(e.path("value").path("text").asText()));
        return texts;
    }

    /** Edits a chat message through a gateway's REST API, as the token's principal; returns the edit's seq. */
    static long edit(ServiceProcess gateway, String room, long seq, String token, String text, String user) {
        return Http.sendJson("PUT", gateway.httpUrl() + "/v1/timeseries/" + room + "/" + seq, token, Map.of("text", text, "user", user))
                .expectSuccess().json().path("seq").asLong();
    }

    /** A room's events as stored (originals and edits), read as the administrator. */
    JsonNode eventsAsStored(String room) {
        return Http.get(gateway.httpUrl() + "/v1/timeseries/" + room + "?fromLast=1000&view=edits", adminToken).expectSuccess().json().path("events");
    }

    /** The moderation log's entries, oldest first. */
    List<JsonNode> moderationLog() {
        List<JsonNode> entries = new ArrayList<>();
        try {
            Http.get(gateway.httpUrl() + "/v1/timeseries/moderation/log?fromLast=10000", adminToken).expectSuccess().json().path("events")
                    .forEach(e -> entries.add(e.path("value")));
        } catch (AssertionError e) {
            // no log yet: backend-app adds it once it has connected
        }
        return entries;
    }

    /** A principal's overrides at the gateway. */
    JsonNode overrides(String principal) {
        return Http.get(gateway.httpUrl() + "/v1/security/principals/" + principal, adminToken).expectSuccess().json();
    }

    /** Creates a principal at the auth-service, as the administrator. */
    void addPrincipal(String name, String password) {
        Http.sendJson("POST", auth.httpUrl() + "/v1/principals", adminToken, Map.of("name", name, "password", password, "roles", List.of("CLIENT"))).expectSuccess();
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** The last lines of every process's log, for a failure message. */
    String logs() {
        StringBuilder sb = new StringBuilder();
        for (ServiceProcess s : services) {
            sb.append("\n----- ").append(s.log()).append('\n').append(s.tail());
        }
        return sb.toString();
    }

    @Override
    public void close() {
        List<ServiceProcess> all = new ArrayList<>(services);
        all.add(shortAuth);
        all.add(shortWeb);
        for (ServiceProcess s : all) {
            try {
                s.stop();
            } catch (RuntimeException e) {
                LOG.warnf("cannot stop %s: %s", s.log(), e);
            }
        }
        redis.stop();
    }

    private static Map<String, String> with(Map<String, String> base, String... keyValues) {
        Map<String, String> all = new HashMap<>(base);
        for (int i = 0; i < keyValues.length; i += 2) {
            all.put(keyValues[i], keyValues[i + 1]);
        }
        return all;
    }
}
