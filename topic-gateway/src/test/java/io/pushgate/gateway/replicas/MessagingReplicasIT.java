package io.pushgate.gateway.replicas;

import static io.pushgate.testsupport.JsonWebSocket.op;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.testsupport.JsonWebSocket;
import io.pushgate.testsupport.ServiceProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Request/response messaging between two gateway processes on one real Redis: the handler on one
 * replica and the sender on the other, through the handler registry and the replicas' inbox
 * channels. Every failure shows across the hop: a handler's rejection, a handler that disconnects
 * mid-request, a timeout, no handler, a replica SIGKILLed with its handler.
 */
class MessagingReplicasIT extends TwoReplicas {

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static JsonWebSocket handlerOn(ServiceProcess gateway, String path) {
        JsonWebSocket handler = JsonWebSocket.connect(gateway.wsUrl() + "/v1/ws");
        JsonNode ok = handler.call(op("addRequestHandler", "path", path));
        assertThat(ok.path("type").asText()).as(ok.toString()).isEqualTo("ok");
        return handler;
    }

    private static JsonNode nextRequest(JsonWebSocket handler) {
        return handler.await(m -> m.path("type").asText().equals("request"), Duration.ofSeconds(10));
    }

    private static JsonNode reply(JsonWebSocket sender, String id) {
        return sender.await(m -> id.equals(m.path("id").asText()), Duration.ofSeconds(15));
    }

    private static void error(JsonNode reply, String code, String reason) {
        assertThat(reply.path("type").asText()).as(reply.toString()).isEqualTo("error");
        assertThat(reply.path("code").asText()).as(reply.toString()).isEqualTo(code);
        assertThat(reply.path("reason").asText()).as(reply.toString()).isEqualTo(reason);
    }

