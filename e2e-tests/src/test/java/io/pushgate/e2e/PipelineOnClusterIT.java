package io.pushgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.e2e.support.FrameRecorder;
import io.pushgate.e2e.support.RecordedCoindeskApi;
import io.pushgate.e2e.support.Services;
import io.pushgate.protocol.Json;
import io.pushgate.testsupport.Http;
import io.pushgate.testsupport.JsonWebSocket;
import io.pushgate.testsupport.RedisCluster;
import io.pushgate.testsupport.RedisServer;
import io.pushgate.testsupport.ServiceProcess;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole system on a real six-node Redis Cluster (issue 16), every service pointed at it with
 * Quarkus' standard settings and nothing else changed: prices go from the data-feeder through the
 * redis-bridge's stream and the backend-app to the gateway's topic and view, and to the bridge's
 * raw clients; chat is moderated; then a master dies and the pipeline goes on.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineOnClusterIT {

    private static final String ADMIN_PASSWORD = "e2e-admin-password";
    private static final String BACKEND_SECRET = "e2e-backend-secret";

    private static RedisCluster cluster;
    private static RecordedCoindeskApi api;
    private static ServiceProcess auth;
    private static ServiceProcess gateway;
    private static ServiceProcess bridge;
    private static ServiceProcess backend;
    private static ServiceProcess feeder;
    private static Services services;
    private static String authUrl;
    private static FrameRecorder view;
    private static FrameRecorder raw;

    @BeforeAll
    static void startPipeline() throws Exception {
        cluster = new RedisCluster().start();
        services = new Services(cluster.quarkusConfig());
        api = new RecordedCoindeskApi("coindesk-recorded.jsonl");
        int authPort = RedisServer.freePort();
        authUrl = "http://127.0.0.1:" + authPort;
        auth = service("auth-service", authPort, Map.of(
                "auth.issuer", authUrl,
                "auth.admin-password", ADMIN_PASSWORD,
                "auth.demo-principals", "true",
                "auth.clients.backend-app.secret", BACKEND_SECRET,
                "auth.clients.backend-app.roles", "TOPIC_CONTROL,MODERATOR"));
        bridge = service("redis-bridge", RedisServer.freePort(), Map.of(
                "bridge.forward.streams", "prices.btc.stream",
                "bridge.forward.group-start-id", "0",
                "bridge.security.issuers", authUrl));
        startAll(auth, bridge);
        gateway = service("topic-gateway", RedisServer.freePort(), Map.of("gateway.security.issuers", authUrl));
        startAll(gateway);

        Services.configurePipelineGateway(gateway, Http.passwordToken(authUrl, "admin", ADMIN_PASSWORD));

        backend = service("backend-app", RedisServer.freePort(), Map.of(
                "backend.gateway-url", gateway.httpUrl(),
                "backend.auth-url", authUrl,
                "backend.client-secret", BACKEND_SECRET,
                "backend.moderation.words", "darn,heck",
                "backend.retry.max-delay", "1s"));
        feeder = service("data-feeder", RedisServer.freePort(), Map.of(
                "feeder.source", "coindesk",
                "feeder.url", api.url(),
                "feeder.period", "250ms",
                "feeder.autostart", "false",
                "feeder.security.issuers", authUrl));
        startAll(backend, feeder);

        view = FrameRecorder.connect(gateway.wsUrl() + "/v1/ws?delta=none");
        view.send("{\"op\":\"subscribe\",\"id\":\"s\",\"selector\":\">views/btc/usd\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> !view.frames(f -> f.json() != null && "ok".equals(f.json().path("type").asText())).isEmpty());
        raw = FrameRecorder.connect(bridge.wsUrl() + "/v1/redis/prices.btc");
    }

    private static ServiceProcess service(String module, int port, Map<String, String> properties) {
        return services.add(module, port, properties);
    }

    private static void startAll(ServiceProcess... processes) {
        Services.startAll(processes);
    }

    @AfterAll
    static void stopPipeline() throws IOException {
        for (AutoCloseable c : new AutoCloseable[] {view, raw}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // closing anyway
            }
        }
        if (services != null) {
            services.stopKeepingLogs(Path.of("target", "e2e-logs", "cluster"));
        }
        if (api != null) {
            api.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static List<BigDecimal> viewPrices() {
        List<BigDecimal> out = new ArrayList<>();
        view.frames(f -> f.json() != null && "value".equals(f.json().path("type").asText()))
                .forEach(f -> out.add(f.json().path("value").decimalValue()));
        return out;
    }

    private static List<BigDecimal> rawPrices() {
        return raw.frames().stream().map(f -> RecordedCoindeskApi.usd(Json.parse(f.text()))).toList();
    }

    @Test
    @Order(1)
    void pricesReachTheGatewaysViewAndTheBridgesRawClientsThroughTheCluster() {
        api.serveUpTo(20);
        Http.post(feeder.httpUrl() + "/v1/feed/start", Http.passwordToken(authUrl, "carol", "carol-password"), "application/json", "")
                .expectSuccess();
        await().atMost(Duration.ofSeconds(60)).until(() -> api.served() == 20 && rawPrices().size() == 20 && viewPrices().size() >= 20);
        List<BigDecimal> served = api.servedUsd();
        assertThat(rawPrices()).usingElementComparator(BigDecimal::compareTo).containsExactlyElementsOf(served);
        assertThat(viewPrices()).usingElementComparator(BigDecimal::compareTo).containsExactlyElementsOf(served);
        // the gateway's topics (prices, views, chat, the backend's) are spread over every master
        assertThat(cluster.keysPerMaster()).allSatisfy(n -> assertThat(n).isPositive());
    }

    @Test
    @Order(2)
    void aChatMessageWithAFlaggedWordIsBleepedOnTheCluster() {
        String alice = Http.passwordToken(authUrl, "alice", "alice-password");
        try (JsonWebSocket author = JsonWebSocket.connect(gateway.wsUrl() + "/v1/ws", Map.of("Authorization", "Bearer " + alice));
             JsonWebSocket reader = JsonWebSocket.connect(gateway.wsUrl() + "/v1/ws")) {
            assertThat(reader.call(Map.of("op", "subscribe", "selector", ">chat/lobby")).path("type").asText()).isEqualTo("ok");
            JsonNode posted = author.call(Map.of("op", "append", "topic", "chat/lobby", "value", Map.of("text", "What a darn day!", "user", "alice")));
            assertThat(posted.path("type").asText()).as("append: %s", posted).isEqualTo("ok");
            long seq = posted.path("seq").asLong();
            JsonNode edit = reader.await(m -> "event".equals(m.path("type").asText()) && m.path("event").path("editOf").asLong() == seq,
                    Duration.ofSeconds(20));
            assertThat(edit.path("event").path("value").path("text").asText()).isEqualTo("What a **** day!");
            assertThat(edit.path("event").path("author").asText()).isEqualTo("backend-app");
        }
    }

    @Test
    @Order(3)
    void whenAMasterDiesThePricesGoOnAfterItsReplicaTakesOver() {
        RedisCluster.Node victim = cluster.masters().get(0);
        RedisCluster.Node replica = cluster.replicaOf(victim);
        int before = viewPrices().size();
        api.serveUpTo(api.size());
        cluster.kill(victim);
        Duration promotion = cluster.awaitPromoted(replica, Duration.ofSeconds(60));
        // every service recovers by itself; prices keep reaching the view
        await().atMost(Duration.ofSeconds(60)).until(() -> viewPrices().size() >= before + 10);
        for (ServiceProcess p : services.all()) {
            await(p + " ready again").atMost(Duration.ofSeconds(30)).until(p::isReady);
        }
        System.out.println("PipelineOnClusterIT: replica promoted " + promotion.toMillis() + " ms after the kill; view prices before "
                + before + ", after " + viewPrices().size());
    }
}
