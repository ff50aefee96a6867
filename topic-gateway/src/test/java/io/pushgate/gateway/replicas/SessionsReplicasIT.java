package io.pushgate.gateway.replicas;

import static io.pushgate.testsupport.JsonWebSocket.op;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.testsupport.JsonWebSocket;
import io.pushgate.testsupport.RedisServer;
import io.pushgate.testsupport.ServiceProcess;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Session control across two replicas: a controller on replica A lists, changes, subscribes,
 * unsubscribes and closes a session held by replica B (over the WebSocket ops and over REST), and
 * the sessions of a SIGKILLed replica leave the listing within its configured directory ttl.
 * (Anonymous sessions are administrators here; the permission checks are in PermissionMatrixTest.)
 */
class SessionsReplicasIT extends TwoReplicas {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static String properties(String json) {
        return "?properties=" + URLEncoder.encode(json, StandardCharsets.UTF_8);
    }

    /** The sessions the filter selects, as replica A lists them. */
    private static List<JsonNode> list(JsonWebSocket controller, String filter) {
        JsonNode reply = controller.call(op("listSessions", "filter", filter));
        assertThat(reply.path("type").asText()).as(reply.toString()).isEqualTo("sessions");
        List<JsonNode> out = new ArrayList<>();
        reply.path("sessions").forEach(out::add);
        return out;
    }

