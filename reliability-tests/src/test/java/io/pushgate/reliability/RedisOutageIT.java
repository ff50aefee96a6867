package io.pushgate.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.reliability.support.Results;
import io.pushgate.reliability.support.Services;
import io.pushgate.reliability.support.Sleep;
import io.pushgate.testsupport.Http;
import io.pushgate.testsupport.JsonWebSocket;
import io.pushgate.testsupport.RedisServer;
import io.pushgate.testsupport.ServiceProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Redis, which holds the state of every replica, stopped for a while and started again on the same
 * port, under two gateway replicas with a subscriber each.
 *
 * <p>While Redis is down a gateway reports not-ready, keeps its sessions and subscriptions, answers
 * {@code fetch} from the tree it holds, and refuses every write with {@code UNAVAILABLE}: it never
 * acknowledges what it did not store. When Redis is back the gateway follows Redis: a Redis without
 * persistence comes back empty, so every topic goes away (subscribers get {@code unsubscribed
 * REMOVED}, selectors stay); a Redis with an append-only file comes back with every write it
 * acknowledged, and nothing changes for subscribers. Either way writes succeed again and both
 * replicas' subscribers see the same values.
 */
class RedisOutageIT {

    private static final Duration OUTAGE = Duration.ofSeconds(10);
    /** Shorter: what this variant adds is the state surviving, not the length of the wait. */
    private static final Duration PERSISTENT_OUTAGE = Duration.ofSeconds(5);
    private static final Map<String, Object> JSON = Map.of("type", "JSON");
    private static final Map<String, Object> SERIES = Map.of("type", "TIME_SERIES", "eventType", "JSON");

    @Test
    void redisStoppedForTenSecondsAndRestartedEmpty() {
        Results results = new Results("redis-outage-empty");
        RedisServer redis = new RedisServer().start();
        try (Services services = new Services("RedisOutageIT-empty")) {
            run(results, services, redis.uri(), redis::stop, redis::start, false, OUTAGE);
        } finally {
            results.write();
            redis.stop();
        }
    }

    @Test
    void redisWithAnAppendOnlyFileKeepsEveryAcknowledgedWriteAcrossTheOutage() {
        Results results = new Results("redis-outage-appendonly");
        RedisServer redis = new RedisServer().appendOnly().start();
        try (Services services = new Services("RedisOutageIT-appendonly")) {
            run(results, services, redis.uri(), redis::stop, redis::start, true, PERSISTENT_OUTAGE);
        } finally {
            results.write();
            redis.stop();
        }
    }

