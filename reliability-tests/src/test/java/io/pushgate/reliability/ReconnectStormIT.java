package io.pushgate.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pushgate.protocol.Json;
import io.pushgate.reliability.support.ProcessStats;
import io.pushgate.reliability.support.Results;
import io.pushgate.reliability.support.Services;
import io.pushgate.testsupport.Http;
import io.pushgate.testsupport.JsonWebSocket;
import io.pushgate.testsupport.RedisServer;
import io.pushgate.testsupport.ServiceProcess;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;


/**
 * 5,000 WebSocket clients (Vert.x, from five loopback source addresses) connected to one gateway
 * and subscribed to a topic; the gateway is stopped with SIGTERM (each client gets close code 4000)
 * and started again on the same port, while every client reconnects at once and then with jittered
 * backoff (100 ms doubling to 2 s, each wait a random time between half and all of that, as the
 * Java client does). All must be back and receiving within a stated time, and the gateway must
 * stay up.
 *
 * <p>The clients are raw Vert.x WebSockets, not the project's own clients, and the test's name says
 * so: a {@code PushgateClient} is a JDK {@code HttpClient} (its own selector thread) and three
 * executors, so 5,000 of them would be some 20,000 threads on a 2-core machine, measuring the load
 * generator rather than the gateway; and Java 17's {@code HttpClient} cannot choose its source
 * address, which the storm needs to spread 5,000 connections over five loopback addresses. What
 * the Java client does on a restart (its own backoff, resubscription, values after the gap) is
 * shown by gateway-client-it's {@code ReconnectIT} and {@code ReplicaFailoverIT}; the browser
 * library's by client-web's {@code GatewayRestartIT}.
 */
class ReconnectStormIT {

    private static final int CLIENTS = 5000;
    private static final List<String> SOURCES = List.of("127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5", "127.0.0.6");
    /** The promise this test states: every client back within this time of the new gateway process starting. */
    private static final Duration BACK_WITHIN = Duration.ofSeconds(30);

    @Test
    void fiveThousandRawWebSocketClientsAreBackSoonAfterTheGatewayRestarts() throws Exception {
        Results results = new Results("reconnect-storm");
        RedisServer redis = new RedisServer().start();
        Vertx vertx = Vertx.vertx();
        List<Storm> started = new ArrayList<>();
        try (Services services = new Services("ReconnectStormIT")) {
            ServiceProcess gateway = services.gateway(redis.uri(), Map.of("gateway.limits.max-connections-per-address", "2000"));
            Services.startAll(gateway);
            try (JsonWebSocket writer = JsonWebSocket.connect(gateway.wsUrl() + "/v1/ws")) {
                writer.call(Map.of("op", "set", "topic", "storm/topic", "spec", Map.of("type", "JSON"), "value", Map.of("n", 1)));
            }
            results.put("gatewayRssMbIdle", ProcessStats.rssKb(gateway.pid()) / 1024);

            Storm storm = new Storm(vertx, gateway.port());
            started.add(storm);
            long start = System.nanoTime();
            storm.connectAll();
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> storm.subscribed() == CLIENTS);
            results.put("initialConnectAllMs", Results.millis(start, System.nanoTime()));
            results.put("gatewayRssMbWith5000", ProcessStats.rssKb(gateway.pid()) / 1024);
            results.put("gatewayWith5000", ProcessStats.of(gateway.pid()).asMap());
            storm.resetCounters();

            // SIGTERM: every client is told 4000 and reconnects at once, then with backoff
            long term = System.nanoTime();
            CompletableFuture<Void> stopped = CompletableFuture.runAsync(gateway::stop);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> storm.subscribed() == 0);
            results.put("allDisconnectedAfterSigtermMs", Results.millis(term, System.nanoTime()));
            stopped.join();
            long down = System.nanoTime();
            results.put("gatewayExitedAfterSigtermMs", Results.millis(term, down));
            results.put("closeCodes", storm.closeCodes());

            // started again on the same port; the clients come back as soon as it accepts them
            CompletableFuture<Long> readyAt = CompletableFuture.supplyAsync(() -> {
                gateway.start();
                return System.nanoTime();
            });
            await().atMost(BACK_WITHIN.plusSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> storm.subscribed() == CLIENTS);
            long back = System.nanoTime();
            results.put("allBackAfterNewProcessStartMs", Results.millis(down, back));
            results.put("allBackAfterSigtermMs", Results.millis(term, back));
            long ready = readyAt.get(60, TimeUnit.SECONDS);
            results.put("gatewayReadyAfterNewProcessStartMs", Results.millis(down, ready));
            results.put("connectAttemptsDuringTheStorm", storm.attempts());
            results.put("refusedAttempts", storm.failures());

