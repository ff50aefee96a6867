package io.pushgate.gateway.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pushgate.gateway.store.ChangeListeners;
import io.pushgate.gateway.topics.TopicChanges;
import io.pushgate.gateway.topics.TopicSpec;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.ProtocolException;
import io.pushgate.testsupport.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The write lanes against a real Redis, with the change listener following the channel as the
 * gateway does: sets made in one event-loop turn go as one batch, each change of a batch is
 * checked on its own, order is kept while many batches are in flight, and a crash of Redis
 * mid-batch leaves nothing acknowledged that Redis did not store.
 */
class WriteLanesTest {

    private static final String CHANNEL = "t:changes";
    private RedisServer redisServer;
    private Vertx vertx;
    private Redis redis;
    private RedisKeys keys;
    private WriteLanes lanes;
    private RedisChangeListener listener;
    /** One event loop for every write of a test, as one connection's writes are. */
    private io.vertx.core.Context loop;
    private final List<String> seen = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger batchesEnded = new AtomicInteger();

    @BeforeEach
    void start() {
        redisServer = new RedisServer().appendOnly().start();
        vertx = Vertx.vertx();
        redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(redisServer.uri()).setMaxPoolSize(8));
        keys = new RedisKeys("t");
        loop = vertx.getOrCreateContext();
    }

    private static final WriteLane.Limits DEFAULTS = new WriteLane.Limits(512, 1 << 20, 2, 100_000, 2_000);

    /** The lanes under test, and the listener that follows their change messages as the gateway's does. */
    private void lanes(WriteLane.Limits limits) {
        lanes = new WriteLanes(vertx, redis, keys, false, limits, List.of(RedisTopicStore.ADD, RedisTopicStore.REMOVE, RedisTopicStore.APPEND));
        listener = new RedisChangeListener(vertx, keys.channels(), keys.sharded(), RedisChangeListener.single(redisServer.uri()), 0,
                ChangeListeners.topicsOnly(new TopicChanges() {
            @Override
            public void added(String path, TopicSpec spec) {
                seen.add("A " + path);
            }

            @Override
            public void set(String path, long seq, String valueText) {
                seen.add("S " + path + " " + seq + " " + valueText);
            }

            @Override
            public void event(String path, long seq, long timeMillis, Long editOf, String author, String valueText) {
            }

            @Override
            public void removed(String path) {
                seen.add("R " + path);
            }

            @Override
            public void endOfBatch() {
                batchesEnded.incrementAndGet();
            }

            @Override
            public void resync() {
            }
        }), origin -> lanes.applied(origin));
        join(listener.start());
    }

    @AfterEach
    void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
        redisServer.stop();
    }

    @Test
    void setsMadeInOneTurnGoAsOneBatchAndARefusedChangeRefusesOnlyItself() {
        lanes(DEFAULTS);
        List<CompletableFuture<Long>> results = onLoop(() -> List.of(
                set("a", "{\"n\":1}", true, null),
                set("b", "{\"n\":1}", false, null),     // no such topic, no spec: NOT_FOUND
                set("c", "{\"n\":1}", true, 7L),         // ifSeq 7 on a new topic (seq 0): CONFLICT
                set("a", "{\"n\":2}", false, null)));
        assertThat(join(results.get(0))).isEqualTo(1);
        assertThat(failure(results.get(1)).code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(failure(results.get(2)).code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(join(results.get(3))).isEqualTo(2);
        assertThat(lanes.stats().batches.sum()).isEqualTo(1);
        assertThat(lanes.stats().batchedSets.sum()).isEqualTo(4);
        // One change message for the batch, its changes in the order applied, the refused ones left out;
        // c was added (the add is a step of its own) before its ifSeq was refused.
        await().atMost(Duration.ofSeconds(5)).until(() -> batchesEnded.get() == 1);
        assertThat(seen).containsExactly("A a", "S a 1 {\"n\":1}", "A c", "S a 2 {\"n\":2}");
        assertThat(seqOf("a")).isEqualTo("2");
        assertThat(redisServer.command("EXISTS t:topic:{b}")).isEqualTo(":0");
        assertThat(seqOf("c")).isEqualTo("0");
    }

    @Test
    void shardedOnOneRedisABatchGoesAsOneCallPerShardEachPublishedOnItsShardsChannel() {
        keys = new RedisKeys("t", 4);
        lanes(DEFAULTS);
        List<String> paths = java.util.stream.IntStream.range(0, 12).mapToObj(i -> "sharded/" + i).toList();
        long shards = paths.stream().mapToInt(keys::shardOf).distinct().count();
        assertThat(shards).as("12 paths over 4 shards").isGreaterThan(1);
        List<CompletableFuture<Long>> results = onLoop(() -> paths.stream().map(p -> set(p, "1", true, null)).toList());
        results.forEach(r -> assertThat(join(r)).isEqualTo(1));
        assertThat(lanes.stats().batches.sum()).isEqualTo(shards);
        // every change reached the listener, which follows every shard's channel with SSUBSCRIBE
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.stream().filter(e -> e.startsWith("S ")).count() == 12);
        for (String p : paths) {
            assertThat(seen).contains("S " + p + " 1 1");
            assertThat(redisServer.command("HGET " + keys.topic(p) + " seq")).isEqualTo("$1");
            assertThat(redisServer.command("SISMEMBER " + keys.indexOf(p) + " " + p)).isEqualTo(":1");
        }
        assertThat(keys.topic("sharded/0")).startsWith("t:{shard-").contains("}:topic:sharded/0");
    }

    @Test
    void aWriteThatNoReplicaConfirmsWithinTheWaitTimeoutIsRefusedNotAcknowledged() {
        // This Redis has no replica: WAIT 1 answers 0 after its timeout.
        lanes(DEFAULTS.withWait(1, 50));
        CompletableFuture<Long> result = onLoop(() -> set("waited", "1", true, null));
        ProtocolException refused = failure(result);
        assertThat(refused.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(refused.getMessage()).contains("confirmed by 0 of 1 replicas within 50 ms");
        assertThat(lanes.stats().notReplicated.sum()).isEqualTo(1);
        // it is stored on the master all the same (the answer says so)
        assertThat(seqOf("waited")).isEqualTo("1");
    }

    @Test
    void ifSeqIsExactWithinABatchAndAcrossBatches() {
        lanes(DEFAULTS);
        join(onLoop(() -> set("cas", "0", true, null)));
        List<CompletableFuture<Long>> chained = onLoop(() -> {
            List<CompletableFuture<Long>> list = new ArrayList<>();
            for (long expected = 1; expected <= 20; expected++) {
                list.add(set("cas", Long.toString(expected), false, expected));
            }
            return list;
        });
        for (int i = 0; i < chained.size(); i++) {
            assertThat(join(chained.get(i))).isEqualTo(i + 2);
        }
        // Five writers expecting seq 21, in one batch and in later ones: exactly one wins.
        List<CompletableFuture<Long>> racing = new ArrayList<>(onLoop(() -> List.of(set("cas", "99", false, 21L), set("cas", "98", false, 21L))));
        for (int i = 0; i < 3; i++) {
            racing.addAll(onLoop(() -> List.of(set("cas", "97", false, 21L))));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> racing.stream().allMatch(CompletableFuture::isDone));
        assertThat(join(racing.get(0))).isEqualTo(22);
        assertThat(racing.subList(1, 5)).allSatisfy(f -> assertThat(failure(f).code()).isEqualTo(ErrorCode.CONFLICT));
        assertThat(seqOf("cas")).isEqualTo("22");
    }

    @Test
    void writesKeepTheirOrderWhileManyBatchesAreInFlight() {
        lanes(new WriteLane.Limits(16, 1 << 20, 2, 100_000, 2_000));
        List<CompletableFuture<Long>> results = new ArrayList<>();
        // 2,000 sets of one topic over 100 turns, with an add and a remove of another topic in between:
        // the lane sends at most 2 calls at once, so most wait and leave in later batches.
        for (int turn = 0; turn < 100; turn++) {
            int t = turn;
            results.addAll(onLoop(() -> {
                List<CompletableFuture<Long>> list = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    list.add(set("order", Integer.toString(t * 20 + i), true, null));
                }
                if (t == 50) {
                    lanes.write("other", lane -> lane.run(RedisTopicStore.ADD, List.of(keys.topic("other"), keys.indexOf("other")),
                            List.of(CHANNEL, "other", "{\"type\":\"JSON\"}", "JSON", "1")));
                }
                return list;
            }));
        }
        for (int i = 0; i < results.size(); i++) {
            assertThat(join(results.get(i))).as("seq of write %d", i).isEqualTo(i + 1);
        }
        assertThat(seqOf("order")).isEqualTo("2000");
        assertThat(lanes.stats().batches.sum()).isGreaterThan(100).isLessThan(2000);
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.stream().filter(s -> s.startsWith("S order ")).count() == 2000);
        List<String> order = seen.stream().filter(s -> s.startsWith("S order ") || s.equals("A other")).toList();
        // The add of "other" was made after write 1,019 and before write 1,020, and is seen so.
        assertThat(order.get(1020)).isEqualTo("A other");
        assertThat(order.get(1019)).isEqualTo("S order 1020 1019");
    }

    @Test
    void aCrashOfRedisMidBatchLeavesNothingAcknowledgedThatItDidNotStore() throws Exception {
        lanes(DEFAULTS);
        int topics = 50;
        List<List<CompletableFuture<Long>>> perTopic = new ArrayList<>();
        for (int t = 0; t < topics; t++) {
            perTopic.add(Collections.synchronizedList(new ArrayList<>()));
        }
        // Keep writing in turns until the crash, then a little longer.
        AtomicInteger turns = new AtomicInteger();
        long timer = onLoop(() -> vertx.setPeriodic(1, id -> {
            int turn = turns.incrementAndGet();
            if (turn > 3000) {
                return;
            }
            for (int t = 0; t < topics; t++) {
                perTopic.get(t).add(set("crash/" + t, Integer.toString(turn), true, null));
            }
        }));
        await().atMost(Duration.ofSeconds(20)).until(() -> lanes.stats().batches.sum() > 50);
        redisServer.kill();
        TimeUnit.MILLISECONDS.sleep(300);
        vertx.cancelTimer(timer);
        List<CompletableFuture<Long>> all = new ArrayList<>();
        perTopic.forEach(all::addAll);
        await().atMost(Duration.ofSeconds(20)).until(() -> all.stream().allMatch(CompletableFuture::isDone));
        redisServer.start();
        long acknowledged = 0;
        long failed = 0;
        for (int t = 0; t < topics; t++) {
            long lastAcked = 0;
            for (CompletableFuture<Long> f : perTopic.get(t)) {
                if (f.isCompletedExceptionally()) {
                    failed++;
                    assertThat(failure(f).code()).isEqualTo(ErrorCode.UNAVAILABLE);
                } else {
                    acknowledged++;
                    lastAcked = Math.max(lastAcked, join(f));
                }
            }
            long storedSeq = Long.parseLong(seqOf("crash/" + t));
            assertThat(storedSeq).as("stored seq of crash/%d", t).isGreaterThanOrEqualTo(lastAcked);
        }
        assertThat(acknowledged).isPositive();
        assertThat(failed).isPositive();
    }

    /** The stored seq of a topic ("0" when there is none): the bulk reply's second line. */
    private String seqOf(String path) {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", redisServer.port())) {
            socket.getOutputStream().write(("HGET t:topic:{" + path + "} seq\r\n").getBytes());
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream()));
            String head = in.readLine();
            return head.equals("$-1") ? "0" : in.readLine();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A set from the caller's event loop; {@code add} adds the topic (JSON) if missing. */
    private CompletableFuture<Long> set(String path, String json, boolean add, Long ifSeq) {
        return lanes.write(path, lane -> lane.set(keys.topic(path), keys.shardOf(path), path, "JSON", json, add ? "{\"type\":\"JSON\"}" : "", "1",
                ifSeq == null ? "" : Long.toString(ifSeq)));
    }

    /** Runs {@code action} in one turn of an event loop, as a connection's frames are handled. */
    private <T> T onLoop(Supplier<T> action) {
        CompletableFuture<T> out = new CompletableFuture<>();
        loop.runOnContext(v -> out.complete(action.get()));
        return join(out);
    }

    private static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private ProtocolException failure(CompletableFuture<?> f) {
        try {
            f.get(20, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof ProtocolException p) {
                return p;
            }
            throw new AssertionError("not a ProtocolException: " + c, c);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("did not fail");
    }
}
