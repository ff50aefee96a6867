package io.pushgate.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.protocol.Json;
import io.pushgate.testsupport.JsonWebSocket;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A burst of updates reaches every subscriber whole and in order, ending on the last: plain, and
 * compressed with permessage-deflate (checked to be negotiated in the handshake), with 100 KB values
 * among small ones.
 */
@QuarkusTest
class BurstFanOutTest extends GatewayTestBase {

    /** Within the per-session request burst (1,000 by default), so that no set is refused for its rate. */
    private static final int UPDATES = 900;

    @Test
    void aBurstOfUpdatesReachesPlainAndCompressedSubscribersWholeAndInOrder() throws Exception {
        String topic = unique("burst") + "/t";
        JsonWebSocket publisher = connect();
        assertThat(publisher.call(op("add", "topic", topic, "spec", java.util.Map.of("type", "JSON"))).path("type").asText()).isEqualTo("ok");
        JsonWebSocket plain = connect("delta=none");
        assertThat(plain.call(op("subscribe", "selector", topic)).path("type").asText()).isEqualTo("ok");

        Vertx vertx = Vertx.vertx();
        List<JsonNode> compressedReceived = new CopyOnWriteArrayList<>();
        try {
            WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
                    .setTryUsePerMessageCompression(true).setMaxMessageSize(4 * 1024 * 1024).setMaxFrameSize(4 * 1024 * 1024));
            // Vert.x keeps the handshake's response headers only while it completes the connection (it
            // drops them right after): read them in the handler that completion calls
            AtomicReference<String> extensions = new AtomicReference<>();
            WebSocket compressed = client.connect(new WebSocketConnectOptions().setHost(base.getHost()).setPort(base.getPort())
                    .setURI("/v1/ws?delta=none"))
                    .onSuccess(ws -> extensions.set(ws.headers() == null ? "(no headers)" : ws.headers().get("Sec-WebSocket-Extensions")))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(extensions.get()).as("the gateway's Sec-WebSocket-Extensions answer: permessage-deflate negotiated")
                    .isNotNull().startsWith("permessage-deflate");
            compressed.textMessageHandler(text -> compressedReceived.add(Json.parse(text)));
            compressed.writeTextMessage("{\"op\":\"subscribe\",\"selector\":\"" + topic + "\",\"id\":\"s\"}");
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> compressedReceived.stream().anyMatch(m -> "s".equals(m.path("id").asText())));

            for (int i = 1; i <= UPDATES; i++) {
                // every 300th value is large (100 KB): it must arrive whole, in its place
                String pad = i % 300 == 0 ? "x".repeat(100_000) : "";
                publisher.request(op("set", "topic", topic, "value", java.util.Map.of("i", i, "pad", pad)));
            }
            for (int i = 1; i <= UPDATES; i++) {
                JsonNode reply = publisher.await(m -> m.has("id"), Duration.ofSeconds(30));
                assertThat(reply.path("type").asText()).as("the publisher's set: %s", reply).isEqualTo("ok");
            }
            List<Integer> plainValues = new ArrayList<>();
            while (plainValues.isEmpty() || plainValues.get(plainValues.size() - 1) < UPDATES) {
                JsonNode m = plain.await(n -> "value".equals(n.path("type").asText()), Duration.ofSeconds(30));
                plainValues.add(m.path("value").path("i").asInt());
                if (m.path("value").path("i").asInt() % 300 == 0) {
                    assertThat(m.path("value").path("pad").asText()).hasSize(100_000);
                }
            }
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> compressedReceived.stream()
                    .anyMatch(m -> "value".equals(m.path("type").asText()) && m.path("value").path("i").asInt() == UPDATES));
            List<Integer> compressedValues = compressedReceived.stream().filter(m -> "value".equals(m.path("type").asText()))
                    .map(m -> m.path("value").path("i").asInt()).toList();

            // in order, none twice, ending on the last; a burst this size fills a write queue, so
            // some values are conflated away (the latest replaces them), as for any slow reader
            assertThat(plainValues).isSorted().doesNotHaveDuplicates().endsWith(UPDATES);
            assertThat(compressedValues).isSorted().doesNotHaveDuplicates().endsWith(UPDATES);
            for (List<JsonNode> received : List.of(compressedReceived, plain.drain())) {
                received.stream().filter(m -> "value".equals(m.path("type").asText()) && m.path("value").path("i").asInt() % 300 == 0)
                        .forEach(m -> assertThat(m.path("value").path("pad").asText()).hasSize(100_000));
            }
            compressed.close();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
