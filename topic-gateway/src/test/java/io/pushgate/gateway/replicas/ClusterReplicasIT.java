package io.pushgate.gateway.replicas;

import static io.pushgate.testsupport.JsonWebSocket.op;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.testsupport.JsonWebSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two gateway replicas on a real Redis Cluster (issue 16), with the defaults: 16 shards over
 * three masters, sharded pub/sub, no WAIT. The failover drill runs last (it kills a master).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterReplicasIT extends ClusterGateways {

    @BeforeAll
    static void start() {
        startAll(Map.of());
    }

    @AfterAll
    static void stop() {
        stopAll();
    }

    /**
     * Session control on a cluster: the directory's keys (one hash tag) and the replicas' command
     * channels (SPUBLISH, SSUBSCRIBE on the slot's master) work there too.
     */
    @Test
    @Order(0)
    void aSessionOfOneReplicaIsListedAndClosedFromTheOther() {
        String props = "?properties=" + java.net.URLEncoder.encode("{\"cluster\":\"target\"}", java.nio.charset.StandardCharsets.UTF_8);
        try (JsonWebSocket controller = JsonWebSocket.connect(a.wsUrl() + "/v1/ws");
             JsonWebSocket target = JsonWebSocket.connect(b.wsUrl() + "/v1/ws" + props)) {
            String[] id = new String[1];
            await().atMost(Duration.ofSeconds(15)).until(() -> {
                JsonNode sessions = controller.call(op("listSessions", "filter", "cluster is 'target'")).path("sessions");
                id[0] = sessions.size() == 1 ? sessions.get(0).path("sessionId").asText() : null;
                return id[0] != null;
            });
            JsonNode ok = controller.call(op("closeSessions", "sessionId", id[0]));
            assertThat(ok.path("sessions").asInt()).as(ok.toString()).isEqualTo(1);
            assertThat(target.closed().orTimeout(15, java.util.concurrent.TimeUnit.SECONDS).join()[0]).isEqualTo(4101);
        }
    }

    @Test
    @Order(1)
    void topicsSpreadOverEveryMasterAndASubscriberOnOneReplicaSeesEveryChangeOfTheOtherInSeqOrder() {
        List<String> topics = IntStream.range(0, 48).mapToObj(i -> "cluster/spread/" + i).toList();
        List<Long> before = cluster.keysPerMaster();
        try (JsonWebSocket writer = JsonWebSocket.connect(a.wsUrl() + "/v1/ws");
             JsonWebSocket reader = JsonWebSocket.connect(b.wsUrl() + "/v1/ws?delta=none")) {
            for (String t : topics) {
                assertThat(writer.call(op("add", "topic", t, "spec", Map.of("type", "JSON"))).path("type").asText()).isEqualTo("ok");
            }
            reader.call(op("subscribe", "selector", "?cluster/spread/"));
            // pipelined: 20 sets per topic, all in flight together
            int perTopic = 20;
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < perTopic; i++) {
                for (String t : topics) {
                    ids.add(writer.request(op("set", "topic", t, "value", Map.of("i", i))));
                }
            }
            for (String id : ids) {
                JsonNode reply = writer.await(m -> id.equals(m.path("id").asText()), Duration.ofSeconds(30));
                assertThat(reply.path("type").asText()).as("%s", reply).isEqualTo("ok");
            }
            Map<Long, String> topicOfTid = new HashMap<>();
            Map<String, Long> lastSeen = new HashMap<>();
            Map<String, Integer> lastValue = new HashMap<>();
            while (lastSeen.size() < topics.size() || lastSeen.values().stream().anyMatch(s -> s < perTopic)) {
                JsonNode m = reader.await(n -> n.path("type").asText().matches("subscription|value"), Duration.ofSeconds(20));
                if (m.path("type").asText().equals("subscription")) {
                    topicOfTid.put(m.path("tid").asLong(), m.path("topic").asText());
                    continue;
                }
                String topic = topicOfTid.get(m.path("tid").asLong());
                long seq = m.path("seq").asLong();
                Long previous = lastSeen.put(topic, seq);
                if (previous != null) {
                    assertThat(seq).as("seq order of %s on the other replica", topic).isGreaterThan(previous);
                }
                lastValue.put(topic, m.path("value").path("i").asInt());
            }
            assertThat(lastValue).hasSize(topics.size()).allSatisfy((t, v) -> assertThat(v).isEqualTo(perTopic - 1));
        }
        List<Long> after = cluster.keysPerMaster();
        for (int i = 0; i < after.size(); i++) {
            assertThat(after.get(i)).as("keys on master %d (DBSIZE before %s, after %s)", i, before, after).isGreaterThan(before.get(i));
        }
        report("spread", "DBSIZE per master before " + before + ", after 48 topics " + after);
    }

    @Test
    @Order(2)
    void timeSeriesAppendedFromBothReplicasHaveOneOrder() {
        String room = "cluster/chat/room";
        try (JsonWebSocket admin = JsonWebSocket.connect(a.wsUrl() + "/v1/ws");
             JsonWebSocket readerA = JsonWebSocket.connect(a.wsUrl() + "/v1/ws");
             JsonWebSocket readerB = JsonWebSocket.connect(b.wsUrl() + "/v1/ws");
             JsonWebSocket writerA = JsonWebSocket.connect(a.wsUrl() + "/v1/ws");
             JsonWebSocket writerB = JsonWebSocket.connect(b.wsUrl() + "/v1/ws")) {
            admin.call(op("add", "topic", room, "spec", Map.of("type", "TIME_SERIES", "eventType", "JSON")));
            readerA.call(op("subscribe", "selector", room));
            readerB.call(op("subscribe", "selector", room));
            readerA.awaitType("subscription");
            readerB.awaitType("subscription");
            List<CompletableFuture<Void>> writers = new ArrayList<>();
            JsonWebSocket[] sockets = {writerA, writerB};
            for (int w = 0; w < 2; w++) {
                JsonWebSocket socket = sockets[w];
                int writer = w;
                writers.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < 300; i++) {
                        socket.request(op("append", "topic", room, "value", Map.of("writer", writer, "i", i)));
                    }
                    for (int k = 0; k < 300; k++) {
                        JsonNode reply = socket.await(m -> m.has("id"), Duration.ofSeconds(30));
                        assertThat(reply.path("type").asText()).as("%s", reply).isEqualTo("ok");
                    }
                }));
            }
            CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).join();
            List<JsonNode> seenA = events(readerA, 600);
            List<JsonNode> seenB = events(readerB, 600);
            assertThat(seenA).hasSize(600);
            for (int i = 0; i < 600; i++) {
                assertThat(seenA.get(i).path("seq").asLong()).isEqualTo(i + 1L);
            }
            assertThat(seenB).isEqualTo(seenA);
            for (int w = 0; w < 2; w++) {
                int writer = w;
                assertThat(seenA.stream().filter(e -> e.path("value").path("writer").asInt() == writer)
                        .map(e -> e.path("value").path("i").asInt()).toList()).as("writer %d's events in its order", w).hasSize(300).isSorted();
            }
            JsonNode range = readerB.call(op("range", "topic", room, "from", 1));
            assertThat(range.path("events")).hasSize(600);
        }
    }

    @Test
    @Order(3)
    void viewsAndRoleChangesFollowAcrossReplicas() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> view = http.send(HttpRequest.newBuilder(URI.create(a.httpUrl() + "/v1/views/cluster-usd"))
                .PUT(HttpRequest.BodyPublishers.ofString("map ?cluster/prices/ to cluster/views/<path(2)>/usd as <value(/usd)>")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(view.statusCode()).as(view.body()).isEqualTo(201);
        try (JsonWebSocket writer = JsonWebSocket.connect(b.wsUrl() + "/v1/ws");
             JsonWebSocket reader = JsonWebSocket.connect(b.wsUrl() + "/v1/ws")) {
            reader.call(op("subscribe", "selector", "?cluster/views/"));
            for (String coin : List.of("btc", "eth", "sol", "ada", "dot", "xrp")) {
                writer.call(op("set", "topic", "cluster/prices/" + coin, "value", Map.of("usd", 100), "spec", Map.of("type", "JSON")));
            }
            writer.call(op("set", "topic", "cluster/prices/btc", "value", Map.of("usd", 101)));
            JsonNode update = reader.await(m -> "value".equals(m.path("type").asText()) && m.path("value").asInt() == 101, Duration.ofSeconds(20));
            assertThat(update.path("seq").asLong()).isEqualTo(2);
        }
        // a role defined through one replica is in force on the other
        HttpResponse<String> role = http.send(HttpRequest.newBuilder(URI.create(a.httpUrl() + "/v1/security/roles/CLUSTER_READER"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"defaultPathPermissions\":[\"SELECT_TOPIC\",\"READ_TOPIC\"]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(role.statusCode()).as(role.body()).isBetween(200, 201);
        await().atMost(Duration.ofSeconds(10)).until(() -> http.send(HttpRequest.newBuilder(URI.create(b.httpUrl() + "/v1/security/roles/CLUSTER_READER")).build(),
                HttpResponse.BodyHandlers.ofString()).body().contains("READ_TOPIC"));
        HttpResponse<String> removed = http.send(HttpRequest.newBuilder(URI.create(b.httpUrl() + "/v1/security/roles/CLUSTER_READER")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(removed.statusCode()).as(removed.body()).isBetween(200, 204);
        await().atMost(Duration.ofSeconds(10)).until(() -> http.send(HttpRequest.newBuilder(URI.create(a.httpUrl() + "/v1/security/roles/CLUSTER_READER")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 404);
    }

    @Test
    @Order(4)
    void aMasterKilledUnderSteadySetsIsReplacedAndTheLossWindowWithoutWaitIsMeasured() throws Exception {
        report("latency without WAIT", oneAtATime("cluster/latency", 500));
        Failover f = failoverDrill("cluster/steady");
        report("failover without WAIT", f.describe());
        assertThat(f.sawNotReady()).as("the gateways reported not-ready while the master was gone").isTrue();
        assertThat(f.readyAfterPromotion()).isLessThan(Duration.ofSeconds(20));
        assertThat(f.acked()).isGreaterThan(f.ackedBeforeKill());
        // Both replicas agree after the failover: they resynced from the promoted replica.
        try (JsonWebSocket onA = JsonWebSocket.connect(a.wsUrl() + "/v1/ws");
             JsonWebSocket onB = JsonWebSocket.connect(b.wsUrl() + "/v1/ws")) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                String ia = onA.request(op("fetch", "selector", "?cluster/steady/"));
                String ib = onB.request(op("fetch", "selector", "?cluster/steady/"));
                JsonNode fromA = onA.await(m -> ia.equals(m.path("id").asText()), Duration.ofSeconds(30)).path("results");
                JsonNode fromB = onB.await(m -> ib.equals(m.path("id").asText()), Duration.ofSeconds(30)).path("results");
                assertThat(fromA).isEqualTo(fromB);
            });
        }
    }

    /** The next {@code count} time series events (each message's {@code event}), from seq 1 on. */
    private static List<JsonNode> events(JsonWebSocket reader, int count) {
        List<JsonNode> out = new ArrayList<>();
        while (out.size() < count) {
            JsonNode m = reader.await(n -> n.path("type").asText().matches("event|gap"), Duration.ofSeconds(30));
            assertThat(m.path("type").asText()).as("%s", m).isEqualTo("event");
            JsonNode event = m.path("event");
            if (out.isEmpty() && event.path("seq").asLong() != 1) {
                continue;
            }
            out.add(event);
        }
        return out;
    }
}
