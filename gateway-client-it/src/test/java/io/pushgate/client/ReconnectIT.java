package io.pushgate.client;

import static io.pushgate.client.PushgateClientIT.codeOf;
import static io.pushgate.client.PushgateClientIT.seqsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.delta.DeltaFormat;
import io.pushgate.testsupport.RedisServer;
import io.pushgate.testsupport.ServiceProcess;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reconnection against a real gateway process that is killed (or stopped) and started again on
 * the same port, with its state in a real redis-server that stays up.
 */
class ReconnectIT {

    private static RedisServer redis;
    private static ServiceProcess gateway;

    private final List<PushgateClient> clients = new ArrayList<>();

    @BeforeAll
    static void start() {
        redis = new RedisServer().start();
        gateway = new ServiceProcess("gateway", ServiceProcess.jarOf("topic-gateway"), RedisServer.freePort(),
                Map.of("quarkus.redis.hosts", redis.uri(),
                "gateway.security.anonymous-roles", "ADMINISTRATOR",
                // thousands of quick requests: above the default rate limit, which is not under test here
                "gateway.limits.max-requests-per-second", "100000", "gateway.limits.request-burst", "100000")).start();
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
        if (!gateway.isAlive()) {
            gateway.start();
        }
    }

    private PushgateClient connect(DeltaFormat format, Duration requestTimeout) {
        PushgateClient client = PushgateClient.builder(URI.create(gateway.wsUrl()))
                .deltaFormat(format)
                .reconnect(Duration.ofMillis(100), Duration.ofSeconds(1))
                .requestTimeout(requestTimeout)
                .connect();
        clients.add(client);
        return client;
    }

    @Test
    void afterTheGatewayIsKilledAndRestartedTheClientResubscribesByItself() {
        PushgateClient publisher = connect(DeltaFormat.NONE, Duration.ofSeconds(10));
        PushgateClient subscriber = connect(DeltaFormat.FOSSIL, Duration.ofSeconds(10));
        List<ConnectionState> states = Collections.synchronizedList(new ArrayList<>());
        subscriber.onConnectionState(states::add);
        String topic = "reconnect-kill/doc";
        publisher.set(topic, Map.of("n", 0, "text", "a value that stays the same"), "JSON").join();
        publisher.set(topic, Map.of("n", 1, "text", "a value that stays the same")).join();
        Recorder recorder = new Recorder();
        Subscription subscription = subscriber.subscribe("?reconnect-kill//", recorder).join();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(recorder.seqs).containsEntry(topic, 2L));

        gateway.kill();
        await().atMost(Duration.ofSeconds(10)).until(() -> subscriber.state() == ConnectionState.RECONNECTING);
        // while the gateway is away, requests fail at once; the subscription stays
        assertThat(codeOf(subscriber.set(topic, Map.of("n", -1)))).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(subscription.isOpen()).isTrue();

        gateway.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> subscriber.state() == ConnectionState.CONNECTED
                && publisher.state() == ConnectionState.CONNECTED);
        for (int n = 2; n <= 10; n++) {
            publisher.set(topic, Map.of("n", n, "text", "a value that stays the same")).join();
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(recorder.seqs).containsEntry(topic, 11L));

        JsonNode fetched = publisher.fetch(">" + topic).join().get(0).value();
        assertThat(recorder.values.get(topic)).isEqualTo(fetched).isEqualTo(Json.parse("{\"n\":10,\"text\":\"a value that stays the same\"}"));
        // never a lower seq; the current value may come again right after the reconnection
        assertThat(seqsOf(recorder, topic)).isSorted().contains(2L, 3L, 11L);
        assertThat(recorder.events()).noneMatch(e -> e.endsWith("REMOVED"));
        assertThat(states).containsSubsequence(ConnectionState.RECONNECTING, ConnectionState.CONNECTED);
        assertThat(subscriber.stats().reconnections()).isGreaterThanOrEqualTo(1);
        assertThat(subscription.topics()).containsExactly(topic);
    }

    @Test
    void afterAGracefulRestartTheClientComesBackToo() {
        PushgateClient subscriber = connect(DeltaFormat.JSON_PATCH, Duration.ofSeconds(10));
        String topic = "reconnect-stop/n";
        subscriber.set(topic, 1, "INT64").join();
        Recorder recorder = new Recorder();
        subscriber.subscribe(">" + topic, recorder).join();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(recorder.seqs).containsEntry(topic, 1L));

        gateway.stop();
        await().atMost(Duration.ofSeconds(10)).until(() -> subscriber.state() != ConnectionState.CONNECTED);
        assertThat(subscriber.state())
                .as("a gateway shutting down must close with a code that means reconnect (4000, 1001), not 1000")
                .isEqualTo(ConnectionState.RECONNECTING);
        gateway.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> subscriber.state() == ConnectionState.CONNECTED);
        assertThat(subscriber.set(topic, 2).join()).isEqualTo(2L);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(recorder.seqs).containsEntry(topic, 2L));
    }

    @Test
    void requestsInFlightWhenTheConnectionDropsFailWithUnavailableAndNoneHangs() {
        // the request timeout is far longer than the test: a failure here comes from the drop
        PushgateClient client = connect(DeltaFormat.JSON_PATCH, Duration.ofMinutes(5));
        String topic = "reconnect-inflight/n";
        client.set(topic, 0, "INT64").join();
        List<CompletableFuture<Long>> sets = new ArrayList<>();
        for (int i = 1; i <= 2000; i++) {
            sets.add(client.set(topic, i));
        }
        gateway.kill();
        await().atMost(Duration.ofSeconds(15)).until(() -> sets.stream().allMatch(CompletableFuture::isDone));
        long failed = 0;
        for (CompletableFuture<Long> set : sets) {
            try {
                set.join();
            } catch (CompletionException e) {
                assertThat(e.getCause()).isInstanceOf(PushgateException.class);
                assertThat(((PushgateException) e.getCause()).code()).isEqualTo(ErrorCode.UNAVAILABLE);
                failed++;
            }
        }
        assertThat(failed).as("requests cut off by the kill").isPositive();
    }
}
