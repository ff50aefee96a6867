package io.pushgate.support.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pushgate.support.backoff.Backoff;
import io.pushgate.testsupport.RedisServer;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamCommands;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.XGroupCreateArgs;
import io.quarkus.redis.datasource.stream.XReadGroupArgs;
import io.quarkus.redis.runtime.datasource.BlockingRedisDataSourceImpl;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The loop against a real redis-server: order, acknowledgement, retries, restarts, a lost group, abandoned entries. */
class StreamConsumerLoopTest {

    private static RedisServer server;
    private static Vertx vertx;
    private static Redis client;
    private static StreamCommands<String, String, String> commands;
    private static int streams;

    private final List<StreamConsumerLoop<String>> loops = new CopyOnWriteArrayList<>();
    private final String stream = "stream-" + (++streams);

    @BeforeAll
    static void startRedis() {
        server = new RedisServer().start();
        vertx = Vertx.vertx();
        client = Redis.createClient(vertx, new RedisOptions().setConnectionString(server.uri()).setMaxPoolWaiting(100));
        RedisDataSource redis = new BlockingRedisDataSourceImpl(vertx, client, RedisAPI.api(client), Duration.ofSeconds(10));
        commands = redis.stream(String.class, String.class, String.class);
    }

    @AfterAll
    static void stopRedis() {
        client.close();
        vertx.closeAndAwait();
        server.close();
    }

    @AfterEach
    void stopLoops() throws InterruptedException {
        for (StreamConsumerLoop<String> loop : loops) {
            loop.stop();
        }
    }

    private StreamConsumerLoop<String> loop(String consumer, Duration claimIdle, StreamConsumerLoop.EntryHandler<String> handler) {
        StreamConsumerLoop.Settings settings = new StreamConsumerLoop.Settings(stream, "group", consumer, "$", 10,
                Duration.ofMillis(100), claimIdle, "test-" + stream + "-" + consumer, Duration.ofSeconds(5));
        StreamConsumerLoop<String> loop = new StreamConsumerLoop<>(settings, commands,
                Backoff.exponential(Duration.ofMillis(10), Duration.ofMillis(50)), Clock.systemUTC(), handler);
        loops.add(loop);
        return loop;
    }

    /** A loop (consumer c1) that records each entry's value in {@code seen} and acknowledges it at once. */
    private StreamConsumerLoop<String> recordingAndAcking(Duration claimIdle, List<String> seen) {
        StreamConsumerLoop<String>[] self = new StreamConsumerLoop[1];
        self[0] = loop("c1", claimIdle, entry -> {
            seen.add(entry.payload().get("v"));
            self[0].ack(entry.id());
        });
        return self[0];
    }

    private String add(String value) {
        return commands.xadd(stream, Map.of("v", value));
    }

    private long pendingCount() {
        return commands.xpending(stream, "group").getPendingCount();
    }

    @Test
    void entriesAddedAfterTheStartAreHandledInOrderAndAcknowledgedByTheHandler() {
        List<String> seen = new CopyOnWriteArrayList<>();
        recordingAndAcking(Duration.ZERO, seen).start();
        await().until(() -> ":1".equals(server.command("EXISTS " + stream)));

        for (int i = 0; i < 25; i++) {
            add("m" + i);
        }

        await().untilAsserted(() -> assertThat(seen).hasSize(25));
        assertThat(seen).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 25).mapToObj(i -> "m" + i).toList());
        await().until(() -> pendingCount() == 0);
    }

    @Test
    void anEntryNotHandledIsReadAgainFirstAfterABackoffSoOrderIsKept() {
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicInteger refusals = new AtomicInteger(3);
        StreamConsumerLoop<String>[] self = new StreamConsumerLoop[1];
        self[0] = loop("c1", Duration.ZERO, entry -> {
            String v = entry.payload().get("v");
            if (v.equals("b") && refusals.getAndDecrement() > 0) {
                throw new EntryNotHandledException("next stage busy");
            }
            seen.add(v);
            self[0].ack(entry.id());
        });
        self[0].start();
        await().until(() -> ":1".equals(server.command("EXISTS " + stream)));

        add("a");
        add("b");
        add("c");

        await().untilAsserted(() -> assertThat(seen).containsExactly("a", "b", "c"));
        assertThat(refusals.get()).isNegative();
        await().until(() -> pendingCount() == 0);
    }

    @Test
    void whatWasReadAndNotAcknowledgedIsReadAgainWhenTheLoopStartsAgain() throws InterruptedException {
        List<String> seen = new CopyOnWriteArrayList<>();
        StreamConsumerLoop<String> forgetful = loop("c1", Duration.ZERO, entry -> seen.add(entry.payload().get("v")));
        forgetful.start();
        await().until(() -> ":1".equals(server.command("EXISTS " + stream)));
        add("x");
        add("y");
        await().untilAsserted(() -> assertThat(seen).containsExactly("x", "y"));
        forgetful.stop();
        assertThat(forgetful.running()).isFalse();
        assertThat(pendingCount()).isEqualTo(2);

        forgetful.start();
        add("z");

        await().untilAsserted(() -> assertThat(seen).containsExactly("x", "y", "x", "y", "z"));
    }

    @Test
    void aDeletedStreamGetsItsGroupBackFromTheStartSoNothingAddedAfterwardsIsSkipped() {
        List<String> seen = new CopyOnWriteArrayList<>();
        recordingAndAcking(Duration.ZERO, seen).start();
        await().until(() -> ":1".equals(server.command("EXISTS " + stream)));
        add("before");
        await().untilAsserted(() -> assertThat(seen).containsExactly("before"));

        server.command("DEL " + stream);
        add("after-1"); // the stream exists again, without the group: the loop reads NOGROUP
        add("after-2");

        await().untilAsserted(() -> assertThat(seen).containsExactly("before", "after-1", "after-2"));
    }

    @Test
    void entriesAnotherConsumerLeftPendingLongerThanClaimIdleAreClaimedAndHandled() {
        commands.xgroupCreate(stream, "group", "0", new XGroupCreateArgs().mkstream());
        add("abandoned");
        List<StreamMessage<String, String, String>> taken = commands.xreadgroup("group", "gone", stream, ">", new XReadGroupArgs().count(10));
        assertThat(taken).hasSize(1);

        List<String> seen = new CopyOnWriteArrayList<>();
        recordingAndAcking(Duration.ofMillis(200), seen).start();

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(seen).containsExactly("abandoned"));
        await().until(() -> pendingCount() == 0);
    }
}