    @Test
    void theHandlerOnTheOtherReplicaAnswers() throws Exception {
        String path = unique("quotes");
        try (JsonWebSocket handler = handlerOn(b, path);
             JsonWebSocket sender = JsonWebSocket.connect(a.wsUrl() + "/v1/ws")) {
            for (int i = 0; i < 20; i++) {
                String id = sender.request(op("sendRequest", "path", path + "/btc", "request", Map.of("n", i)));
                JsonNode request = nextRequest(handler);
                assertThat(request.path("request").path("n").asInt()).isEqualTo(i);
                handler.call(op("respond", "rid", request.path("rid").asText(), "response", Map.of("n", i, "price", 43000 + i)));
                JsonNode response = reply(sender, id);
                assertThat(response.path("type").asText()).as(response.toString()).isEqualTo("response");
                assertThat(response.path("response").path("price").asInt()).isEqualTo(43000 + i);
            }
            // A backend over REST on replica a, the handler on b.
            CompletableFuture<HttpResponse<String>> rest = HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(
                            URI.create(a.httpUrl() + "/v1/messaging/requests/" + path + "?timeout=5000"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"from\":\"rest\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode request = nextRequest(handler);
            assertThat(request.path("request").path("from").asText()).isEqualTo("rest");
            handler.call(op("respond", "rid", request.path("rid").asText(), "response", "from b"));
            HttpResponse<String> answer = rest.get();
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(answer.body()).contains("\"response\":\"from b\"");
        }
    }

    @Test
    void aHandlerFailureDisconnectAndTimeoutReachTheSenderOnTheOtherReplica() {
        String path = unique("orders");
        try (JsonWebSocket sender = JsonWebSocket.connect(a.wsUrl() + "/v1/ws")) {
            JsonWebSocket handler = handlerOn(b, path);
            String rejected = sender.request(op("sendRequest", "path", path, "request", "bad order"));
            handler.call(op("reject", "rid", nextRequest(handler).path("rid").asText(), "message", "unknown product"));
            JsonNode rejection = reply(sender, rejected);
            error(rejection, "INVALID", "REJECTED");
            assertThat(rejection.path("message").asText()).isEqualTo("unknown product");

            long start = System.nanoTime();
            error(sender.call(op("sendRequest", "path", path, "request", "slow", "timeout", 500)), "UNAVAILABLE", "TIMEOUT");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(490), Duration.ofSeconds(5));
            nextRequest(handler);

            String gone = sender.request(op("sendRequest", "path", path, "request", "never answered", "timeout", 20_000));
            nextRequest(handler);
            start = System.nanoTime();
            handler.close();
            error(reply(sender, gone), "UNAVAILABLE", "HANDLER_GONE");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("at once, not at the timeout").isLessThan(Duration.ofSeconds(5));
            // The registry forgot it: no handler anywhere.
            error(sender.call(op("sendRequest", "path", path, "request", 1)), "NOT_FOUND", "NO_HANDLER");
        }
    }

    @Test
    void theMostSpecificHandlerAnswersWhicheverReplicaHoldsItAndALocalOneIsPreferred() {
        String root = unique("svc");
        try (JsonWebSocket general = handlerOn(a, root);
             JsonWebSocket specificB = handlerOn(b, root + "/special");
             JsonWebSocket sameOnA = handlerOn(a, root + "/shared");
             JsonWebSocket sameOnB = handlerOn(b, root + "/shared");
             JsonWebSocket sender = JsonWebSocket.connect(a.wsUrl() + "/v1/ws")) {
            String toSpecial = sender.request(op("sendRequest", "path", root + "/special/x", "request", 1));
            JsonNode request = nextRequest(specificB);
            assertThat(request.path("handler").asText()).isEqualTo(root + "/special");
            specificB.call(op("respond", "rid", request.path("rid").asText(), "response", "special"));
            assertThat(reply(sender, toSpecial).path("response").asText()).isEqualTo("special");

            String toGeneral = sender.request(op("sendRequest", "path", root + "/other", "request", 2));
            general.call(op("respond", "rid", nextRequest(general).path("rid").asText(), "response", "general"));
            assertThat(reply(sender, toGeneral).path("response").asText()).isEqualTo("general");

            // Handlers for one path on both replicas: the sender's own replica answers, each request once.
            Set<String> answered = new HashSet<>();
            for (int i = 0; i < 5; i++) {
                String id = sender.request(op("sendRequest", "path", root + "/shared", "request", i));
                sameOnA.call(op("respond", "rid", nextRequest(sameOnA).path("rid").asText(), "response", "a" + i));
                answered.add(reply(sender, id).path("response").asText());
            }
            assertThat(answered).containsExactlyInAnyOrder("a0", "a1", "a2", "a3", "a4");
            sameOnB.call(op("ping"));
            assertThat(sameOnB.drain()).noneMatch(m -> m.path("type").asText().equals("request"));
        }
    }

    @Test
    void aRequestToASessionOnTheOtherReplica() {
        String path = unique("chat");
        try (JsonWebSocket target = JsonWebSocket.connect(b.wsUrl() + "/v1/ws");
             JsonWebSocket sender = JsonWebSocket.connect(a.wsUrl() + "/v1/ws")) {
            String sessionId = target.call(op("addRequestStream", "path", path)).path("sessionId").asText();
            String id = sender.request(op("sendToSession", "sessionId", sessionId, "path", path, "request", "ping"));
            JsonNode request = nextRequest(target);
            assertThat(request.path("stream").asText()).isEqualTo(path);
            target.call(op("respond", "rid", request.path("rid").asText(), "response", "pong"));
            JsonNode response = reply(sender, id);
            assertThat(response.path("sessionId").asText()).isEqualTo(sessionId);
            assertThat(response.path("response").asText()).isEqualTo("pong");
            error(sender.call(op("sendToSession", "sessionId", sessionId, "path", unique("none"), "request", 1)), "NOT_FOUND",
                    "NO_REQUEST_STREAM");
            String missing = sessionId.substring(0, sessionId.indexOf('-')) + "-99999999";
            error(sender.call(op("sendToSession", "sessionId", missing, "path", path, "request", 1)), "NOT_FOUND", "NO_SESSION");
            String gone = sender.request(op("sendToSession", "sessionId", sessionId, "path", path, "request", "again", "timeout", 20_000));
            nextRequest(target);
            target.close();
            error(reply(sender, gone), "UNAVAILABLE", "SESSION_GONE");
        }
    }

    @Test
    void aRequestToASessionFilterReachesItsSessionsOnBothReplicas() {
        String room = unique("room");
        String properties = "?properties=" + java.net.URLEncoder.encode("{\"room\":\"" + room + "\"}", java.nio.charset.StandardCharsets.UTF_8);
        try (JsonWebSocket onA = JsonWebSocket.connect(a.wsUrl() + "/v1/ws" + properties);
             JsonWebSocket onB = JsonWebSocket.connect(b.wsUrl() + "/v1/ws" + properties);
             JsonWebSocket sender = JsonWebSocket.connect(a.wsUrl() + "/v1/ws")) {
            String idA = onA.call(op("addRequestStream", "path", "who")).path("sessionId").asText();
            String idB = onB.call(op("addRequestStream", "path", "who")).path("sessionId").asText();
            String filter = "room is '" + room + "'";
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).until(() ->
                    sender.call(op("listSessions", "filter", filter)).path("sessions").size() == 2);
            String id = sender.request(op("sendToFilter", "filter", filter, "path", "who", "request", "here?"));
            onA.call(op("respond", "rid", nextRequest(onA).path("rid").asText(), "response", "a"));
            onB.call(op("respond", "rid", nextRequest(onB).path("rid").asText(), "response", "b"));
            JsonNode done = reply(sender, id);
            assertThat(done.path("type").asText()).as(done.toString()).isEqualTo("ok");
            assertThat(done.path("count").asInt()).isEqualTo(2);
            assertThat(done.path("responses").asInt()).isEqualTo(2);
            Map<String, String> answers = new java.util.HashMap<>();
            sender.drain().stream().filter(m -> m.path("type").asText().equals("filterResponse"))
                    .forEach(m -> answers.put(m.path("sessionId").asText(), m.path("response").asText()));
            assertThat(answers).isEqualTo(Map.of(idA, "a", idB, "b"));
        }
    }