    private void run(Results results, Services services, String redisUri, Runnable stopRedis, Runnable startRedis,
            boolean persistent, Duration outage) {
        ServiceProcess g1 = services.gateway(redisUri, Map.of());
        ServiceProcess g2 = services.gateway(redisUri, Map.of());
        Services.startAll(g1, g2);

        try (JsonWebSocket s1 = JsonWebSocket.connect(g1.wsUrl() + "/v1/ws");
             JsonWebSocket s2 = JsonWebSocket.connect(g2.wsUrl() + "/v1/ws");
             JsonWebSocket w1 = JsonWebSocket.connect(g1.wsUrl() + "/v1/ws");
             JsonWebSocket w2 = JsonWebSocket.connect(g2.wsUrl() + "/v1/ws")) {
            assertOk(w1.call(Map.of("op", "set", "topic", "state/a", "spec", JSON, "value", Map.of("n", 1))));
            assertOk(w1.call(Map.of("op", "add", "topic", "state/log", "spec", SERIES)));
            assertOk(w1.call(Map.of("op", "append", "topic", "state/log", "value", Map.of("n", 1))));
            for (JsonWebSocket s : List.of(s1, s2)) {
                assertOk(s.call(Map.of("op", "subscribe", "selector", "?state//")));
                s.await(valueOf(s, "state/a", 1), Duration.ofSeconds(10));
            }

            // ---- Redis goes away
            long down = System.nanoTime();
            stopRedis.run();
            long notReady1 = awaitStatus(g1, 503, down);
            long notReady2 = awaitStatus(g2, 503, down);
            results.put("notReadyAfterMs", Math.max(notReady1, notReady2));

            SoftAssertions soft = new SoftAssertions();
            List<String> writeAnswers = new ArrayList<>();
            long slowestRefusalMs = 0;
            int attempts = 0;
            // writes through both replicas and both APIs, spread over the outage
            while (System.nanoTime() - down < outage.toNanos() - 1_500_000_000L) {
                attempts++;
                for (JsonWebSocket w : List.of(w1, w2)) {
                    for (Map<String, Object> write : List.<Map<String, Object>>of(
                            Map.of("op", "set", "topic", "state/a", "value", Map.of("down", attempts)),
                            Map.of("op", "append", "topic", "state/log", "value", Map.of("down", attempts)),
                            Map.of("op", "add", "topic", "state/down" + attempts, "spec", JSON))) {
                        long t = System.nanoTime();
                        JsonNode reply = w.call(write);
                        slowestRefusalMs = Math.max(slowestRefusalMs, Results.millis(t, System.nanoTime()));
                        writeAnswers.add(reply.path("type").asText() + " " + reply.path("code").asText());
                        soft.assertThat(reply.path("type").asText()).as("a write while Redis is down: %s", reply).isEqualTo("error");
                        soft.assertThat(reply.path("code").asText()).as("a write while Redis is down: %s", reply).isEqualTo("UNAVAILABLE");
                    }
                }
                Http.Answer rest = Http.put(g1.httpUrl() + "/v1/topics/state/a", "application/json", "{\"down\":\"rest\"}");
                writeAnswers.add("REST " + rest.status());
                soft.assertThat(rest.status()).as("REST PUT while Redis is down: %s", rest.body()).isEqualTo(503);
                soft.assertThat(rest.isJsonObject() && "UNAVAILABLE".equals(rest.json().path("code").asText()))
                        .as("REST body {code: UNAVAILABLE}: %s", rest.body()).isTrue();
                Sleep.millis(300);
            }
            results.put("writesRefusedWhileDown", writeAnswers.size());
            results.put("slowestRefusalMs", slowestRefusalMs);

            // the gateway keeps serving what it holds
            for (JsonWebSocket s : List.of(s1, s2)) {
                JsonNode fetched = s.call(Map.of("op", "fetch", "selector", ">state/a"));
                soft.assertThat(fetched.path("type").asText()).as("fetch while Redis is down: %s", fetched).isEqualTo("fetch");
                soft.assertThat(fetched.path("results").path(0).path("value").path("n").asInt()).as("fetch from memory: %s", fetched).isEqualTo(1);
                soft.assertThat(s.call(Map.of("op", "ping")).path("type").asText()).isEqualTo("pong");
                soft.assertThat(s.closed()).as("a subscriber's connection while Redis is down").isNotDone();
            }

            // ---- Redis comes back
            Sleep.until(down + outage.toNanos());
            long up = System.nanoTime();
            startRedis.run();
            results.put("redisDownForMs", Results.millis(down, up));
            long ready = Math.max(awaitStatus(g1, 200, up), awaitStatus(g2, 200, up));
            results.put("readyAgainAfterRedisStartMs", ready);

            // the first write that succeeds after the restart, through replica 1
            long firstWrite = -1;
            while (System.nanoTime() - up < 30_000_000_000L) {
                JsonNode r = w1.call(Map.of("op", "set", "topic", "state/a", "spec", JSON, "value", Map.of("n", 2)));
                if ("ok".equals(r.path("type").asText())) {
                    firstWrite = Results.millis(up, System.nanoTime());
                    break;
                }
                Sleep.millis(100);
            }
            results.put("firstWriteAcceptedAfterRedisStartMs", firstWrite);
            assertThat(firstWrite).as("a write succeeds within 30 s of Redis's restart").isGreaterThanOrEqualTo(0);

            long seen = Math.max(awaitMs(s1, valueOf(s1, "state/a", 2), up), awaitMs(s2, valueOf(s2, "state/a", 2), up));
            results.put("bothReplicasSubscribersHaveTheNewValueAfterRedisStartMs", seen);
            JsonNode viaG2 = w2.call(Map.of("op", "set", "topic", "state/a", "spec", JSON, "value", Map.of("n", 3)));
            assertOk(viaG2);
            s1.await(valueOf(s1, "state/a", 3), Duration.ofSeconds(10));
            s2.await(valueOf(s2, "state/a", 3), Duration.ofSeconds(10));

            // nothing written during the outage exists anywhere, and both replicas agree
            JsonNode f1 = s1.call(Map.of("op", "fetch", "selector", "?state//"));
            JsonNode f2 = s2.call(Map.of("op", "fetch", "selector", "?state//"));
            results.put("topicsAfterRestart", f1.path("results").size());
            soft.assertThat(f1.path("results")).as("both replicas hold the same topics and values").isEqualTo(f2.path("results"));
            soft.assertThat(f1.toString()).as("no write made while Redis was down appears").doesNotContain("down");
            JsonNode log = w1.call(Map.of("op", "range", "topic", "state/log", "fromLast", 100));
            List<JsonNode> everything = new ArrayList<>(s1.drain());
            everything.addAll(s2.drain());
            soft.assertThat(everything.toString()).as("no subscriber ever got a write made while Redis was down").doesNotContain("\"down\"");

            if (persistent) {
                soft.assertThat(f1.path("results").size()).as("with appendonly every topic survives").isEqualTo(2);
                soft.assertThat(log.path("events").size()).as("with appendonly the time series survives: %s", log).isEqualTo(1);
                soft.assertThat(everything).as("with appendonly no topic is removed")
                        .noneMatch(m -> "unsubscribed".equals(m.path("type").asText()));
                soft.assertThat(f1.path("results").path(0).path("seq").asLong()).as("seq continues: %s", f1).isEqualTo(3);
            } else {
                // Redis came back empty: the tree follows it, every topic went away
                long removed = everything.stream().filter(m -> "unsubscribed".equals(m.path("type").asText())
                        && "REMOVED".equals(m.path("reason").asText())).count();
                results.put("unsubscribedRemovedMessages", removed);
                soft.assertThat(f1.path("results").size()).as("only the topic written again exists: %s", f1).isEqualTo(1);
                soft.assertThat(log.path("type").asText()).as("the time series is gone: %s", log).isEqualTo("error");
                soft.assertThat(f1.path("results").path(0).path("seq").asLong()).as("seq starts again: %s", f1).isEqualTo(2);
            }
            soft.assertThat(g1.isAlive() && g2.isAlive()).isTrue();
            List<String> errors = new ArrayList<>(Services.errorLines(g1));
            errors.addAll(Services.errorLines(g2));
            results.put("gatewayLogErrorLines", errors);
            soft.assertThat(errors).as("errors in the gateways' logs").isEmpty();
            soft.assertAll();
        }
    }

    private static Predicate<JsonNode> valueOf(JsonWebSocket s, String topic, int n) {
        return m -> "value".equals(m.path("type").asText()) && m.path("value").path("n").asInt() == n;
    }

    private static void assertOk(JsonNode reply) {
        assertThat(reply.path("type").asText()).as("reply %s", reply).isEqualTo("ok");
    }

    /** Waits until the gateway's readiness has this status; the milliseconds since {@code from}. */
    private static long awaitStatus(ServiceProcess g, int status, long from) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> Http.ready(g.httpUrl()) == status);
        return Results.millis(from, System.nanoTime());
    }

    private static long awaitMs(JsonWebSocket s, Predicate<JsonNode> match, long from) {
        s.await(match, Duration.ofSeconds(20));
        return Results.millis(from, System.nanoTime());
    }
}
