package io.pushgate.gateway.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.gateway.control.SessionDirectory;
import io.pushgate.gateway.control.SessionEntry;
import io.pushgate.protocol.Causes;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.ProtocolException;
import io.pushgate.testsupport.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The session directory's guarantees against a real Redis, with two directories in one JVM as two
 * replicas: registrations in order, listings across replicas, entries of a replica that stops
 * renewing them gone within the ttl, commands carried out on the other replica with their answer or
 * error back, and UNAVAILABLE for a replica that is not there or does not answer in time.
 */
class RedisSessionDirectoryTest {

    private static final Duration TTL = Duration.ofMillis(1500);
    private RedisServer server;
    private Vertx vertx;
    private Redis redis;
    private RedisSessionDirectory one;
    private RedisSessionDirectory two;

    @BeforeEach
    void start() {
        server = new RedisServer().start();
        vertx = Vertx.vertx();
        redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(server.uri()).setMaxPoolSize(4));
        one = directory();
        two = directory();
    }

    private RedisSessionDirectory directory() {
        return new RedisSessionDirectory(vertx, redis, new RedisSessionDirectory.Settings("t", 0, false, server.uri(), TTL, Duration.ofMillis(300)));
    }

    @AfterEach
    void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
        server.stop();
    }

    private static SessionEntry entry(SessionDirectory d, int n, String principal, int subscriptions) {
        return new SessionEntry(d.replicaId() + "-" + n, d.replicaId(), Map.of("$Principal", principal), subscriptions);
    }

    private static List<SessionEntry> list(SessionDirectory d) {
        return d.list().toCompletableFuture().join();
    }

    @Test
    void registrationsOfBothReplicasAreListedByEitherTheLastOneOfASessionWinningAndUnregisteredOnesGone() {
        one.start();
        two.start();
        for (int i = 0; i < 50; i++) {
            one.register(entry(one, 1, "bob", i));   // many updates of one session: the last one counts
        }
        one.register(entry(one, 2, "carol", 0));
        two.register(entry(two, 1, "alice", 3));
        one.unregister(one.replicaId() + "-2");
        await().atMost(Duration.ofSeconds(5)).until(() -> list(two).size() == 2);
        await().atMost(Duration.ofSeconds(5)).until(() -> list(two).stream().anyMatch(e -> e.subscriptions() == 49));
        assertThat(list(one)).extracting(SessionEntry::sessionId, SessionEntry::replica, SessionEntry::subscriptions)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(one.replicaId() + "-1", one.replicaId(), 49),
                        org.assertj.core.groups.Tuple.tuple(two.replicaId() + "-1", two.replicaId(), 3));
        assertThat(SessionDirectory.replicaOf(one.replicaId() + "-1")).isEqualTo(one.replicaId());
        assertThat(one.replicaId()).isNotEqualTo(two.replicaId()).doesNotContain("-");
    }

    @Test
    void theEntriesOfAReplicaThatStopsRenewingThemExpireWithinTheTtl() {
        one.start();
        two.start();
        two.register(entry(two, 1, "alice", 0));
        await().atMost(Duration.ofSeconds(5)).until(() -> list(one).size() == 1);
        // a replica that dies stops its heartbeat: here its timers go with a Vert.x of its own
        Vertx dying = Vertx.vertx();
        Redis dyingRedis = Redis.createClient(dying, new RedisOptions().setConnectionString(server.uri()));
        RedisSessionDirectory three = new RedisSessionDirectory(dying, dyingRedis,
                new RedisSessionDirectory.Settings("t", 0, false, server.uri(), TTL, Duration.ofMillis(300)));
        three.start();
        three.register(entry(three, 1, "doomed", 0));
        await().atMost(Duration.ofSeconds(5)).until(() -> list(one).size() == 2);
        dying.close().toCompletionStage().toCompletableFuture().join();
        long diedAt = System.nanoTime();
        await().atMost(TTL.plusSeconds(2)).pollInterval(Duration.ofMillis(50))
                .until(() -> list(one).stream().noneMatch(e -> e.replica().equals(three.replicaId())));
        assertThat(Duration.ofNanos(System.nanoTime() - diedAt)).isLessThanOrEqualTo(TTL.plusMillis(500));
        // the living replica's entry is renewed, long past the ttl
        await().during(TTL.multipliedBy(2)).atMost(TTL.multipliedBy(3)).until(() -> list(one).size() == 1);
    }

    @Test
    void aCommandIsCarriedOutOnTheOtherReplicaAndItsAnswerOrErrorComesBack() {
        two.handle("echo", payload -> CompletableFuture.completedFuture(Json.MAPPER.createObjectNode().put("echo", payload.path("x").asText())));
        two.handle("refuse", payload -> CompletableFuture.failedFuture(ProtocolException.notFound("no such thing")));
        two.handle("silent", payload -> new CompletableFuture<>());
        one.start();
        two.start();
        await().atMost(Duration.ofSeconds(5)).until(two::isFollowingCommands);
        JsonNode payload = Json.MAPPER.createObjectNode().put("x", "hello");
        assertThat(one.call(two.replicaId(), "echo", payload, Duration.ofSeconds(5)).toCompletableFuture().join().path("echo").asText())
                .isEqualTo("hello");
        assertThat(codeOf(one.call(two.replicaId(), "refuse", payload, Duration.ofSeconds(5)))).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(codeOf(one.call(two.replicaId(), "unknown-kind", payload, Duration.ofSeconds(5)))).isEqualTo(ErrorCode.INVALID);
        assertThat(codeOf(one.call(two.replicaId(), "silent", payload, Duration.ofMillis(300)))).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(codeOf(one.call("nobody", "echo", payload, Duration.ofSeconds(30)))).as("answered at once: nobody listens")
                .isEqualTo(ErrorCode.UNAVAILABLE);
        // to itself: the handler runs directly
        one.handle("self", p -> CompletableFuture.completedFuture(Json.MAPPER.createObjectNode().put("self", true)));
        assertThat(one.call(one.replicaId(), "self", payload, Duration.ofSeconds(1)).toCompletableFuture().join().path("self").asBoolean()).isTrue();
    }

    @Test
    void aStoppedReplicaLeavesTheListingAtOnce() {
        one.start();
        two.start();
        two.register(entry(two, 1, "alice", 0));
        await().atMost(Duration.ofSeconds(5)).until(() -> list(one).size() == 1);
        two.stop();
        await().atMost(Duration.ofSeconds(1)).until(() -> list(one).isEmpty());
    }

    private static ErrorCode codeOf(java.util.concurrent.CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().join();
            throw new AssertionError("expected a failure");
        } catch (java.util.concurrent.CompletionException e) {
            Throwable cause = Causes.unwrap(e);
            assertThat(cause).isInstanceOf(ProtocolException.class);
            return ((ProtocolException) cause).code();
        }
    }
}