    @Test
    void aSigkilledReplicasHandlerFailsRequestsAtOnceAndLeavesTheRegistryWithinItsTtl() {
        String path = unique("doomed");
        // A third replica whose registrations count for 2 s without renewal (renewed every 500 ms).
        ServiceProcess c = new ServiceProcess("gateway-c", ServiceProcess.jarOf("topic-gateway"), io.pushgate.testsupport.RedisServer.freePort(),
                Map.of("quarkus.redis.hosts", redis.uri(), "gateway.security.anonymous-roles", "ADMINISTRATOR",
                        "gateway.messaging.registry-ttl", "2s", "gateway.messaging.registry-refresh", "500ms"));
        try (c; JsonWebSocket sender = JsonWebSocket.connect(a.wsUrl() + "/v1/ws")) {
            c.start();
            JsonWebSocket handler = handlerOn(c, path);
            String id = sender.request(op("sendRequest", "path", path, "request", 1));
            handler.call(op("respond", "rid", nextRequest(handler).path("rid").asText(), "response", "alive"));
            assertThat(reply(sender, id).path("response").asText()).isEqualTo("alive");
            // Outlives a renewal: the registration stays while the replica lives.
            sleepPastRenewals();
            String again = sender.request(op("sendRequest", "path", path, "request", 2));
            handler.call(op("respond", "rid", nextRequest(handler).path("rid").asText(), "response", "still alive"));
            assertThat(reply(sender, again).path("response").asText()).isEqualTo("still alive");

            String inFlight = sender.request(op("sendRequest", "path", path, "request", 3, "timeout", 3000));
            nextRequest(handler);
            c.kill();
            // The request the dead replica held ends at its timeout at the latest.
            error(reply(sender, inFlight), "UNAVAILABLE", "TIMEOUT");
            // Its registration may still count, but nobody listens on its inbox: told at once, never a hang.
            long start = System.nanoTime();
            JsonNode next = sender.call(op("sendRequest", "path", path, "request", 4, "timeout", 20_000));
            assertThat(next.path("reason").asText()).as(next.toString()).isIn("HANDLER_GONE", "NO_HANDLER");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            // Within the ttl of its last renewal the registry forgets it: no handler anywhere.
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(6)).until(() ->
                    sender.call(op("sendRequest", "path", path, "request", 5)).path("reason").asText().equals("NO_HANDLER"));
            handler.close();
        }
    }

    /** Longer than the 2 s ttl of gateway-c, so that only renewals keep its registration. */
    private static void sleepPastRenewals() {
        long until = System.nanoTime() + Duration.ofMillis(2500).toNanos();
        org.awaitility.Awaitility.await().pollInterval(Duration.ofMillis(100)).atMost(Duration.ofSeconds(4))
                .until(() -> System.nanoTime() >= until);
    }
}
