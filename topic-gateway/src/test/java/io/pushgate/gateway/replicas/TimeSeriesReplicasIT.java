package io.pushgate.gateway.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import static io.pushgate.testsupport.JsonWebSocket.op;

import io.pushgate.testsupport.JsonWebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Chat-grade time series across replicas: three clients on two gateway processes append 500
 * events each at once, and every subscriber on either replica sees the same 1,500 events in the
 * same order, seqs 1..1500; a restarted gateway still serves every retained event.
 */
class TimeSeriesReplicasIT extends TwoReplicas {

    private static final String ROOM = "chat/concurrent";



    @Test
    void concurrentAppendsThroughTwoReplicasHaveOneOrder() {
        try (JsonWebSocket admin = JsonWebSocket.connect(a.wsUrl() + "/v1/ws");
             JsonWebSocket readerA = JsonWebSocket.connect(a.wsUrl() + "/v1/ws");
             JsonWebSocket readerB = JsonWebSocket.connect(b.wsUrl() + "/v1/ws");
             JsonWebSocket writer1 = JsonWebSocket.connect(a.wsUrl() + "/v1/ws");
             JsonWebSocket writer2 = JsonWebSocket.connect(a.wsUrl() + "/v1/ws");
             JsonWebSocket writer3 = JsonWebSocket.connect(b.wsUrl() + "/v1/ws")) {
            admin.call(op("add", "topic", ROOM, "spec", Map.of("type", "TIME_SERIES", "eventType", "JSON")));
            readerA.call(op("subscribe", "selector", ROOM));
            readerB.call(op("subscribe", "selector", ROOM));
            readerA.awaitType("subscription");
            readerB.awaitType("subscription");

            List<CompletableFuture<Void>> writers = new ArrayList<>();
            JsonWebSocket[] sockets = {writer1, writer2, writer3};
            for (int w = 0; w < 3; w++) {
                JsonWebSocket socket = sockets[w];
                int writer = w;
                writers.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < 500; i++) {
                        socket.request(op("append", "topic", ROOM, "value", Map.of("writer", writer, "i", i)));
                    }
                    long oks = 0;
                    while (oks < 500) {
                        JsonNode reply = socket.await(m -> m.has("id"), Duration.ofSeconds(30));
                        assertThat(reply.path("type").asText()).as("%s", reply).isEqualTo("ok");
                        oks++;
                    }
                }));
            }
            CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).join();

            List<JsonNode> seenA = events(readerA, 1500);
            List<JsonNode> seenB = events(readerB, 1500);
            List<Long> seqs = seenA.stream().map(e -> e.path("seq").asLong()).toList();
            assertThat(seqs).hasSize(1500);
            for (int i = 0; i < 1500; i++) {
                assertThat(seqs.get(i)).isEqualTo(i + 1L);
            }
            assertThat(seenB).isEqualTo(seenA);
            for (int w = 0; w < 3; w++) {
                int writer = w;
                List<Integer> order = seenA.stream().filter(e -> e.path("value").path("writer").asInt() == writer)
                        .map(e -> e.path("value").path("i").asInt()).toList();
                assertThat(order).as("writer %d's events, each once, in its order", w).hasSize(500).isSorted();
            }
        }
        a.stop();
        a.start();
        try (JsonWebSocket ws = JsonWebSocket.connect(a.wsUrl() + "/v1/ws")) {
            JsonNode range = ws.call(op("range", "topic", ROOM, "from", 1, "view", "edits"));
            assertThat(range.path("events")).hasSize(1500);
            assertThat(range.path("events").get(1499).path("seq").asLong()).isEqualTo(1500);
        }
    }

    private static List<JsonNode> events(JsonWebSocket ws, int count) {
        List<JsonNode> events = new ArrayList<>();
        while (events.size() < count) {
            JsonNode m = ws.await(n -> n.path("type").asText().equals("event") || n.path("type").asText().equals("gap"), Duration.ofSeconds(30));
            assertThat(m.path("type").asText()).isEqualTo("event");
            JsonNode event = m.path("event");
            if (events.isEmpty() && event.path("seq").asLong() != 1) {
                continue;
            }
            events.add(event);
        }
        return events;
    }

}
