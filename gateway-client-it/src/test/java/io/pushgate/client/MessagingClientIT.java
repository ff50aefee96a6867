package io.pushgate.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.testsupport.RedisServer;
import io.pushgate.testsupport.ServiceProcess;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client's request/response messaging against a real gateway process on a real Redis: a
 * backend's handler answers browsers' requests; a session answers requests sent to it by id.
 */
class MessagingClientIT {

    private static RedisServer redis;
    private static ServiceProcess gateway;
    private final List<PushgateClient> clients = new ArrayList<>();

    @BeforeAll
    static void start() {
        redis = new RedisServer().start();
        gateway = new ServiceProcess("gateway", ServiceProcess.jarOf("topic-gateway"), RedisServer.freePort(),
                Map.of("quarkus.redis.hosts", redis.uri(), "gateway.security.anonymous-roles", "ADMINISTRATOR")).start();
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.stop();
        }
        if (redis != null) {
            redis.stop();
        }
    }

    @AfterEach
    void closeClients() {
        clients.forEach(PushgateClient::close);
    }

    private PushgateClient connect() {
        PushgateClient client = PushgateClient.builder(URI.create(gateway.wsUrl() + "/v1/ws")).connect();
        clients.add(client);
        return client;
    }

    private PushgateClient connectWith(Map<String, String> properties) {
        PushgateClient client = PushgateClient.builder(URI.create(gateway.wsUrl() + "/v1/ws")).sessionProperties(properties).connect();
        clients.add(client);
        return client;
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static MessagingException failure(CompletableFuture<?> future) {
        Throwable error = catchThrowable(future::join);
        assertThat(error).isInstanceOf(CompletionException.class);
        assertThat(error.getCause()).isInstanceOf(MessagingException.class);
        return (MessagingException) error.getCause();
    }

    @Test
    void aHandlerAnswersARequestAndAFailingHandlerRejectsIt() {
        String path = unique("pricing");
        PushgateClient backend = connect();
        PushgateClient browser = connect();
        AtomicReference<MessageRequest> seen = new AtomicReference<>();
        backend.addRequestHandler(path, request -> {
            seen.set(request);
            if (request.value().path("sku").asText().equals("unknown")) {
                throw new IllegalArgumentException("no such product");
            }
            return CompletableFuture.completedFuture(Map.of("sku", request.value().path("sku").asText(), "price", 12.5));
        }).join();

        JsonNode response = browser.sendRequest(path + "/eu", Map.of("sku", "A1")).join();
        assertThat(response.path("price").asDouble()).isEqualTo(12.5);
        assertThat(seen.get().path()).isEqualTo(path + "/eu");
        assertThat(seen.get().registration()).isEqualTo(path);
        assertThat(seen.get().sessionId()).matches("[0-9a-f]+-\\d+");

        MessagingException rejected = failure(browser.sendRequest(path, Map.of("sku", "unknown")));
        assertThat(rejected.reason()).isEqualTo("REJECTED");
        assertThat(rejected.getMessage()).isEqualTo("no such product");

        MessagingException none = failure(browser.sendRequest(unique("nobody"), 1));
        assertThat(none.reason()).isEqualTo("NO_HANDLER");
        assertThat(none.code()).isEqualTo(ErrorCode.NOT_FOUND);

        backend.removeRequestHandler(path).join();
        assertThat(failure(browser.sendRequest(path, Map.of("sku", "A1"))).reason()).isEqualTo("NO_HANDLER");
    }

    @Test
    void aSlowHandlerTimesOutAtTheSendersTimeout() {
        String path = unique("slow");
        PushgateClient backend = connect();
        PushgateClient browser = connect();
        backend.addRequestHandler(path, request -> new CompletableFuture<>()).join();
        long start = System.nanoTime();
        MessagingException late = failure(browser.sendRequest(path, "anyone?", Duration.ofMillis(400)));
        assertThat(late.reason()).isEqualTo("TIMEOUT");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(390), Duration.ofSeconds(5));
    }

    @Test
    void aRequestToASessionFilterGetsEachSessionsAnswer() {
        String room = unique("room");
        String path = unique("who");
        PushgateClient alice = connectWith(Map.of("room", room));
        PushgateClient bob = connectWith(Map.of("room", room));
        PushgateClient moderator = connect();
        String aliceId = alice.addRequestStream(path, request -> CompletableFuture.completedFuture("alice")).join();
        String bobId = bob.addRequestStream(path, request -> CompletableFuture.failedFuture(new IllegalStateException("away"))).join();
        String filter = "room is '" + room + "'";
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> moderator.listSessions(filter).join().size() == 2);
        List<SessionResponse> answers = moderator.sendToFilter(filter, path, "here?", Duration.ofSeconds(5)).join();
        assertThat(answers).extracting(SessionResponse::sessionId).containsExactlyInAnyOrder(aliceId, bobId);
        for (SessionResponse answer : answers) {
            if (answer.sessionId().equals(aliceId)) {
                assertThat(answer.response().asText()).isEqualTo("alice");
            } else {
                assertThat(answer.error()).isInstanceOf(MessagingException.class);
                assertThat(((MessagingException) answer.error()).reason()).isEqualTo("REJECTED");
            }
        }
    }

    @Test
    void aSessionAnswersRequestsSentToItById() {
        String path = unique("chat");
        PushgateClient alice = connect();
        PushgateClient bob = connect();
        String aliceId = alice.addRequestStream(path, request -> CompletableFuture.completedFuture("hello " + request.value().asText())).join();
        assertThat(aliceId).matches("[0-9a-f]+-\\d+");
        assertThat(bob.sendToSession(aliceId, path + "/dm", "bob", Duration.ofSeconds(5)).join().asText()).isEqualTo("hello bob");
        alice.removeRequestStream(path).join();
        assertThat(failure(bob.sendToSession(aliceId, path, "bob", Duration.ofSeconds(5))).reason()).isEqualTo("NO_REQUEST_STREAM");
    }
}
