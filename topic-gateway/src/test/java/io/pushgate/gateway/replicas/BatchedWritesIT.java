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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The batched write path keeps the contract (issue 14): with many pipelined writers on two
 * replicas at once, each topic has one order everywhere, {@code ifSeq} stays exact, and a refused
 * change of a batch refuses only itself. Writes are sent without waiting for their replies, so
 * they travel to Redis in batches (checked on the gateways' own meters).
 */
class BatchedWritesIT extends TwoReplicas {

    private static final int TOPICS = 20;
    private static final int PER_WRITER = 400;

    @Test
    void pipelinedWritersOnTwoReplicasGiveEveryTopicOneOrderEverywhere() {
        double batchesBefore = meter(a.httpUrl(), "pushgate_store_batches_total") + meter(b.httpUrl(), "pushgate_store_batches_total");
        List<JsonWebSocket> writers = new ArrayList<>();
        try (JsonWebSocket onA = JsonWebSocket.connect(a.wsUrl() + "/v1/ws?delta=json-patch");
             JsonWebSocket onB = JsonWebSocket.connect(b.wsUrl() + "/v1/ws?delta=none")) {
            for (int t = 0; t < TOPICS; t++) {
                assertThat(onA.call(op("add", "topic", "batched/order/" + t, "spec", Map.of("type", "JSON"))).path("type").asText()).isEqualTo("ok");
            }
            onA.call(op("subscribe", "selector", "?batched/order/"));
            onB.call(op("subscribe", "selector", "?batched/order/"));
            for (int w = 0; w < 4; w++) {
                writers.add(JsonWebSocket.connect((w % 2 == 0 ? a : b).wsUrl() + "/v1/ws"));
            }
            // Every writer pipelines its sets over every topic; all four write at once.
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < writers.size(); w++) {
                JsonWebSocket writer = writers.get(w);
                int id = w;
                Thread thread = new Thread(() -> {
                    for (int i = 0; i < PER_WRITER; i++) {
                        writer.request(op("set", "id", id + "-" + i, "topic", "batched/order/" + (i % TOPICS),
                                "value", Map.of("writer", id, "i", i)));
                    }
                });
                threads.add(thread);
                thread.start();
            }
            threads.forEach(BatchedWritesIT::join);
            // Every write acknowledged; per topic the acknowledged seqs are exactly 1..N, each once.
            Map<Integer, List<Long>> ackedSeqs = new HashMap<>();
            for (int w = 0; w < writers.size(); w++) {
                for (int i = 0; i < PER_WRITER; i++) {
                    String id = w + "-" + i;
                    JsonNode reply = writers.get(w).await(m -> id.equals(m.path("id").asText()), Duration.ofSeconds(30));
                    assertThat(reply.path("type").asText()).as("reply to %s: %s", id, reply).isEqualTo("ok");
                    ackedSeqs.computeIfAbsent(i % TOPICS, t -> new ArrayList<>()).add(reply.path("seq").asLong());
                }
            }
            int perTopic = writers.size() * PER_WRITER / TOPICS;
            ackedSeqs.forEach((t, seqs) -> assertThat(seqs).as("seqs of topic %d", t).doesNotHaveDuplicates().hasSize(perTopic)
                    .allMatch(s -> s >= 1 && s <= perTopic));
            // Each subscriber sees every topic's seqs strictly increasing and ends on the stored value.
            Map<String, JsonNode> fetchedA = fetchAll(onA);
            Map<String, JsonNode> fetchedB = fetchAll(onB);
            assertThat(fetchedA).isEqualTo(fetchedB);
            assertOrderedAndCurrent(onA, fetchedA, perTopic);
            assertOrderedAndCurrent(onB, fetchedB, perTopic);
        } finally {
            writers.forEach(JsonWebSocket::close);
        }
        double batches = meter(a.httpUrl(), "pushgate_store_batches_total") + meter(b.httpUrl(), "pushgate_store_batches_total") - batchesBefore;
        assertThat(batches).as("batches for %d sets", 4 * PER_WRITER).isPositive().isLessThan(4 * PER_WRITER);
    }

    @Test
    void ifSeqStaysExactAndARefusedChangeRefusesOnlyItself() {
        try (JsonWebSocket w1 = JsonWebSocket.connect(a.wsUrl() + "/v1/ws");
             JsonWebSocket w2 = JsonWebSocket.connect(b.wsUrl() + "/v1/ws")) {
            w1.call(op("add", "topic", "batched/cas", "spec", Map.of("type", "INT64")));
            w1.call(op("add", "topic", "batched/ok", "spec", Map.of("type", "INT64")));
            // Pipelined compare-and-set chain: each expects the seq the one before it made.
            for (int s = 0; s < 50; s++) {
                w1.request(op("set", "id", "c" + s, "topic", "batched/cas", "value", s, "ifSeq", s));
                // between them a write whose ifSeq is wrong (refused) and one without (stored)
                w1.request(op("set", "id", "x" + s, "topic", "batched/ok", "value", s, "ifSeq", 1_000_000));
                w1.request(op("set", "id", "o" + s, "topic", "batched/ok", "value", s));
            }
            for (int s = 0; s < 50; s++) {
                int expected = s + 1;
                JsonNode cas = w1.await(m -> ("c" + (expected - 1)).equals(m.path("id").asText()), Duration.ofSeconds(20));
                assertThat(cas.path("type").asText()).as("%s", cas).isEqualTo("ok");
                assertThat(cas.path("seq").asLong()).isEqualTo(expected);
                JsonNode refused = w1.await(m -> ("x" + (expected - 1)).equals(m.path("id").asText()), Duration.ofSeconds(20));
                assertThat(refused.path("code").asText()).as("%s", refused).isEqualTo("CONFLICT");
                JsonNode stored = w1.await(m -> ("o" + (expected - 1)).equals(m.path("id").asText()), Duration.ofSeconds(20));
                assertThat(stored.path("seq").asLong()).isEqualTo(expected);
            }
            // Writers on both replicas race for seq 50: exactly one wins.
            for (int i = 0; i < 5; i++) {
                w1.request(op("set", "id", "ra" + i, "topic", "batched/cas", "value", 100 + i, "ifSeq", 50));
                w2.request(op("set", "id", "rb" + i, "topic", "batched/cas", "value", 200 + i, "ifSeq", 50));
            }
            int won = 0;
            for (int i = 0; i < 10; i++) {
                JsonWebSocket writer = i % 2 == 0 ? w1 : w2;
                String id = (i % 2 == 0 ? "ra" : "rb") + i / 2;
                {
                    JsonNode reply = writer.await(m -> id.equals(m.path("id").asText()), Duration.ofSeconds(20));
                    if (reply.path("type").asText().equals("ok")) {
                        won++;
                        assertThat(reply.path("seq").asLong()).isEqualTo(51);
                    } else {
                        assertThat(reply.path("code").asText()).isEqualTo("CONFLICT");
                    }
                }
            }
            assertThat(won).isEqualTo(1);
            assertThat(w2.call(op("fetch", "selector", "batched/cas")).path("results").get(0).path("seq").asLong()).isEqualTo(51);
            assertThat(w2.call(op("fetch", "selector", "batched/ok")).path("results").get(0).path("value").asLong()).isEqualTo(49);
        }
    }

    private static void assertOrderedAndCurrent(JsonWebSocket ws, Map<String, JsonNode> fetched, int lastSeq) {
        Map<Long, String> topicOfTid = new HashMap<>();
        Map<String, Long> lastSeen = new HashMap<>();
        // Read until every topic's subscriber has reached the last seq.
        while (lastSeen.size() < TOPICS || lastSeen.values().stream().anyMatch(s -> s < lastSeq)) {
            JsonNode m = ws.await(n -> n.path("type").asText().matches("subscription|value|delta"), Duration.ofSeconds(20));
            if (m.path("type").asText().equals("subscription")) {
                topicOfTid.put(m.path("tid").asLong(), m.path("topic").asText());
                continue;
            }
            String topic = topicOfTid.get(m.path("tid").asLong());
            assertThat(topic).as("a message before its subscription: %s", m).isNotNull();
            long seq = m.path("seq").asLong();
            Long before = lastSeen.put(topic, seq);
            if (before != null) {
                assertThat(seq).as("seq order of %s", topic).isGreaterThan(before);
                if (m.path("type").asText().equals("delta")) {
                    assertThat(seq).as("a delta follows the seq before it (%s)", topic).isEqualTo(before + 1);
                }
            }
        }
        fetched.forEach((topic, result) -> assertThat(result.path("seq").asLong()).as(topic).isEqualTo(lastSeq));
    }

    private static Map<String, JsonNode> fetchAll(JsonWebSocket ws) {
        Map<String, JsonNode> out = new HashMap<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            JsonNode results = ws.call(op("fetch", "selector", "?batched/order/")).path("results");
            out.clear();
            results.forEach(r -> out.put(r.path("topic").asText(), r));
            return out.size() == TOPICS && out.values().stream().allMatch(r -> r.path("seq").asLong() == 4L * PER_WRITER / TOPICS);
        });
        return out;
    }

    private static double meter(String baseUrl, String name) {
        try {
            String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? ([0-9.Ee+-]+)$").matcher(text);
            double sum = 0;
            while (m.find()) {
                sum += Double.parseDouble(m.group(1));
            }
            return sum;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void join(Thread t) {
        try {
            t.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