    private static JsonNode awaitOne(JsonWebSocket controller, String filter) {
        List<JsonNode> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            found.clear();
            found.addAll(list(controller, filter));
            return found.size() == 1;
        });
        return found.get(0);
    }

    @Test
    void aControllerOnOneReplicaListsAndActsOnASessionOfTheOther() {
        try (JsonWebSocket controller = JsonWebSocket.connect(a.wsUrl() + "/v1/ws" + properties("{\"role\":\"controller\"}"));
             JsonWebSocket target = JsonWebSocket.connect(b.wsUrl() + "/v1/ws" + properties("{\"country\":\"UK\",\"team\":\"red\"}"));
             JsonWebSocket other = JsonWebSocket.connect(b.wsUrl() + "/v1/ws" + properties("{\"country\":\"FR\"}"))) {
            controller.call(op("set", "topic", "control-ws/room", "value", Map.of("n", 1), "spec", Map.of("type", "JSON")));

            // list: the session on B, with its fixed and user properties, found from A
            JsonNode entry = awaitOne(controller, "country eq 'UK' and $Transport eq 'WEBSOCKET'");
            String sessionId = entry.path("sessionId").asText();
            JsonNode props = entry.path("properties");
            assertThat(props.path("$SessionId").asText()).isEqualTo(sessionId);
            assertThat(props.path("$Principal").asText()).isEqualTo("anonymous");
            assertThat(props.path("$Roles").asText()).isEqualTo("\"ADMINISTRATOR\"");
            assertThat(props.path("$Transport").asText()).isEqualTo("WEBSOCKET");
            assertThat(props.path("$ClientIP").asText()).isEqualTo("127.0.0.1");
            assertThat(props.path("$StartTime").asLong()).isPositive();
            assertThat(props.path("team").asText()).isEqualTo("red");
            assertThat(entry.path("subscriptions").asInt()).isZero();
            String replicaB = entry.path("replica").asText();
            assertThat(sessionId).startsWith(replicaB + "-");
            JsonNode controllerEntry = awaitOne(controller, "role is 'controller'");
            assertThat(controllerEntry.path("replica").asText()).as("A and B are different replicas").isNotEqualTo(replicaB);

            // subscribe B's session from A: it receives the topic
            JsonNode ok = controller.call(op("subscribeSessions", "sessionId", sessionId, "selector", "?control-ws//"));
            assertThat(ok.path("type").asText()).as(ok.toString()).isEqualTo("ok");
            assertThat(ok.path("sessions").asInt()).isEqualTo(1);
            assertThat(target.awaitType("subscription").path("topic").asText()).isEqualTo("control-ws/room");
            assertThat(target.awaitType("value").path("value").path("n").asInt()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> awaitOne(controller, "$SessionId is '" + sessionId + "'")
                    .path("subscriptions").asInt() == 1);

            // unsubscribe it again
            ok = controller.call(op("unsubscribeSessions", "sessionId", sessionId, "selector", "?control-ws//"));
            assertThat(ok.path("sessions").asInt()).isEqualTo(1);
            assertThat(target.awaitType("unsubscribed").path("topic").asText()).isEqualTo("control-ws/room");

            // set its user properties: the listing and the filters see them
            ok = controller.call(op("setSessionProperties", "sessionId", sessionId, "properties", Map.of("team", "blue", "muted", "yes")));
            assertThat(ok.path("sessions").asInt()).as(ok.toString()).isEqualTo(1);
            JsonNode changed = awaitOne(controller, "team is 'blue' and muted is 'yes'");
            assertThat(changed.path("sessionId").asText()).isEqualTo(sessionId);
            assertThat(changed.path("properties").path("country").asText()).isEqualTo("UK");

            // close it by filter, with the close code that says not to reconnect at once
            ok = controller.call(op("closeSessions", "filter", "muted is 'yes'", "reason", "muted by a moderator"));
            assertThat(ok.path("sessions").asInt()).as(ok.toString()).isEqualTo(1);
            assertThat(target.closed().orTimeout(10, TimeUnit.SECONDS).join()[0]).isEqualTo(4101);
            await().atMost(Duration.ofSeconds(10)).until(() -> list(controller, "muted is 'yes'").isEmpty());
            assertThat(list(controller, "country is 'FR'")).as("the other session of B is still there").hasSize(1);

            // a session id that is no longer there: NOT_FOUND
            JsonNode gone = controller.call(op("closeSessions", "sessionId", sessionId));
            assertThat(gone.path("code").asText()).isEqualTo("NOT_FOUND");
            JsonNode bad = controller.call(op("listSessions", "filter", "country eq"));
            assertThat(bad.path("code").asText()).isEqualTo("INVALID");
            assertThat(bad.path("message").asText()).isEqualTo("session filter: line 1, column 11: expected a quoted value after country eq, not the end of the filter");
        }
    }

    @Test
    void anSseSessionIsListedWithItsPropertiesAndClosedWithAnEventThatSaysSo() {
        String url = b.httpUrl() + "/v1/sse?selector=" + URLEncoder.encode(">control-sse/t", StandardCharsets.UTF_8)
                + "&properties=" + URLEncoder.encode("{\"kind\":\"sse-test\"}", StandardCharsets.UTF_8);
        try (JsonWebSocket controller = JsonWebSocket.connect(a.wsUrl() + "/v1/ws");
             io.pushgate.testsupport.SseClient stream = io.pushgate.testsupport.SseClient.connect(url)) {
            assertThat(stream.status()).isEqualTo(200);
            JsonNode entry = awaitOne(controller, "kind is 'sse-test' and $Transport is 'SSE'");
            assertThat(entry.path("properties").path("$Principal").asText()).isEqualTo("anonymous");
            JsonNode ok = controller.call(op("closeSessions", "sessionId", entry.path("sessionId").asText(), "reason", "bye"));
            assertThat(ok.path("sessions").asInt()).as(ok.toString()).isEqualTo(1);
            io.pushgate.testsupport.SseClient.Event close = stream.awaitEvent("close");
            assertThat(close.data().path("code").asInt()).isEqualTo(4101);
            assertThat(close.data().path("reason").asText()).isEqualTo("bye");
        }
    }

    @Test
    void aBackendDoesTheSameOverRest() throws Exception {
        try (JsonWebSocket target = JsonWebSocket.connect(b.wsUrl() + "/v1/ws" + properties("{\"client\":\"rest-test\"}"))) {
            String filter = URLEncoder.encode("client is 'rest-test'", StandardCharsets.UTF_8);
            JsonNode[] found = new JsonNode[1];
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                JsonNode body = get(a.httpUrl() + "/v1/sessions?filter=" + filter);
                found[0] = body.path("sessions");
                return found[0].size() == 1;
            });
            String sessionId = found[0].get(0).path("sessionId").asText();
            assertThat(get(a.httpUrl() + "/v1/sessions/" + sessionId).path("sessionId").asText()).isEqualTo(sessionId);

            post(a.httpUrl() + "/v1/sessions/subscribe", "{\"sessionId\":\"" + sessionId + "\",\"selector\":\">control-rest/t\"}", 200);
            try (JsonWebSocket writer = JsonWebSocket.connect(a.wsUrl() + "/v1/ws")) {
                writer.call(op("set", "topic", "control-rest/t", "value", "x", "spec", Map.of("type", "STRING")));
            }
            assertThat(target.awaitType("subscription").path("topic").asText()).isEqualTo("control-rest/t");
            post(a.httpUrl() + "/v1/sessions/unsubscribe", "{\"filter\":\"client is 'rest-test'\",\"selector\":\">control-rest/t\"}", 200);
            assertThat(target.awaitType("unsubscribed").path("topic").asText()).isEqualTo("control-rest/t");
            JsonNode set = post(a.httpUrl() + "/v1/sessions/properties", "{\"sessionId\":\"" + sessionId + "\",\"properties\":{\"client\":null,\"x\":\"1\"}}", 200);
            assertThat(set.path("sessions").asInt()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> get(a.httpUrl() + "/v1/sessions/" + sessionId).path("properties").path("x").asText().equals("1"));
            assertThat(get(a.httpUrl() + "/v1/sessions/" + sessionId).path("properties").has("client")).isFalse();
            JsonNode closed = post(a.httpUrl() + "/v1/sessions/close", "{\"sessionId\":\"" + sessionId + "\"}", 200);
            assertThat(closed.path("sessions").asInt()).isEqualTo(1);
            assertThat(target.closed().orTimeout(10, TimeUnit.SECONDS).join()[0]).isEqualTo(4101);
            post(a.httpUrl() + "/v1/sessions/close", "{\"filter\":\"x is \"}", 400);
            post(a.httpUrl() + "/v1/sessions/properties", "{\"filter\":\"all\",\"properties\":{\"$Principal\":\"eve\"}}", 400);
        }
    }

    @Test
    void theSessionsOfASigkilledReplicaLeaveTheListingWithinTheTtl() {
        long ttlMillis = 3000;
        ServiceProcess c = new ServiceProcess("gateway-c", ServiceProcess.jarOf("topic-gateway"), RedisServer.freePort(),
                Map.of("quarkus.redis.hosts", redis.uri(), "gateway.security.anonymous-roles", "ADMINISTRATOR",
                        "gateway.sessions.directory-ttl", ttlMillis + "ms", "gateway.sessions.directory-heartbeat", "1s")).start();
        try (JsonWebSocket controller = JsonWebSocket.connect(a.wsUrl() + "/v1/ws")) {
            JsonWebSocket onC = JsonWebSocket.connect(c.wsUrl() + "/v1/ws" + properties("{\"doomed\":\"1\"}"));
            JsonWebSocket onC2 = JsonWebSocket.connect(c.wsUrl() + "/v1/ws" + properties("{\"doomed\":\"2\"}"));
            await().atMost(Duration.ofSeconds(10)).until(() -> list(controller, "doomed in ['1', '2']").size() == 2);
            c.kill();
            long killedAt = System.nanoTime();
            await().atMost(Duration.ofMillis(ttlMillis + 3000)).pollInterval(Duration.ofMillis(100))
                    .until(() -> list(controller, "doomed in ['1', '2']").isEmpty());
            long goneAfter = (System.nanoTime() - killedAt) / 1_000_000;
            System.out.printf("sessions of the SIGKILLed replica gone from the listing %d ms after the kill (ttl %d ms)%n", goneAfter, ttlMillis);
            assertThat(goneAfter).isLessThanOrEqualTo(ttlMillis + 1000);
            // An operation by filter on them now finds nobody and does not wait on the dead replica.
            JsonNode ok = controller.call(op("closeSessions", "filter", "doomed in ['1', '2']"));
            assertThat(ok.path("sessions").asInt()).isZero();
            onC.close();
            onC2.close();
        } finally {
            c.close();
        }
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(java.net.URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return io.pushgate.protocol.Json.MAPPER.readTree(response.body());
    }

    private static JsonNode post(String url, String body, int status) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(java.net.URI.create(url))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return io.pushgate.protocol.Json.MAPPER.readTree(response.body());
    }
}
