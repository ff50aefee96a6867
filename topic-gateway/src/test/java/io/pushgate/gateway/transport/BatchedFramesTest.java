package io.pushgate.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.protocol.Json;
import io.pushgate.testsupport.JsonWebSocket;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ?batch=lines} (docs/protocol.md, "Batched frames"): messages that wait for the same flush
 * share a text frame, separated by newlines, never past {@code gateway.limits.max-batch-bytes}
 * (2,000 here); without it every frame is one message. Frames are read raw, as they arrive.
 */
@QuarkusTest
@TestProfile(BatchedFramesTest.SmallBatches.class)
class BatchedFramesTest extends GatewayTestBase {

    static final int MAX_BATCH_BYTES = 2000;

    public static class SmallBatches implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.limits.max-batch-bytes", String.valueOf(MAX_BATCH_BYTES));
        }
    }

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void closeVertx() {
        vertx.close();
    }

    /** A raw WebSocket that records each frame's text as it came. */
    private List<String> frames(String query, String... requests) throws Exception {
        List<String> frames = new CopyOnWriteArrayList<>();
        WebSocket ws = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 20))
                .connect(new WebSocketConnectOptions().setHost(base.getHost()).setPort(base.getPort()).setURI("/v1/ws?" + query))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        ws.frameHandler(frame -> frames.add(frame.textData()));
        for (String request : requests) {
            ws.writeTextMessage(request);
        }
        return frames;
    }

    private static List<JsonNode> messages(List<String> frames) {
        List<JsonNode> messages = new ArrayList<>();
        for (String frame : frames) {
            for (String line : frame.split("\n", -1)) {
                JsonNode message = Json.parse(line);
                assertThat(message.isObject()).as("every line of a frame is a JSON object: %s", line).isTrue();
                messages.add(message);
            }
        }
        return messages;
    }

    /** Adds {@code count} JSON topics under {@code root}, each holding {@code {"i": i, "pad": pad}}. */
    private void topics(String root, int count, String pad) {
        JsonWebSocket publisher = connect();
        for (int i = 0; i < count; i++) {
            JsonNode reply = publisher.call(op("set", "topic", root + "/" + i, "spec", "JSON", "value", Map.of("i", i, "pad", pad)));
            assertThat(reply.path("type").asText()).as("%s", reply).isEqualTo("ok");
        }
    }

    @Test
    void anUnknownBatchModeIsRefusedBeforeTheUpgrade() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(base.toURI().resolve("v1/ws?batch=zip")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Json.parse(response.body()).path("code").asText()).isEqualTo("INVALID");
        assertThat(Json.parse(response.body()).path("message").asText()).contains("batch");
    }

    @Test
    void aBadBatchDelayIsRefusedBeforeTheUpgrade() throws Exception {
        for (String query : List.of("batch=lines&batch-delay=soon", "batch-delay=5", "batch=lines&batch-delay=-1", "batch=lines&batch-delay=51")) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(base.toURI().resolve("v1/ws?" + query)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(query).isEqualTo(400);
            assertThat(Json.parse(response.body()).path("code").asText()).as(query).isEqualTo("INVALID");
            assertThat(Json.parse(response.body()).path("message").asText()).as(query).contains("batch");
        }
        // 50 ms is the default gateway.limits.max-batch-delay: allowed.
        List<String> frames = frames("batch=lines&batch-delay=50", "{\"op\":\"ping\",\"id\":\"p\"}");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !frames.isEmpty());
        assertThat(messages(frames)).singleElement().satisfies(m -> assertThat(m.path("type").asText()).isEqualTo("pong"));
    }

    @Test
    void aBatchDelayGroupsABurstIntoFewFramesInOrder() throws Exception {
        int updates = 300;
        Burst burst = burst("delayed", "delta=none&batch=lines&batch-delay=50", updates);
        assertThat(burst.seen()).as("every value, in order").containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, updates).boxed().toList());
        // At most one flush per 50 ms: a burst of 300 updates takes a fraction of a second here.
        assertThat(burst.frames().size() - burst.framesBefore()).as("frames for %d updates with batch-delay=50", updates)
                .isLessThanOrEqualTo(updates / 5);
    }

    @Test
    void aSubscribeAnswersInOneFrameWithLinesAndWithoutBatchingInOneFrameEach() throws Exception {
        String root = unique("batched");
        topics(root, 10, "");
        String subscribe = "{\"op\":\"subscribe\",\"selector\":\"?" + root + "/\",\"id\":\"s\"}";

        List<String> batched = frames("delta=none&batch=lines", subscribe);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> messages(batched).size() >= 21);
        List<JsonNode> got = messages(batched);
        assertThat(got).hasSize(21);
        assertThat(got.get(0).path("type").asText()).isEqualTo("ok");
        assertThat(got.stream().filter(m -> m.path("type").asText().equals("subscription"))).hasSize(10);
        assertThat(got.stream().filter(m -> m.path("type").asText().equals("value")).map(m -> m.path("value").path("i").asInt()))
                .containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        // The reply and its 20 messages are written in one turn of the loop: one flush, one frame.
        assertThat(batched).as("frames of the batched connection").hasSize(1);

        List<String> single = frames("delta=none", subscribe);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> single.size() >= 21);
        assertThat(single).hasSize(21).allSatisfy(frame -> assertThat(frame).doesNotContain("\n"));
        assertThat(messages(single)).extracting(m -> m.path("type").asText()).containsExactlyElementsOf(
                messages(batched).stream().map(m -> m.path("type").asText()).toList());
    }

    @Test
    void noFrameIsLargerThanTheLimitUnlessItIsOneMessage() throws Exception {
        String root = unique("big");
        topics(root, 8, "x".repeat(600));
        JsonWebSocket publisher = connect();
        String huge = "y".repeat(3000);
        assertThat(publisher.call(op("set", "topic", root + "/huge", "spec", "JSON", "value", Map.of("pad", huge))).path("type").asText())
                .isEqualTo("ok");

        List<String> frames = frames("delta=none&batch=lines", "{\"op\":\"subscribe\",\"selector\":\"?" + root + "/\",\"id\":\"s\"}");
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> messages(frames).stream().filter(m -> m.path("type").asText().equals("value")).count() == 9);
        for (String frame : frames) {
            int bytes = frame.getBytes(StandardCharsets.UTF_8).length;
            if (frame.contains("\n")) {
                assertThat(bytes).as("a frame of several messages").isLessThanOrEqualTo(MAX_BATCH_BYTES);
            } else {
                assertThat(bytes).as("a frame of one message").isGreaterThan(0);
            }
        }
        assertThat(frames).as("8 values of ~650 B and one of ~3 KB, at most 2,000 B a frame").hasSizeGreaterThanOrEqualTo(5);
        assertThat(frames.stream().filter(f -> f.contains(huge))).as("the large value, alone in its frame")
                .singleElement().satisfies(f -> assertThat(f).doesNotContain("\n"));
    }

    @Test
    void aBurstOfUpdatesArrivesInOrderEndingOnTheLast() throws Exception {
        int updates = 500;
        Burst burst = burst("burst", "delta=none&batch=lines", updates);
        List<Integer> seen = burst.seen();
        assertThat(seen).as("values in order, none twice").isSorted().doesNotHaveDuplicates();
        assertThat(seen).as("nothing conflated on a connection that keeps up").hasSize(updates);
        assertThat(burst.frames().size()).as("frames for %d messages", seen.size()).isLessThanOrEqualTo(seen.size() + 2);
    }

    /** The raw frames of a subscriber on {@code query} (and how many came before the burst), and the {@code i} of each value. */
    private record Burst(List<String> frames, int framesBefore, List<Integer> seen) {
    }

    /** Sets a new JSON topic to {"i": 1..updates} in a burst, read by a subscriber connected with {@code query}. */
    private Burst burst(String prefix, String query, int updates) throws Exception {
        String topic = unique(prefix) + "/t";
        JsonWebSocket publisher = connect();
        assertThat(publisher.call(op("add", "topic", topic, "spec", "JSON")).path("type").asText()).isEqualTo("ok");
        List<String> frames = frames(query, "{\"op\":\"subscribe\",\"selector\":\"" + topic + "\",\"id\":\"s\"}");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !frames.isEmpty());
        int before = frames.size();
        for (int i = 1; i <= updates; i++) {
            publisher.request(op("set", "topic", topic, "value", Map.of("i", i)));
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> messages(frames).stream()
                .anyMatch(m -> m.path("type").asText().equals("value") && m.path("value").path("i").asInt() == updates));
        List<Integer> seen = messages(frames).stream().filter(m -> m.path("type").asText().equals("value"))
                .map(m -> m.path("value").path("i").asInt()).toList();
        return new Burst(frames, before, seen);
    }
}
