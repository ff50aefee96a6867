package io.pushgate.gateway.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import static io.pushgate.testsupport.JsonWebSocket.op;

import io.pushgate.testsupport.JsonWebSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Views on two replicas: exactly one replica writes each reference topic (no duplicate writes),
 * another takes over when the owner is killed, and views survive a restart of every gateway.
 */
class ViewsIT extends TwoReplicas {

    @Test
    void anExpandingViewHasOneOwnerAndIsTakenOverWithItsChildren() throws Exception {
        HttpResponse<String> put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(a.httpUrl() + "/v1/views/fx"))
                .PUT(HttpRequest.BodyPublishers.ofString("map ?fxsrc/ to fxviews/<path(1)>/<expand(/rates, /ccy)>"
                        + " process {if '/v > 0' continue} as <value(/v)>")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        try (JsonWebSocket writer = JsonWebSocket.connect(a.wsUrl() + "/v1/ws");
             JsonWebSocket reader = JsonWebSocket.connect(b.wsUrl() + "/v1/ws")) {
            reader.call(op("subscribe", "selector", "?fxviews//"));
            for (int v = 1; v <= 11; v++) {
                writer.call(op("set", "topic", "fxsrc/all", "value", Map.of("rates", java.util.List.of(
                        Map.of("ccy", "USD", "v", 1000 + v), Map.of("ccy", "EUR", "v", 2000))), "spec", Map.of("type", "JSON")));
            }
            // 11 source values, 11 updates of the USD child: had two replicas run the view, seqs would double
            assertThat(value(reader, 1011).path("seq").asLong()).isEqualTo(11);
            value(reader, 2000);
            // the EUR child no longer passes the process: its reference goes
            writer.call(op("set", "topic", "fxsrc/all", "value", Map.of("rates", java.util.List.of(
                    Map.of("ccy", "USD", "v", 1012), Map.of("ccy", "EUR", "v", 0)))));
            assertThat(reader.await(m -> m.path("type").asText().equals("unsubscribed"), Duration.ofSeconds(15))
                    .path("reason").asText()).isEqualTo("REMOVED");
        }
        a.kill();
        try (JsonWebSocket onB = JsonWebSocket.connect(b.wsUrl() + "/v1/ws")) {
            onB.call(op("subscribe", "selector", "?fxviews//"));
            onB.call(op("set", "topic", "fxsrc/all", "value", Map.of("rates", java.util.List.of(
                    Map.of("ccy", "USD", "v", 1100), Map.of("ccy", "GBP", "v", 3000)))));
            value(onB, 1100, Duration.ofSeconds(30));
            value(onB, 3000, Duration.ofSeconds(30));
        }
        a.start();
    }
    @Test
    void oneReplicaWritesEachReferenceTopicAndAnotherTakesOverAndViewsSurviveRestarts() throws Exception {
        HttpResponse<String> put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(a.httpUrl() + "/v1/views/usd"))
                .PUT(HttpRequest.BodyPublishers.ofString("map ?prices/ to views/<path(1)>/usd as <value(/usd)>")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);

        try (JsonWebSocket writer = JsonWebSocket.connect(a.wsUrl() + "/v1/ws");
             JsonWebSocket reader = JsonWebSocket.connect(b.wsUrl() + "/v1/ws")) {
            reader.call(op("subscribe", "selector", "views/btc/usd"));
            writer.call(op("set", "topic", "prices/btc", "value", Map.of("usd", 100), "spec", Map.of("type", "JSON")));
            assertThat(value(reader, 100).path("seq").asLong()).isEqualTo(1);
            for (int usd = 101; usd <= 120; usd++) {
                writer.call(op("set", "topic", "prices/btc", "value", Map.of("usd", usd)));
            }
            // 21 source values, 21 reference updates: had two replicas run the view, seqs would double.
            assertThat(value(reader, 120).path("seq").asLong()).isEqualTo(21);
        }

        // Kill one replica without a chance to release its leases: the other takes the view over.
        a.kill();
        try (JsonWebSocket onB = JsonWebSocket.connect(b.wsUrl() + "/v1/ws")) {
            onB.call(op("subscribe", "selector", "views/btc/usd"));
            onB.call(op("set", "topic", "prices/btc", "value", Map.of("usd", 200)));
            assertThat(value(onB, 200, Duration.ofSeconds(30)).path("value").asInt()).isEqualTo(200);
        }

        // Restart everything: the view is still defined and running.
        b.stop();
        a.start();
        try (JsonWebSocket onA = JsonWebSocket.connect(a.wsUrl() + "/v1/ws")) {
            onA.call(op("subscribe", "selector", "views/btc/usd"));
            onA.call(op("set", "topic", "prices/btc", "value", Map.of("usd", 300)));
            assertThat(value(onA, 300, Duration.ofSeconds(30)).path("value").asInt()).isEqualTo(300);
        }
        b.start();
    }

    private static JsonNode value(JsonWebSocket ws, int expected) {
        return value(ws, expected, Duration.ofSeconds(15));
    }

    private static JsonNode value(JsonWebSocket ws, int expected, Duration timeout) {
        return ws.await(m -> m.path("type").asText().equals("value") && m.path("value").asInt() == expected, timeout);
    }

}
