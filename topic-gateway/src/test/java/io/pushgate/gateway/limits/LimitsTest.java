package io.pushgate.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.gateway.transport.GatewayTestBase;
import io.pushgate.protocol.CloseCodes;
import io.pushgate.testsupport.JsonWebSocket;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Every limit is configuration: here set low, each one reached, and the gateway answers as documented. */
@QuarkusTest
@TestProfile(LimitsTest.Small.class)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class LimitsTest extends GatewayTestBase {

    public static class Small implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "gateway.limits.max-connections-per-address", "30",
                    "gateway.limits.max-subscriptions-per-session", "5",
                    "gateway.limits.max-topics-per-session", "3",
                    "gateway.limits.max-requests-per-second", "20",
                    "gateway.limits.request-burst", "40",
                    "gateway.limits.max-json-depth", "8",
                    "gateway.limits.max-value-bytes", "1000",
                    "gateway.limits.max-topics", "60",
                    "gateway.limits.idle-timeout", "3s");
        }
    }

    @Test
    @org.junit.jupiter.api.Order(5)
    void connectionsPerAddressAreLimited() throws Exception {
        List<JsonWebSocket> open = new ArrayList<>();
        String url = base.toString().replaceFirst("^http", "ws") + "v1/ws";
        Throwable refused = null;
        try {
            for (int i = 0; i < 40 && refused == null; i++) {
                try {
                    open.add(JsonWebSocket.connect(url));
                } catch (RuntimeException e) {
                    refused = e;
                }
            }
            assertThat(refused).as("the 31st connection from one address").isNotNull();
            assertThat(open.size()).isLessThanOrEqualTo(30);
            assertThat(refused).hasStackTraceContaining("429");
            // SSE shares the limit.
            HttpResponse<String> sse = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "v1/sse?selector=a")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(sse.statusCode()).isEqualTo(429);
            assertThat(sse.body()).contains("RATE_LIMITED");
        } finally {
            open.forEach(JsonWebSocket::close);
        }
        // Places come back when connections close.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            try (JsonWebSocket again = JsonWebSocket.connect(base.toString().replaceFirst("^http", "ws") + "v1/ws")) {
                assertThat(again.call(op("ping")).path("type").asText()).isEqualTo("pong");
            }
        });
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void subscriptionsAndTopicsPerSessionAreLimited() {
        String root = unique("many");
        JsonWebSocket admin = connect();
        for (int i = 0; i < 3; i++) {
            assertThat(admin.call(op("add", "topic", root + "/t" + i, "spec", "INT64")).path("result").asText()).isEqualTo("CREATED");
        }
        JsonNode fourth = admin.call(op("add", "topic", root + "/t3", "spec", "INT64"));
        assertThat(fourth.path("code").asText()).isEqualTo("RATE_LIMITED");
        JsonWebSocket other = connect();
        for (int i = 3; i < 8; i++) {
            if (i == 6) {
                other = connect();
            }
            assertThat(other.call(op("add", "topic", root + "/t" + i, "spec", "INT64")).path("result").asText()).isEqualTo("CREATED");
        }
        JsonWebSocket reader = connect();
        reader.call(op("subscribe", "selector", "?" + root + "/"));
        JsonNode error = reader.awaitType("error");
        assertThat(error.path("code").asText()).isEqualTo("RATE_LIMITED");
        reader.call(op("ping"));
        assertThat(reader.drain().stream().filter(m -> m.path("type").asText().equals("subscription")).count()).isEqualTo(5);
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void theRequestRateIsLimitedPerSessionAndOthersGoOn() {
        JsonWebSocket flooder = connect();
        for (int i = 0; i < 200; i++) {
            flooder.request(op("ping"));
        }
        List<JsonNode> replies = new ArrayList<>();
        while (replies.size() < 200) {
            replies.add(flooder.await(m -> m.has("id"), Duration.ofSeconds(10)));
        }
        long limited = replies.stream().filter(m -> m.path("code").asText().equals("RATE_LIMITED")).count();
        assertThat(limited).isGreaterThan(100);
        assertThat(connect().call(op("ping")).path("type").asText()).isEqualTo("pong");
    }

    @Test
    @org.junit.jupiter.api.Order(3)
    void valueSizeAndJsonDepthAreLimited() {
        JsonWebSocket ws = connect();
        assertThat(ws.call(op("set", "topic", unique("big"), "value", "x".repeat(2000), "spec", "STRING")).path("code").asText())
                .isEqualTo("TOO_LARGE");
        ws.sendText("{\"op\":\"ping\",\"id\":\"deep\",\"x\":" + "[".repeat(50) + "]".repeat(50) + "}");
        assertThat(ws.awaitType("error").path("code").asText()).isEqualTo("INVALID");
        ws.sendText("{\"op\":\"ping\",\"id\":\"deep\",\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}");
        assertThat(ws.awaitType("error").path("code").asText()).isEqualTo("INVALID");
        assertThat(ws.call(op("ping")).path("type").asText()).isEqualTo("pong");
    }

    @Test
    @org.junit.jupiter.api.Order(6)
    void theNumberOfTopicsIsLimited() {
        // Fill the tree to its limit through several sessions (each may add only a few).
        JsonWebSocket ws = connect();
        String root = unique("fill");
        JsonNode last = null;
        for (int i = 0; i < 80 && (last == null || !last.path("code").asText().equals("TOO_LARGE")); i++) {
            JsonWebSocket s = i % 3 == 0 ? connect() : ws;
            if (i % 3 == 0) {
                ws = s;
            }
            last = ws.call(op("set", "topic", root + "/t" + i, "value", i, "spec", "INT64"));
        }
        assertThat(last.path("code").asText()).isEqualTo("TOO_LARGE");
        assertThat(last.path("message").asText()).contains("limit of 60 topics");
    }

    @Test
    @org.junit.jupiter.api.Order(4)
    void anIdleWebSocketIsClosedWithTheIdleCode() throws Exception {
        JsonWebSocket idle = connect();
        JsonWebSocket busy = connect();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
        while (System.nanoTime() < deadline && !idle.closed().isDone()) {
            busy.call(op("ping"));
            org.awaitility.Awaitility.await().pollDelay(Duration.ofMillis(500)).until(() -> true);
        }
        assertThat(idle.closed().get(5, TimeUnit.SECONDS)[0]).isEqualTo(CloseCodes.IDLE);
        assertThat(busy.call(op("ping")).path("type").asText()).isEqualTo("pong");
    }
}
