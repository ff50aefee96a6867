package io.pushgate.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.gateway.health.StoreHealth;
import io.pushgate.gateway.redis.WriteStats;
import io.pushgate.gateway.sessions.GatewayStats;
import io.pushgate.gateway.transport.GatewayTestBase;
import io.pushgate.testsupport.JsonWebSocket;
import io.pushgate.testsupport.RedisTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Flow control of writes (gateway.redis.write-backlog): a client that writes faster than Redis
 * stores is slowed down, not refused. While Redis is busy (DEBUG SLEEP), the gateway stops
 * reading the writer's requests once its backlog waits; when Redis is back every write is
 * stored and acknowledged, none refused, and a reader on the same gateway is served throughout.
 */
@QuarkusTest
@TestProfile(WriteFlowControlTest.SmallBacklog.class)
class WriteFlowControlTest extends GatewayTestBase {

    static final int BACKLOG = 16;
    static final int WRITES = 3000;

    public static class SmallBacklog implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.redis.write-backlog", String.valueOf(BACKLOG),
                    "gateway.limits.max-requests-per-second", "1000000", "gateway.limits.request-burst", "1000000");
        }
    }

    @Inject
    GatewayStats stats;

    @Inject
    StoreHealth store;

    @Inject
    WriteStats writeStats;

    @Test
    void aWriterFasterThanRedisIsSlowedDownNotRefused() throws Exception {
        String path = unique("flow");
        JsonWebSocket writer = connect();
        JsonWebSocket reader = connect();
        writer.call(op("add", "topic", path, "spec", Map.of("type", "INT64")));
        reader.call(op("subscribe", "selector", path));
        // Redis busy for 2 s (a script that runs that long, from another connection): nothing the
        // gateway sends is stored meanwhile.
        CompletableFuture<Void> sleep = CompletableFuture.runAsync(() -> busyRedis(2000));
        Thread.sleep(200);
        long requestsBefore = stats.requests.sum();
        CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
            for (int i = 1; i <= WRITES; i++) {
                writer.request(op("set", "id", "w" + i, "topic", path, "value", i));
            }
        });
        Thread.sleep(1200);
        long readWhileBusy = stats.requests.sum() - requestsBefore;
        // The gateway stopped reading the writer: at most the backlog and what was in flight were taken in.
        assertThat(readWhileBusy).as("requests read while Redis was busy").isLessThan(WRITES / 4);
        assertThat(store.isFollowingChanges()).isTrue();
        sleep.join();
        sending.get(30, java.util.concurrent.TimeUnit.SECONDS);
        for (int i = 1; i <= WRITES; i++) {
            String id = "w" + i;
            JsonNode reply = writer.await(m -> id.equals(m.path("id").asText()), Duration.ofSeconds(30));
            assertThat(reply.path("type").asText()).as("reply to %s: %s", id, reply).isEqualTo("ok");
        }
        assertThat(writer.call(op("fetch", "selector", path)).path("results").get(0).path("value").asLong()).isEqualTo(WRITES);
        // The reader got the last value (conflation may skip some on the way).
        reader.await(m -> m.path("value").asLong() == WRITES, Duration.ofSeconds(10));
        assertThat(writeStats.unavailable.sum()).isZero();
    }

    /** Keeps Redis busy for {@code millis} with a script that loops that long (Redis runs one command at a time). */
    private static void busyRedis(int millis) {
        String script = "local t = redis.call('TIME') local stop = t[1] * 1000000 + t[2] + " + millis * 1000L
                + " repeat t = redis.call('TIME') until t[1] * 1000000 + t[2] >= stop return 1";
        try (Socket socket = new Socket("127.0.0.1", RedisTestResource.current().port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("EVAL \"" + script + "\" 0\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.getInputStream().read();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
