package io.pushgate.gateway.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.gateway.store.StoreContract;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.Json;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SessionDirectory} guarantees of one replica, run on each implementation:
 * registrations listed (the last one of a session wins), unregistered ones gone, a command to this
 * replica run by its handler, and {@code UNAVAILABLE} for a replica that is not there. (Listings
 * and commands across replicas: {@code redis.RedisSessionDirectoryTest}.)
 */
public abstract class SessionDirectoryContract extends StoreContract {

    @Test
    void registrationsAreListedTheLastOfASessionWinningAndUnregisteredOnesGone() {
        SessionDirectory directory = fixture.directory();
        String id = directory.replicaId();
        directory.register(new SessionEntry(id + "-1", id, Map.of("$Principal", "bob"), 1));
        directory.register(new SessionEntry(id + "-1", id, Map.of("$Principal", "bob"), 7));
        directory.register(new SessionEntry(id + "-2", id, Map.of("$Principal", "carol"), 0));
        directory.unregister(id + "-2");
        await().atMost(Duration.ofSeconds(5)).until(() -> join(directory.list()).size() == 1
                && join(directory.list()).get(0).subscriptions() == 7);
        assertThat(SessionDirectory.replicaOf(id + "-1")).isEqualTo(id);
    }

    @Test
    void aCommandToThisReplicaIsAnsweredByItsHandlerAndToAnyOtherIsUnavailable() {
        SessionDirectory directory = fixture.directory();
        directory.handle("echo", payload -> CompletableFuture.completedFuture((JsonNode) Json.MAPPER.createObjectNode().set("got", payload)));
        JsonNode answer = join(directory.call(directory.replicaId(), "echo", Json.parse("{\"n\":1}"), Duration.ofSeconds(2)));
        assertThat(answer.path("got").path("n").asInt()).isEqualTo(1);
        assertThat(failure(directory.call(directory.replicaId(), "unknown", Json.parse("{}"), Duration.ofSeconds(2))))
                .isEqualTo(ErrorCode.INVALID);
        assertThat(failure(directory.call("no-such-replica", "echo", Json.parse("{}"), Duration.ofMillis(500))))
                .isEqualTo(ErrorCode.UNAVAILABLE);
    }
}
