package io.pushgate.gateway.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pushgate.gateway.store.StoreContract;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Messaging.Router} guarantees of one replica, run on each implementation: its
 * handler paths are found in the registry once added and not after removal, a message to its own
 * inbox arrives, and a message to a replica that no one follows answers false at once.
 */
public abstract class MessageRouterContract extends StoreContract {

    @Test
    void aHandlerPathIsFoundOnceAddedAndNoLongerOnceRemoved() {
        Messaging.Router router = fixture.router("r1", m -> { });
        join(router.handlerAdded("svc/echo"));
        assertThat(join(router.handlers(List.of("svc/echo", "svc/none")))).isEqualTo(Map.of("svc/echo", Set.of("r1")));
        router.handlerRemoved("svc/echo");
        await().atMost(Duration.ofSeconds(5)).until(() -> join(router.handlers(List.of("svc/echo"))).isEmpty());
    }

    @Test
    void aMessageToThisReplicaArrivesAndToAReplicaNoOneFollowsIsNotDelivered() {
        List<String> inbox = new CopyOnWriteArrayList<>();
        Messaging.Router router = fixture.router("r1", inbox::add);
        assertThat(join(router.send("r1", "hello"))).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> inbox.contains("hello"));
        assertThat(join(router.send("gone", "hello?"))).isFalse();
    }
}
