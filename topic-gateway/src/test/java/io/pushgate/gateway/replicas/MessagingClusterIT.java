package io.pushgate.gateway.replicas;

import static io.pushgate.testsupport.JsonWebSocket.op;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.testsupport.JsonWebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Messaging between two gateway replicas on a real six-node Redis Cluster: the handler registry's
 * keys spread over the slots of every master, and each replica's inbox is followed with SSUBSCRIBE
 * on the master of its slot and written with SPUBLISH, which the cluster client routes by the
 * channel.
 */
class MessagingClusterIT extends ClusterGateways {

    @BeforeAll
    static void start() {
        startAll(Map.of());
    }

    @AfterAll
    static void stop() {
        stopAll();
    }

    private static JsonNode nextRequest(JsonWebSocket handler) {
        return handler.await(m -> m.path("type").asText().equals("request"), Duration.ofSeconds(10));
    }

    @Test
    void requestsAndAnswersCrossTheClusterBetweenReplicas() {
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            paths.add("cluster/svc-" + i);
        }
        try (JsonWebSocket handler = JsonWebSocket.connect(b.wsUrl() + "/v1/ws");
             JsonWebSocket sender = JsonWebSocket.connect(a.wsUrl() + "/v1/ws")) {
            for (String path : paths) {
                assertThat(handler.call(op("addRequestHandler", "path", path)).path("type").asText()).isEqualTo("ok");
            }
            for (String path : paths) {
                String id = sender.request(op("sendRequest", "path", path + "/x", "request", path));
                JsonNode request = nextRequest(handler);
                assertThat(request.path("handler").asText()).isEqualTo(path);
                handler.call(op("respond", "rid", request.path("rid").asText(), "response", "from b: " + request.path("request").asText()));
                JsonNode response = sender.await(m -> id.equals(m.path("id").asText()), Duration.ofSeconds(10));
                assertThat(response.path("response").asText()).as(response.toString()).isEqualTo("from b: " + path);
            }
            // A handler that goes mid-request: the sender on the other replica is told at once.
            String gone = sender.request(op("sendRequest", "path", paths.get(0), "request", 1, "timeout", 20_000));
            nextRequest(handler);
            long start = System.nanoTime();
            handler.close();
            JsonNode error = sender.await(m -> gone.equals(m.path("id").asText()), Duration.ofSeconds(10));
            assertThat(error.path("reason").asText()).as(error.toString()).isEqualTo("HANDLER_GONE");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(sender.call(op("sendRequest", "path", paths.get(1), "request", 1)).path("reason").asText()).isEqualTo("NO_HANDLER");
        }
    }

    @Test
    void aRequestToASessionOnTheOtherReplica() {
        try (JsonWebSocket target = JsonWebSocket.connect(b.wsUrl() + "/v1/ws");
             JsonWebSocket sender = JsonWebSocket.connect(a.wsUrl() + "/v1/ws")) {
            String sessionId = target.call(op("addRequestStream", "path", "cluster/dm")).path("sessionId").asText();
            String id = sender.request(op("sendToSession", "sessionId", sessionId, "path", "cluster/dm", "request", "ping"));
            target.call(op("respond", "rid", nextRequest(target).path("rid").asText(), "response", "pong"));
            JsonNode response = sender.await(m -> id.equals(m.path("id").asText()), Duration.ofSeconds(10));
            assertThat(response.path("sessionId").asText()).isEqualTo(sessionId);
            assertThat(response.path("response").asText()).isEqualTo("pong");
        }
    }
}
