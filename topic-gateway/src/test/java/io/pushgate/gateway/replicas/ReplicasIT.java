package io.pushgate.gateway.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import static io.pushgate.testsupport.JsonWebSocket.op;

import io.pushgate.testsupport.JsonWebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two gateway processes on one real Redis: one topic tree, updates through either replica
 * reach the subscribers of both in seq order, the same stream on both, and a restarted gateway
 * keeps every topic.
 */
class ReplicasIT extends TwoReplicas {





    @Test
    void updatesThroughBothReplicasReachTheSubscribersOfBothAsOneStreamInOrder() {
        try (JsonWebSocket onA = JsonWebSocket.connect(a.wsUrl() + "/v1/ws");
             JsonWebSocket onB = JsonWebSocket.connect(b.wsUrl() + "/v1/ws");
             JsonWebSocket writerA = JsonWebSocket.connect(a.wsUrl() + "/v1/ws");
             JsonWebSocket writerB = JsonWebSocket.connect(b.wsUrl() + "/v1/ws")) {
            assertThat(writerA.call(op("add", "topic", "replicated/counter", "spec", Map.of("type", "INT64"))).path("type").asText()).isEqualTo("ok");
            onA.call(op("subscribe", "selector", "?replicated//"));
            onB.call(op("subscribe", "selector", "?replicated//"));
            onA.awaitType("subscription");
            onB.awaitType("subscription");
            // Both replicas write concurrently; every subscriber must see the same seqs in order.
            for (int i = 1; i <= 100; i++) {
                (i % 2 == 0 ? writerA : writerB).request(op("set", "topic", "replicated/counter", "value", i));
            }
            List<String> streamA = updates(onA, 100);
            List<String> streamB = updates(onB, 100);
            assertThat(seqs(streamA)).isSorted().doesNotHaveDuplicates().endsWith(100L);
            assertThat(seqs(streamB)).isSorted().doesNotHaveDuplicates().endsWith(100L);
            // one order for both: the same seqs, each with the same value (neither subscriber is slow, so
            // neither is conflated: both get every update)
            assertThat(streamB).as("the updates the subscriber on B got, against those on A").isEqualTo(streamA);
            JsonNode fetchedA = writerA.call(op("fetch", "selector", "replicated/counter")).path("results").get(0);
            JsonNode fetchedB = writerB.call(op("fetch", "selector", "replicated/counter")).path("results").get(0);
            assertThat(fetchedA).isEqualTo(fetchedB);
            assertThat(fetchedA.path("seq").asLong()).isEqualTo(100);
        }
    }

    @Test
    void aRestartedGatewayKeepsEveryTopic() {
        try (JsonWebSocket ws = JsonWebSocket.connect(a.wsUrl() + "/v1/ws")) {
            for (int i = 0; i < 20; i++) {
                ws.call(op("set", "topic", "durable/t" + i, "value", Map.of("n", i), "spec", Map.of("type", "JSON")));
            }
            ws.call(op("set", "topic", "durable/t0", "value", Map.of("n", "last")));
        }
        a.stop();
        a.start();
        try (JsonWebSocket ws = JsonWebSocket.connect(a.wsUrl() + "/v1/ws")) {
            JsonNode results = ws.call(op("fetch", "selector", "?durable/")).path("results");
            assertThat(results).hasSize(20);
            JsonNode t0 = ws.call(op("fetch", "selector", "durable/t0")).path("results").get(0);
            assertThat(t0.path("seq").asLong()).isEqualTo(2);
            assertThat(t0.path("value").path("n").asText()).isEqualTo("last");
        }
    }

    /** The updates received for the topic, as {@code seq=value}, until the last one arrives (conflation may skip some). */
    private static List<String> updates(JsonWebSocket ws, long last) {
        List<String> updates = new ArrayList<>();
        long seq = 0;
        while (seq < last) {
            JsonNode m = ws.await(n -> n.has("seq") && (n.path("type").asText().equals("value") || n.path("type").asText().equals("delta")),
                    Duration.ofSeconds(15));
            seq = m.path("seq").asLong();
            updates.add(seq + "=" + (m.has("value") ? m.path("value").toString() : m.toString()));
        }
        return updates;
    }

    private static List<Long> seqs(List<String> updates) {
        return updates.stream().map(u -> Long.parseLong(u.substring(0, u.indexOf('=')))).toList();
    }

}
