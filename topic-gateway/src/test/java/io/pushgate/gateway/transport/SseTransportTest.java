package io.pushgate.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushgate.protocol.delta.JsonPatchDelta;
import io.pushgate.testsupport.JsonWebSocket;
import io.pushgate.testsupport.SseClient;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The same messages as Server-Sent Events, over a real HTTP connection. */
@QuarkusTest
class SseTransportTest extends GatewayTestBase {

    @Test
    void streamsSubscriptionValueAndDeltasAsEvents() {
        JsonWebSocket publisher = connect();
        String path = unique("sse") + "/btc";
        publisher.call(op("set", "topic", path, "value", WebSocketProtocolTest.priceDocument(10, "a"), "spec", Map.of("type", "JSON")));

        try (SseClient sse = SseClient.connect(base + "v1/sse?selector=" + URLEncoder.encode(">" + path, StandardCharsets.UTF_8))) {
            assertThat(sse.status()).isEqualTo(200);
            SseClient.Event subscription = sse.awaitEvent("subscription");
            assertThat(subscription.data().path("topic").asText()).isEqualTo(path);
            SseClient.Event value = sse.awaitEvent("value");
            assertThat(value.data().path("seq").asLong()).isEqualTo(1);

            publisher.call(op("set", "topic", path, "value", WebSocketProtocolTest.priceDocument(11, "b")));
            SseClient.Event delta = sse.await(e -> e.data().path("seq").asLong() == 2, Duration.ofSeconds(10));
            assertThat(delta.event()).isEqualTo("delta");
            assertThat(JsonPatchDelta.apply(delta.data().path("patch"), value.data().path("value")))
                    .isEqualTo(publisher.call(op("fetch", "selector", path)).path("results").get(0).path("value"));
        }
    }

    @Test
    void aTopicAddedLaterIsAnnouncedAndRemovalIsTold() {
        String root = unique("sse-later");
        try (SseClient sse = SseClient.connect(base + "v1/sse?selector=" + URLEncoder.encode("?" + root + "//", StandardCharsets.UTF_8) + "&delta=none")) {
            assertThat(sse.status()).isEqualTo(200);
            JsonWebSocket publisher = connect();
            publisher.call(op("set", "topic", root + "/t", "value", 7, "spec", Map.of("type", "INT64")));
            assertThat(sse.awaitEvent("subscription").data().path("topic").asText()).isEqualTo(root + "/t");
            assertThat(sse.awaitEvent("value").data().path("value").asLong()).isEqualTo(7);
            publisher.call(op("remove", "selector", root + "/t"));
            assertThat(sse.awaitEvent("unsubscribed").data().path("reason").asText()).isEqualTo("REMOVED");
        }
    }

    @Test
    void aBadSelectorIsAJsonError() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var response = http.send(java.net.http.HttpRequest.newBuilder(base.toURI().resolve("v1/sse?selector=%3Fa%2F%5B")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"code\":\"INVALID\"");
        var missing = http.send(java.net.http.HttpRequest.newBuilder(base.toURI().resolve("v1/sse")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(400);
    }
}