            // and receiving: one update reaches every client
            try (JsonWebSocket writer = JsonWebSocket.connect(gateway.wsUrl() + "/v1/ws")) {
                writer.call(Map.of("op", "set", "topic", "storm/topic", "value", Map.of("n", 2)));
            }
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> storm.receivedTwo() == CLIENTS);
            results.put("updateReachedAllAfterMs", Results.millis(back, System.nanoTime()));
            results.put("gatewayAfterStorm", ProcessStats.of(gateway.pid()).asMap());

            SoftAssertions soft = new SoftAssertions();
            soft.assertThat(Results.millis(down, back)).as("every client back within %s of the new process starting", BACK_WITHIN)
                    .isLessThanOrEqualTo(BACK_WITHIN.toMillis());
            // shutdown.delay (1 s) + closing the sessions (at most 5 s) + margin; nothing else is in flight
            soft.assertThat(Results.millis(term, down)).as("the gateway exits within 10 s of SIGTERM").isLessThanOrEqualTo(10_000L);
            soft.assertThat(storm.closeCodes()).as("close codes the clients got on SIGTERM").containsOnlyKeys(4000);
            soft.assertThat(Http.ready(gateway.httpUrl())).as("health after the storm").isEqualTo(200);
            soft.assertThat(gateway.isAlive()).isTrue();
            soft.assertThat(Services.errorLines(gateway)).as("errors in the gateway's log").isEmpty();
            results.write();
            soft.assertAll();
        } finally {
            started.forEach(Storm::close);
            vertx.close().toCompletionStage().toCompletableFuture().join();
            results.write();
            redis.stop();
        }
    }

    /** The clients: connect, subscribe, and on any close reconnect with jittered backoff. */
    private static final class Storm {
        private final Vertx vertx;
        private final int port;
        private final List<WebSocketClient> clients = new ArrayList<>();
        private final AtomicInteger subscribed = new AtomicInteger();
        private final AtomicInteger receivedTwo = new AtomicInteger();
        private final AtomicInteger attempts = new AtomicInteger();
        private final AtomicInteger failures = new AtomicInteger();
        private final Map<Integer, AtomicInteger> closeCodes = new ConcurrentHashMap<>();
        private final List<WebSocket> open = new ArrayList<>();
        private volatile boolean closing;

        Storm(Vertx vertx, int port) {
            this.vertx = vertx;
            this.port = port;
            for (String source : SOURCES) {
                clients.add(vertx.createWebSocketClient(new WebSocketClientOptions().setLocalAddress(source)
                        .setMaxConnections(1_000_000).setConnectTimeout(15_000).setTcpNoDelay(true)));
            }
        }

        void connectAll() {
            for (int i = 0; i < CLIENTS; i++) {
                connect(i, 0);
            }
        }

        private void connect(int i, int attempt) {
            if (closing) {
                return;
            }
            attempts.incrementAndGet();
            boolean[] isSubscribed = {false};
            clients.get(i % clients.size()).connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
                    .setURI("/v1/ws").setTimeout(15_000)).onSuccess(ws -> {
                        synchronized (open) {
                            open.add(ws);
                        }
                        ws.textMessageHandler(text -> {
                            var m = Json.parse(text);
                            if ("ok".equals(m.path("type").asText()) && "s".equals(m.path("id").asText())) {
                                isSubscribed[0] = true;
                                subscribed.incrementAndGet();
                            } else if ("value".equals(m.path("type").asText()) && m.path("value").path("n").asInt() == 2) {
                                receivedTwo.incrementAndGet();
                            }
                        });
                        ws.closeHandler(v -> {
                            synchronized (open) {
                                open.remove(ws);
                            }
                            if (isSubscribed[0]) {
                                subscribed.decrementAndGet();
                            }
                            Short code = ws.closeStatusCode();
                            closeCodes.computeIfAbsent(code == null ? -1 : (int) code, c -> new AtomicInteger()).incrementAndGet();
                            connect(i, 0); // 4000: reconnect at once
                        });
                        ws.writeTextMessage("{\"op\":\"subscribe\",\"id\":\"s\",\"selector\":\">storm/topic\"}");
                    }).onFailure(error -> {
                        failures.incrementAndGet();
                        long cap = Math.min(2000, 100L << Math.min(attempt, 5));
                        long delay = Math.max(1, (long) (cap * (0.5 + ThreadLocalRandom.current().nextDouble() / 2)));
                        vertx.setTimer(delay, id -> connect(i, attempt + 1));
                    });
        }

        int subscribed() {
            return subscribed.get();
        }

        int receivedTwo() {
            return receivedTwo.get();
        }

        int attempts() {
            return attempts.get();
        }

        int failures() {
            return failures.get();
        }

        Map<Integer, Integer> closeCodes() {
            Map<Integer, Integer> m = new TreeMap<>();
            closeCodes.forEach((k, v) -> m.put(k, v.get()));
            return m;
        }

        void resetCounters() {
            attempts.set(0);
            failures.set(0);
            closeCodes.clear();
        }

        void close() {
            closing = true;
            List<WebSocket> all;
            synchronized (open) {
                all = new ArrayList<>(open);
            }
            all.forEach(ws -> ws.close());
            clients.forEach(WebSocketClient::close);
        }
    }
}
