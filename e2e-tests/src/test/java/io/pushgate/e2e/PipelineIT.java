package io.pushgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.client.PushgateClient;
import io.pushgate.e2e.support.FrameRecorder;
import io.pushgate.e2e.support.RecordedCoindeskApi;
import io.pushgate.e2e.support.Services;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.delta.DeltaFormat;
import io.pushgate.protocol.delta.FossilDelta;
import io.pushgate.testsupport.Http;
import io.pushgate.testsupport.JsonWebSocket;
import io.pushgate.testsupport.RedisServer;
import io.pushgate.testsupport.ServiceProcess;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole pipeline, each service a process of its own from its packaged jar, all on 127.0.0.1:
 * Redis, the auth-service, the gateway, the redis-bridge, backend-app and the data-feeder, the
 * feeder polling a local CoinDesk API that serves recorded documents. The tests run in order on
 * one pipeline: prices reach every kind of subscriber, a chat message is moderated, and a gateway
 * killed mid-stream leaves the history whole.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineIT {

    private static final String ADMIN_PASSWORD = "e2e-admin-password";
    private static final String BACKEND_SECRET = "e2e-backend-secret";
    /** Documents in the first phase (measured for the bandwidth figure), and in all. */
    private static final int PHASE_ONE = 30;
    private static final int ALL = 60;

    private static RedisServer redis;
    private static RecordedCoindeskApi api;
    private static ServiceProcess auth;
    private static ServiceProcess gateway;
    private static ServiceProcess bridge;
    private static ServiceProcess backend;
    private static ServiceProcess feeder;
    private static Services services;
    private static String adminToken;
    private static String authUrl;

    private static PushgateClient priceClient;
    private static final List<BigDecimal> gatewayPrices = Collections.synchronizedList(new ArrayList<>());
    private static FrameRecorder fossil;
    private static FrameRecorder jsonPatch;
    private static FrameRecorder view;
    private static FrameRecorder raw;

    @BeforeAll
    static void startPipeline() throws Exception {
        redis = new RedisServer().start();
        api = new RecordedCoindeskApi("coindesk-recorded.jsonl");
        String redisUri = redis.uri();
        services = new Services(Map.of("quarkus.redis.hosts", redisUri));
        int authPort = RedisServer.freePort();
        authUrl = "http://127.0.0.1:" + authPort;

        auth = service("auth-service", authPort, Map.of(
                "auth.issuer", authUrl,
                "auth.admin-password", ADMIN_PASSWORD,
                "auth.demo-principals", "true",
                "auth.clients.backend-app.secret", BACKEND_SECRET,
                // TOPIC_CONTROL for the prices; MODERATOR (defined at the gateway below) to edit chat
                // events and change principals' permissions
                "auth.clients.backend-app.roles", "TOPIC_CONTROL,MODERATOR"));
        bridge = service("redis-bridge", RedisServer.freePort(), Map.of(
                "bridge.forward.streams", "prices.btc.stream",
                "bridge.forward.group-start-id", "0",
                "bridge.security.issuers", authUrl));
        startAll(auth, bridge);
        // after the auth-service, whose keys it reads to trust its tokens
        gateway = service("topic-gateway", RedisServer.freePort(), Map.of(
                "gateway.security.issuers", authUrl));
        startAll(gateway);

        adminToken = Http.passwordToken(authUrl, "admin", ADMIN_PASSWORD);
        configureGateway();

        backend = service("backend-app", RedisServer.freePort(), Map.of(
                "backend.gateway-url", gateway.httpUrl(),
                "backend.auth-url", authUrl,
                "backend.client-secret", BACKEND_SECRET,
                "backend.moderation.words", "darn,heck",
                // a revocation also unsubscribes the author's live sessions from the room (session control)
                "backend.moderation.on-revoke", "unsubscribe",
                "backend.retry.max-delay", "1s"));
        feeder = service("data-feeder", RedisServer.freePort(), Map.of(
                "feeder.source", "coindesk",
                "feeder.url", api.url(),
                "feeder.period", "250ms",
                "feeder.autostart", "false",
                // start and stop need a TOPIC_CONTROL token of the auth-service (carol's)
                "feeder.security.issuers", authUrl));
        startAll(backend, feeder);

        connectSubscribers();
    }

    private static ServiceProcess service(String module, int port, Map<String, String> properties) {
        return services.add(module, port, properties);
    }

    private static void startAll(ServiceProcess... processes) {
        Services.startAll(processes);
    }

    private static void configureGateway() {
        Services.configurePipelineGateway(gateway, adminToken);
    }

    /** Anonymous subscribers (the anonymous role is CLIENT): they only read. */
    private static void connectSubscribers() {
        priceClient = PushgateClient.builder(URI.create(gateway.wsUrl() + "/v1/ws")).deltaFormat(DeltaFormat.FOSSIL)
                .reconnect(Duration.ofMillis(100), Duration.ofSeconds(1)).connect();
        priceClient.subscribe(">prices/btc", (topic, seq, value) -> gatewayPrices.add(RecordedCoindeskApi.usd(value))).join();

        fossil = subscriber("fossil", ">prices/btc");
        jsonPatch = subscriber("json-patch", ">prices/btc");
        view = subscriber("fossil", ">views/btc/usd");
        raw = FrameRecorder.connect(bridge.wsUrl() + "/v1/redis/prices.btc");
    }

    private static FrameRecorder subscriber(String delta, String selector) {
        FrameRecorder r = FrameRecorder.connect(gateway.wsUrl() + "/v1/ws?delta=" + delta);
        r.send("{\"op\":\"subscribe\",\"id\":\"s\",\"selector\":\"" + selector + "\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> !r.frames(f -> f.json() != null && "ok".equals(f.json().path("type").asText())).isEmpty());
        return r;
    }

    @AfterAll
    static void stopPipeline() throws IOException {
        for (AutoCloseable c : new AutoCloseable[] {priceClient, fossil, jsonPatch, view, raw}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // closing anyway
            }
        }
        if (services != null) {
            services.stopKeepingLogs(Path.of("target", "e2e-logs"));
        }
        if (api != null) {
            api.close();
        }
        if (redis != null) {
            redis.stop();
        }
    }

    private static List<BigDecimal> usdOfRawFrames() {
        return raw.frames().stream().map(f -> RecordedCoindeskApi.usd(Json.parse(f.text()))).toList();
    }

    private static List<BigDecimal> history() {
        Http.Answer a = Http.get(gateway.httpUrl() + "/v1/timeseries/prices/btc/history?fromLast=10000", null);
        if (a.status() != 200) {
            return List.of();
        }
        List<BigDecimal> values = new ArrayList<>();
        a.json().path("events").forEach(e -> values.add(e.path("value").decimalValue()));
        return values;
    }

    /**
     * The whole values a {@code delta=fossil} subscriber of one topic holds after each update: a
     * {@code value} carries the value (or, for JSON and STRING topics, its exact {@code text}); a
     * {@code delta} applies to the text held.
     */
    private static List<JsonNode> fossilValues(FrameRecorder r) {
        List<JsonNode> values = new ArrayList<>();
        String text = null;
        for (FrameRecorder.Frame f : updates(r)) {
            JsonNode m = f.json();
            if ("value".equals(m.path("type").asText())) {
                text = m.has("text") ? m.get("text").asText() : Json.write(m.get("value"));
            } else {
                text = FossilDelta.applyText(text, m.path("delta").asText());
            }
            values.add(Json.parse(text));
        }
        return values;
    }

    private static List<FrameRecorder.Frame> updates(FrameRecorder r) {
        return r.frames(f -> f.json() != null && ("value".equals(f.json().path("type").asText()) || "delta".equals(f.json().path("type").asText())));
    }

    @Test
    @Order(1)
    void pricesReachGatewaySubscribersWithDeltasAndTheRawBridgeClientTheSame() throws IOException {
        api.serveUpTo(PHASE_ONE);
        // only a token with TOPIC_CONTROL (or ADMINISTRATOR) of the auth-service starts the feed
        Http.post(feeder.httpUrl() + "/v1/feed/start", null, "application/json", "").expect(401);
        Http.post(feeder.httpUrl() + "/v1/feed/start", Http.passwordToken(authUrl, "alice", "alice-password"), "application/json", "")
                .expect(403);
        assertThat(api.served()).isZero();
        Http.post(feeder.httpUrl() + "/v1/feed/start", Http.passwordToken(authUrl, "carol", "carol-password"), "application/json", "")
                .expectSuccess();

        await().atMost(Duration.ofSeconds(40)).until(() -> api.served() == PHASE_ONE && raw.frames().size() == PHASE_ONE
                && gatewayPrices.size() >= PHASE_ONE && updates(view).size() >= PHASE_ONE && updates(jsonPatch).size() >= PHASE_ONE
                && updates(fossil).size() >= PHASE_ONE);
        List<BigDecimal> served = api.servedUsd();

        // the raw client gets every document the feeder published, as it was published
        assertThat(usdOfRawFrames()).usingElementComparator(BigDecimal::compareTo).containsExactlyElementsOf(served);
        assertThat(Json.parse(raw.frames().get(0).text()).path("source").asText()).isEqualTo("coindesk");
        // the gateway subscriber the same prices, as whole values rebuilt from Fossil deltas
        assertThat(gatewayPrices).usingElementComparator(BigDecimal::compareTo).containsExactlyElementsOf(served);
        assertThat(priceClient.stats().deltasApplied()).isGreaterThan(PHASE_ONE / 2);
        assertThat(priceClient.stats().resyncs()).isZero();
        assertThat(updates(fossil)).filteredOn(f -> "delta".equals(f.json().path("type").asText())).hasSizeGreaterThan(PHASE_ONE / 2);
        // with the change since the previous price
        JsonNode last = priceClient.fetch(">prices/btc").join().get(0).value();
        assertThat(last.path("change").path("previous").decimalValue()).isEqualByComparingTo(served.get(PHASE_ONE - 2));
        assertThat(last.path("change").path("absolute").decimalValue())
                .isEqualByComparingTo(served.get(PHASE_ONE - 1).subtract(served.get(PHASE_ONE - 2)));
        // so does the view of the USD price, and the raw Fossil frames decoded here
        assertThat(fossilValues(view)).extracting(JsonNode::decimalValue)
                .usingElementComparator(BigDecimal::compareTo).containsExactlyElementsOf(served);
        assertThat(fossilValues(fossil)).extracting(RecordedCoindeskApi::usd)
                .usingElementComparator(BigDecimal::compareTo).containsExactlyElementsOf(served);

        writeBandwidthFigure();
    }

    private static void writeBandwidthFigure() throws IOException {
        StringBuilder out = new StringBuilder();
        out.append("Bytes received per price update, ").append(PHASE_ONE)
                .append(" updates of recorded CoinDesk-shaped documents (e2e-tests PipelineIT; UTF-8 bytes of WebSocket text frames)\n\n");
        out.append(String.format(Locale.ROOT, "%-68s %7s %13s %14s%n", "client", "updates", "bytes/update", "values/deltas"));
        row(out, "raw redis-bridge client, ws /v1/redis/prices.btc (whole document)", raw.frames());
        row(out, "gateway subscriber to prices/btc, delta=fossil", updates(fossil));
        row(out, "gateway subscriber to prices/btc, delta=json-patch", updates(jsonPatch));
        row(out, "gateway subscriber to views/btc/usd (view of the USD rate)", updates(view));
        JsonNode viewInfo = Http.get(gateway.httpUrl() + "/v1/views/usd", null).json();
        out.append("\nprices/btc carries the normalised document, its change and its pipeline checkpoint.\n");
        out.append("The view 'usd' (").append(viewInfo.path("text").asText()).append(") made the reference topics ")
                .append(viewInfo.path("referenceTopics")).append('\n');
        Path file = Path.of("target", "pipeline-bandwidth.txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, out.toString());
        System.out.println(out);
    }

    private static void row(StringBuilder out, String name, List<FrameRecorder.Frame> frames) {
        double mean = frames.stream().mapToInt(FrameRecorder.Frame::bytes).average().orElse(0);
        long deltas = frames.stream().filter(f -> f.json() != null && "delta".equals(f.json().path("type").asText())).count();
        out.append(String.format(Locale.ROOT, "%-68s %7d %13.1f %14s%n", name, frames.size(), mean,
                (frames.size() - deltas) + "/" + deltas));
    }

    @Test
    @Order(2)
    void aChatMessageWithAFlaggedWordIsBleepedForEveryReader() {
        String authUrl = auth.httpUrl();
        String alice = Http.passwordToken(authUrl, "alice", "alice-password");
        String bob = Http.passwordToken(authUrl, "bob", "bob-password");
        try (JsonWebSocket author = JsonWebSocket.connect(gateway.wsUrl() + "/v1/ws", Map.of("Authorization", "Bearer " + alice));
             JsonWebSocket bobReads = JsonWebSocket.connect(gateway.wsUrl() + "/v1/ws", Map.of("Authorization", "Bearer " + bob));
             JsonWebSocket anonymousReads = JsonWebSocket.connect(gateway.wsUrl() + "/v1/ws")) {
            for (JsonWebSocket reader : List.of(bobReads, anonymousReads)) {
                assertThat(reader.call(Map.of("op", "subscribe", "selector", ">chat/lobby")).path("type").asText()).isEqualTo("ok");
            }
            JsonNode posted = author.call(Map.of("op", "append", "topic", "chat/lobby",
                    "value", Map.of("text", "What a darn day!", "user", "alice")));
            assertThat(posted.path("type").asText()).as("append: %s", posted).isEqualTo("ok");
            long seq = posted.path("seq").asLong();

            for (JsonWebSocket reader : List.of(bobReads, anonymousReads)) {
                JsonNode edit = reader.await(m -> "event".equals(m.path("type").asText()) && m.path("event").path("editOf").asLong() == seq,
                        Duration.ofSeconds(15));
                assertThat(edit.path("event").path("value").path("text").asText()).isEqualTo("What a **** day!");
                assertThat(edit.path("event").path("value").path("user").asText()).isEqualTo("alice");
                assertThat(edit.path("event").path("author").asText()).isEqualTo("backend-app");
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> logActions("alice").contains("bleep:" + seq));
            assertThat(logActions("alice")).contains("strike:" + seq);
        }
    }

    /** The moderation log's actions about a principal, as {@code action:seq}. */
    private static List<String> logActions(String principal) {
        Http.Answer a = Http.get(gateway.httpUrl() + "/v1/timeseries/moderation/log?fromLast=1000", null);
        if (a.status() != 200) {
            return List.of();
        }
        List<String> actions = new ArrayList<>();
        a.json().path("events").forEach(e -> {
            if (principal.equals(e.path("value").path("principal").asText())) {
                actions.add(e.path("value").path("action").asText() + ":" + e.path("value").path("seq").asLong());
            }
        });
        return actions;
    }

    @Test
    @Order(3)
    void afterThreeStrikesTheAuthorMayNoLongerPostInTheRoom() {
        String alice = Http.passwordToken(auth.httpUrl(), "alice", "alice-password");
        String bob = Http.passwordToken(auth.httpUrl(), "bob", "bob-password");
        try (JsonWebSocket author = JsonWebSocket.connect(gateway.wsUrl() + "/v1/ws", Map.of("Authorization", "Bearer " + alice));
             JsonWebSocket other = JsonWebSocket.connect(gateway.wsUrl() + "/v1/ws", Map.of("Authorization", "Bearer " + bob))) {
            assertThat(author.call(Map.of("op", "subscribe", "selector", ">chat/lobby")).path("type").asText()).isEqualTo("ok");
            author.awaitType("subscription");
            // the first strike was in the test before
            for (String text : List.of("heck, again", "darn it all")) {
                assertThat(author.call(Map.of("op", "append", "topic", "chat/lobby", "value", Map.of("text", text, "user", "alice")))
                        .path("type").asText()).isEqualTo("ok");
            }
            await().atMost(Duration.ofSeconds(15)).until(() -> logActions("alice").stream().anyMatch(a -> a.startsWith("revoke:")));
            // backend.moderation.on-revoke=unsubscribe: her live session no longer follows the room
            JsonNode unsubscribed = author.await(m -> m.path("type").asText().equals("unsubscribed")
                    && m.path("topic").asText().equals("chat/lobby"), Duration.ofSeconds(15));
            assertThat(unsubscribed.path("reason").asText()).isEqualTo("REQUESTED");

            JsonNode refused = author.call(Map.of("op", "append", "topic", "chat/lobby", "value", Map.of("text", "hello?", "user", "alice")));
            assertThat(refused.path("type").asText()).as("append after revocation: %s", refused).isEqualTo("error");
            assertThat(refused.path("code").asText()).isEqualTo("PERMISSION_DENIED");
            assertThat(other.call(Map.of("op", "append", "topic", "chat/lobby", "value", Map.of("text", "hi all", "user", "bob")))
                    .path("type").asText()).isEqualTo("ok");
            JsonNode overrides = Http.get(gateway.httpUrl() + "/v1/security/principals/alice", adminToken).expect(200).json();
            assertThat(overrides.path("pathPermissions").path("chat/lobby").toString()).isEqualTo("[\"SELECT_TOPIC\",\"READ_TOPIC\"]");
        }
    }

    @Test
    @Order(4)
    void theHistoryHasEveryPriceOnceAfterTheGatewayIsKilledMidStream() {
        api.serveUpTo(ALL);
        await().atMost(Duration.ofSeconds(30)).until(() -> history().size() >= PHASE_ONE + 5);
        gateway.kill();
        // the feeder goes on publishing, the bridge forwarding, backend-app buffering and retrying
        await().atMost(Duration.ofSeconds(30)).until(() -> api.served() >= PHASE_ONE + 15);
        gateway.start();

        await().atMost(Duration.ofSeconds(60)).until(() -> api.served() == ALL && history().size() >= ALL);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10)).until(() -> history().size() == ALL);
        assertThat(history()).usingElementComparator(BigDecimal::compareTo).containsExactlyElementsOf(api.servedUsd());
        String metrics = Http.getText(backend.httpUrl() + "/q/metrics").body();
        metrics.lines().filter(l -> l.startsWith("backend_gateway_retries_total") || l.startsWith("backend_prices_total"))
                .forEach(l -> System.out.println("backend-app after the gateway kill: " + l));
    }

    /**
     * The bridge's passthrough with tokens of the real auth-service: anyone reads, but only a
     * TOPIC_CONTROL token (carol's, given as {@code access_token} as a browser would) publishes; an
     * anonymous client's fake price is not published, and it is told so on its own connection.
     */
    @Test
    @Order(5)
    void onlyATopicControlTokenPublishesThroughTheBridge() {
        String channel = "e2e.bridge.auth";
        String carolToken = Http.passwordToken(authUrl, "carol", "carol-password");
        try (FrameRecorder reader = FrameRecorder.connect(bridge.wsUrl() + "/v1/redis/" + channel);
             FrameRecorder anonymous = FrameRecorder.connect(bridge.wsUrl() + "/v1/redis/" + channel);
             FrameRecorder carol = FrameRecorder.connect(bridge.wsUrl() + "/v1/redis/" + channel + "?access_token=" + carolToken)) {
            // until the reader's subscription is confirmed, a message can pass it by: carol sends until one arrives
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                carol.send("{\"price\":1}");
                return !reader.frames().isEmpty();
            });

            anonymous.send("{\"price\":666}");
            await().atMost(Duration.ofSeconds(10)).until(() -> !anonymous.frames(f -> f.json() != null && "error".equals(f.json().path("type").asText())).isEmpty());
            JsonNode error = anonymous.frames(f -> f.json() != null && "error".equals(f.json().path("type").asText())).get(0).json();
            assertThat(error.path("code").asText()).isEqualTo("UNAUTHENTICATED");
            assertThat(error.path("message").asText()).contains("needs a bearer token with one of the roles TOPIC_CONTROL, ADMINISTRATOR");

            carol.send("{\"price\":2}");
            await().atMost(Duration.ofSeconds(10)).until(() -> reader.frames().stream().anyMatch(f -> f.text().equals("{\"price\":2}")));
            // the anonymous message was never published: nobody got it, before carol's last message or after
            assertThat(reader.frames()).extracting(FrameRecorder.Frame::text).doesNotContain("{\"price\":666}");
            assertThat(anonymous.frames()).extracting(FrameRecorder.Frame::text).doesNotContain("{\"price\":666}")
                    .contains("{\"price\":2}");
        }
    }
}
