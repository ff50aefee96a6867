package io.pushgate.gateway.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.gateway.transport.GatewayTestBase;
import io.pushgate.testsupport.JsonWebSocket;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Messaging over the WebSocket and REST of one gateway (real sockets, real Redis), with small
 * limits so that each one shows: requests and responses, each failure with its reason, every
 * limit. Across two replicas: {@code replicas.MessagingReplicasIT}; permissions:
 * {@code security.PermissionMatrixTest}.
 */
@QuarkusTest
@TestProfile(MessagingGatewayTest.SmallLimits.class)
class MessagingGatewayTest extends GatewayTestBase {

    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "gateway.messaging.max-pending-per-session", "3",
                    "gateway.messaging.max-unanswered-per-session", "2",
                    "gateway.messaging.max-handlers-per-session", "2",
                    "gateway.messaging.max-request-bytes", "1000",
                    "gateway.messaging.max-response-bytes", "500",
                    "gateway.messaging.default-timeout", "1500ms",
                    "gateway.messaging.max-timeout", "3s");
        }
    }

    private JsonWebSocket handler(String path) {
        JsonWebSocket handler = connect();
        ok(handler.call(op("addRequestHandler", "path", path)));
        return handler;
    }

    private static void ok(JsonNode reply) {
        assertThat(reply.path("type").asText()).as(reply.toString()).isEqualTo("ok");
    }

    private static JsonNode request(JsonWebSocket handler) {
        return handler.await(m -> m.path("type").asText().equals("request"), Duration.ofSeconds(10));
    }

    private static void error(JsonNode reply, String code, String reason) {
        assertThat(reply.path("type").asText()).as(reply.toString()).isEqualTo("error");
        assertThat(reply.path("code").asText()).as(reply.toString()).isEqualTo(code);
        if (reason != null) {
            assertThat(reply.path("reason").asText()).as(reply.toString()).isEqualTo(reason);
        }
    }

    @Test
    void aRequestGetsTheHandlersResponse() {
        String path = unique("svc") + "/echo";
        JsonWebSocket handler = handler(path);
        JsonWebSocket sender = connect();
        String id = sender.request(op("sendRequest", "path", path + "/deeper", "request", Map.of("q", "hello")));
        JsonNode request = request(handler);
        assertThat(request.path("path").asText()).isEqualTo(path + "/deeper");
        assertThat(request.path("handler").asText()).isEqualTo(path);
        assertThat(request.path("request").path("q").asText()).isEqualTo("hello");
        assertThat(request.path("sessionId").asText()).matches("[0-9a-f]+-\\d+");
        assertThat(request.path("principal").asText()).isEqualTo("anonymous");
        ok(handler.call(op("respond", "rid", request.path("rid").asText(), "response", Map.of("a", "world"))));
        JsonNode response = sender.await(m -> id.equals(m.path("id").asText()), Duration.ofSeconds(10));
        assertThat(response.path("type").asText()).isEqualTo("response");
        assertThat(response.path("path").asText()).isEqualTo(path + "/deeper");
        assertThat(response.path("response").path("a").asText()).isEqualTo("world");
        // Answered once: a second answer is refused.
        error(handler.call(op("respond", "rid", request.path("rid").asText(), "response", 1)), "NOT_FOUND", null);
    }

    @Test
    void eachFailureSaysWhichItIs() throws Exception {
        String path = unique("svc");
        JsonWebSocket sender = connect();
        error(sender.call(op("sendRequest", "path", path, "request", 1)), "NOT_FOUND", "NO_HANDLER");

        JsonWebSocket handler = handler(path);
        String rejected = sender.request(op("sendRequest", "path", path, "request", 2));
        ok(handler.call(op("reject", "rid", request(handler).path("rid").asText(), "message", "no such order")));
        JsonNode reply = sender.await(m -> rejected.equals(m.path("id").asText()), Duration.ofSeconds(10));
        error(reply, "INVALID", "REJECTED");
        assertThat(reply.path("message").asText()).isEqualTo("no such order");

        long start = System.nanoTime();
        JsonNode timedOut = sender.call(op("sendRequest", "path", path, "request", 3, "timeout", 300));
        error(timedOut, "UNAVAILABLE", "TIMEOUT");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(290), Duration.ofSeconds(3));
        request(handler);

        // The handler goes mid-request: the sender is told at once, long before the timeout.
        String gone = sender.request(op("sendRequest", "path", path, "request", 4, "timeout", 3000));
        request(handler);
        start = System.nanoTime();
        handler.close();
        error(sender.await(m -> gone.equals(m.path("id").asText()), Duration.ofSeconds(10)), "UNAVAILABLE", "HANDLER_GONE");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
        error(sender.call(op("sendRequest", "path", path, "request", 5)), "NOT_FOUND", "NO_HANDLER");
    }

    @Test
    void aRequestToASessionByItsIdReachesItsStream() {
        String path = unique("chat");
        JsonWebSocket target = connect();
        JsonNode stream = target.call(op("addRequestStream", "path", path));
        ok(stream);
        String sessionId = stream.path("sessionId").asText();
        JsonWebSocket sender = connect();
        String id = sender.request(op("sendToSession", "sessionId", sessionId, "path", path + "/ping", "request", "are you there"));
        JsonNode request = request(target);
        assertThat(request.path("stream").asText()).isEqualTo(path);
        ok(target.call(op("respond", "rid", request.path("rid").asText(), "response", "yes")));
        JsonNode response = sender.await(m -> id.equals(m.path("id").asText()), Duration.ofSeconds(10));
        assertThat(response.path("type").asText()).isEqualTo("response");
        assertThat(response.path("sessionId").asText()).isEqualTo(sessionId);
        assertThat(response.path("response").asText()).isEqualTo("yes");

        error(sender.call(op("sendToSession", "sessionId", sessionId, "path", unique("other"), "request", 1)), "NOT_FOUND", "NO_REQUEST_STREAM");
        ok(target.call(op("removeRequestStream", "path", path)));
        error(sender.call(op("sendToSession", "sessionId", sessionId, "path", path, "request", 1)), "NOT_FOUND", "NO_REQUEST_STREAM");
        String unknown = sessionId.substring(0, sessionId.indexOf('-')) + "-999999";
        error(sender.call(op("sendToSession", "sessionId", unknown, "path", path, "request", 1)), "NOT_FOUND", "NO_SESSION");
        error(sender.call(op("sendToSession", "sessionId", "0123456789abcdef-1", "path", path, "request", 1)), "NOT_FOUND", "NO_SESSION");
        error(sender.call(op("sendToSession", "sessionId", "nonsense", "path", path, "request", 1)), "INVALID", null);
    }

    @Test
    void backendsSendOverRest() throws Exception {
        String path = unique("svc");
        JsonWebSocket handler = handler(path);
        CompletableFuture<Response> answer = CompletableFuture.supplyAsync(() -> given().contentType("application/json")
                .body("{\"sku\":42}").post("/v1/messaging/requests/" + path + "?timeout=2000"));
        JsonNode request = request(handler);
        assertThat(request.path("request").path("sku").asInt()).isEqualTo(42);
        assertThat(request.has("sessionId")).as("a REST caller has no session").isFalse();
        ok(handler.call(op("respond", "rid", request.path("rid").asText(), "response", Map.of("stock", 7))));
        Response response = answer.get();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.jsonPath().getInt("response.stock")).isEqualTo(7);
        assertThat(response.jsonPath().getString("path")).isEqualTo(path);

        Response none = given().contentType("application/json").body("1").post("/v1/messaging/requests/" + unique("nobody"));
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(none.jsonPath().getString("reason")).isEqualTo("NO_HANDLER");
        Response timedOut = given().contentType("application/json").body("1").post("/v1/messaging/requests/" + path + "?timeout=200");
        assertThat(timedOut.statusCode()).isEqualTo(503);
        assertThat(timedOut.jsonPath().getString("reason")).isEqualTo("TIMEOUT");
        assertThat(given().contentType("application/json").body("\"" + "x".repeat(1000) + "\"")
                .post("/v1/messaging/requests/" + path).statusCode()).isEqualTo(413);
        assertThat(given().contentType("application/json").body("").post("/v1/messaging/requests/" + path).statusCode()).isEqualTo(400);
        assertThat(given().contentType("application/json").body("1").post("/v1/messaging/requests/" + path + "?timeout=3001")
                .statusCode()).isEqualTo(400);

        JsonWebSocket target = connect();
        String sessionId = target.call(op("addRequestStream", "path", path)).path("sessionId").asText();
        CompletableFuture<Response> toSession = CompletableFuture.supplyAsync(() -> given().contentType("application/json")
                .body("\"hi\"").post("/v1/messaging/sessions/" + sessionId + "/" + path));
        ok(target.call(op("respond", "rid", request(target).path("rid").asText(), "response", "hello")));
        Response fromSession = toSession.get();
        assertThat(fromSession.statusCode()).isEqualTo(200);
        assertThat(fromSession.jsonPath().getString("sessionId")).isEqualTo(sessionId);
        assertThat(fromSession.jsonPath().getString("response")).isEqualTo("hello");
    }

    @Test
    void aRequestToASessionFilterReachesEverySessionItSelects() throws Exception {
        String room = unique("room");
        String properties = "properties=" + java.net.URLEncoder.encode("{\"room\":\"" + room + "\"}", java.nio.charset.StandardCharsets.UTF_8);
        JsonWebSocket alice = connect(properties);
        JsonWebSocket bob = connect(properties);
        JsonWebSocket listener = connect(properties);
        String aliceId = alice.call(op("addRequestStream", "path", "presence")).path("sessionId").asText();
        String bobId = bob.call(op("addRequestStream", "path", "presence")).path("sessionId").asText();
        String listenerId = listener.call(op("ping")).path("type").asText();
        assertThat(listenerId).isEqualTo("pong");
        JsonWebSocket sender = connect();
        String filter = "room is '" + room + "'";
        // The directory lists a session once it has been registered: wait until all three are there.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                sender.call(op("listSessions", "filter", filter)).path("sessions").size() == 3);
        // A session's messaging id is its $SessionId.
        assertThat(sender.call(op("listSessions", "filter", filter)).path("sessions").findValuesAsText("sessionId")).contains(aliceId, bobId);
        String id = sender.request(op("sendToFilter", "filter", filter, "path", "presence/ping", "request", "who is here?"));
        alice.call(op("respond", "rid", request(alice).path("rid").asText(), "response", "alice"));
        bob.call(op("reject", "rid", request(bob).path("rid").asText(), "message", "not now"));
        JsonNode done = sender.await(m -> id.equals(m.path("id").asText()), Duration.ofSeconds(10));
        assertThat(done.path("type").asText()).as(done.toString()).isEqualTo("ok");
        assertThat(done.path("count").asInt()).isEqualTo(3);
        assertThat(done.path("responses").asInt()).isEqualTo(1);
        assertThat(done.path("errors").asInt()).isEqualTo(2);
        java.util.List<JsonNode> each = sender.drain().stream().filter(m -> m.path("type").asText().equals("filterResponse")).toList();
        assertThat(each).hasSize(3).allSatisfy(m -> assertThat(m.path("for").asText()).isEqualTo(id));
        Map<String, JsonNode> bySession = new java.util.HashMap<>();
        each.forEach(m -> bySession.put(m.path("sessionId").asText(), m));
        assertThat(bySession.get(aliceId).path("response").asText()).isEqualTo("alice");
        assertThat(bySession.get(bobId).path("error").path("reason").asText()).isEqualTo("REJECTED");
        assertThat(bySession.values()).filteredOn(m -> m.path("error").path("reason").asText().equals("NO_REQUEST_STREAM")).hasSize(1);

        // Over REST, collected.
        CompletableFuture<Response> rest = CompletableFuture.supplyAsync(() -> given().contentType("application/json").body("\"rest?\"")
                .queryParam("filter", filter).post("/v1/messaging/filter/presence"));
        alice.call(op("respond", "rid", request(alice).path("rid").asText(), "response", "alice again"));
        bob.call(op("respond", "rid", request(bob).path("rid").asText(), "response", "bob"));
        Response collected = rest.get();
        assertThat(collected.statusCode()).as(collected.asString()).isEqualTo(200);
        assertThat(collected.jsonPath().getInt("count")).isEqualTo(3);
        assertThat(collected.asString()).contains("\"response\":\"alice again\"").contains("\"response\":\"bob\"").contains("NO_REQUEST_STREAM");

        error(sender.call(op("sendToFilter", "filter", "room is", "path", "presence", "request", 1)), "INVALID", null);
        JsonNode none = sender.call(op("sendToFilter", "filter", "room is 'nobody-" + room + "'", "path", "presence", "request", 1));
        assertThat(none.path("count").asInt()).as(none.toString()).isZero();
    }

    @Test
    void everyLimitIsConfigurationAndRefusedClearly() {
        String path = unique("svc");
        JsonWebSocket handler = handler(path);
        ok(handler.call(op("addRequestHandler", "path", path + "-2")));
        error(handler.call(op("addRequestHandler", "path", path + "-3")), "RATE_LIMITED", null);
        JsonWebSocket sender = connect();
        error(sender.call(op("sendRequest", "path", path, "request", "x".repeat(1000))), "TOO_LARGE", null);
        error(sender.call(op("sendRequest", "path", path, "request", 1, "timeout", 3001)), "INVALID", null);
        error(sender.call(op("sendRequest", "path", path, "request", 1, "timeout", "soon")), "INVALID", null);
        error(sender.call(op("sendRequest", "path", path)), "INVALID", null);

        // The handler may hold 2 unanswered: the third gets BUSY.
        String first = sender.request(op("sendRequest", "path", path, "request", 1));
        String second = sender.request(op("sendRequest", "path", path, "request", 2));
        JsonNode r1 = request(handler);
        request(handler);
        error(sender.call(op("sendRequest", "path", path, "request", 3)), "RATE_LIMITED", "BUSY");
        // A response over 500 bytes is refused; a smaller one goes.
        error(handler.call(op("respond", "rid", r1.path("rid").asText(), "response", "y".repeat(500))), "TOO_LARGE", null);
        ok(handler.call(op("respond", "rid", r1.path("rid").asText(), "response", "small")));
        assertThat(sender.await(m -> first.equals(m.path("id").asText()), Duration.ofSeconds(10)).path("response").asText()).isEqualTo("small");

        // The sender may await 3 at once: with two waiting (second, and one to a silent handler), one more, then RATE_LIMITED.
        JsonWebSocket silent = handler(path + "-silent");
        sender.request(op("sendRequest", "path", path + "-silent", "request", 4));
        sender.request(op("sendRequest", "path", path + "-silent", "request", 5));
        request(silent);
        request(silent);
        error(sender.call(op("sendRequest", "path", path + "-silent", "request", 6)), "RATE_LIMITED", null);
        // The default timeout (1.5 s) frees them.
        JsonNode late = sender.await(m -> second.equals(m.path("id").asText()), Duration.ofSeconds(10));
        error(late, "UNAVAILABLE", "TIMEOUT");
    }
}
