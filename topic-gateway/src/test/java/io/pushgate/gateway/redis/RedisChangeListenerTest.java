package io.pushgate.gateway.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pushgate.gateway.store.RecordedChanges;
import io.pushgate.testsupport.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The change listener against a real Redis, fed the change messages the scripts publish (written
 * out here as the scripts write them): each kind decoded and handed to its own listener (topics,
 * views, security), batches of changes in order with their origin handed back, a message that
 * does not parse skipped, and a resync of every listener, in the contract's order, once following
 * begins and again after Redis comes back.
 */
class RedisChangeListenerTest {

    private static final String CHANNEL = "t:changes";
    private RedisServer server;
    private Vertx vertx;
    private Redis redis;
    private RedisChangeListener listener;
    private final RecordedChanges changes = new RecordedChanges();
    private final List<String> origins = new ArrayList<>();

    @BeforeEach
    void start() {
        server = new RedisServer().start();
        vertx = Vertx.vertx();
        redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(server.uri()));
        listener = new RedisChangeListener(vertx, server.uri(), CHANNEL, changes, origin -> {
            synchronized (origins) {
                origins.add(origin);
            }
        });
        listener.start().toCompletableFuture().join();
    }

    @AfterEach
    void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
        server.stop();
    }

    private void publish(String message) {
        redis.send(Request.cmd(Command.PUBLISH).arg(CHANNEL).arg(message)).toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void followingBeginsWithAResyncOfEveryListenerSecurityFirst() {
        assertThat(listener.isConnected()).isTrue();
        assertThat(changes.lines()).containsExactly("resync security", "resync topics", "resync views");
    }

    @Test
    void eachKindOfChangeIsDecodedForItsOwnListener() {
        publish("A\na/b\n{\"type\":\"JSON\"}");
        publish("S7\na/b\n{\"x\":1}");
        publish("E3\nchat\n1700000000000 1\nalice\n\"hi\"");
        publish("E4\nchat\n1700000000001 \nbob\n\"yo\"");
        publish("R\na/b");
        publish("V\nprices\n{\"text\":\"map ...\"}");
        publish("W\nprices");
        publish("O\nreader\n{\"name\":\"reader\",\"defaultPathPermissions\":[\"READ_TOPIC\"]}");
        publish("o\nreader");
        publish("U\nbob\n{\"pathPermissions\":{\"chat\":[\"READ_TOPIC\"]}}");
        publish("u\nbob");
        changes.await("principal removed bob");
        assertThat(changes.lines().subList(3, changes.lines().size())).containsExactly(
                "added a/b {\"type\":\"JSON\"}",
                "set a/b 7 {\"x\":1}",
                "event chat 3 edits 1 by alice \"hi\"",
                "event chat 4 by bob \"yo\"",
                "removed a/b",
                "view prices {\"text\":\"map ...\"}",
                "view removed prices",
                "role reader [READ_TOPIC]",
                "role removed reader",
                "principal bob {chat=[READ_TOPIC]}",
                "principal removed bob");
    }

    @Test
    void aBatchIsAppliedInOrderAndItsOriginHandedBack() {
        String one = "A\nb/1\n{\"type\":\"JSON\"}";
        String two = "S1\nb/1\n\"é\"";
        String batch = "Mreplica:lane:9\n" + one.getBytes(StandardCharsets.UTF_8).length + "\n" + one
                + two.getBytes(StandardCharsets.UTF_8).length + "\n" + two;
        publish(batch);
        changes.await("set b/1 1 \"é\"");
        assertThat(changes.lines()).containsSubsequence("added b/1 {\"type\":\"JSON\"}", "set b/1 1 \"é\"");
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            synchronized (origins) {
                return origins.contains("replica:lane:9");
            }
        });
    }

    @Test
    void aChangeThatDoesNotParseIsSkippedAndTheNextOneApplied() {
        publish("Snot-a-number\nx\n1");
        publish("O\nbroken\nnot json");
        publish("S2\nx\n2");
        changes.await("set x 2 2");
        assertThat(changes.starting("set")).containsExactly("set x 2 2");
        assertThat(changes.starting("role")).isEmpty();
    }

    @Test
    void afterRedisComesBackEveryListenerResyncsAgain() {
        server.stop();
        await().atMost(Duration.ofSeconds(10)).until(() -> !listener.isConnected());
        server.start();
        await().atMost(Duration.ofSeconds(20)).until(listener::isConnected);
        changes.await("resync views");
        await().atMost(Duration.ofSeconds(5)).until(() -> changes.starting("resync").size() == 6);
        assertThat(changes.starting("resync")).containsExactly("resync security", "resync topics", "resync views",
                "resync security", "resync topics", "resync views");
    }
}
