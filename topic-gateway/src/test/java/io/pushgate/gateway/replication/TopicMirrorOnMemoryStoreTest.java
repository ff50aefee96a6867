package io.pushgate.gateway.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pushgate.gateway.memory.MemoryGateway;
import io.pushgate.gateway.selectors.TopicSelector;
import io.pushgate.gateway.topics.Topic;
import io.pushgate.gateway.topics.TopicSpec;
import io.pushgate.gateway.topics.TopicValue;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.TopicType;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The applier ({@link TopicMirror}) following a real store's change stream, the memory one:
 * what the store held before is loaded by the first resync, every change is applied to the tree
 * in order and handed to subscribers, and a write's application can be awaited.
 */
class TopicMirrorOnMemoryStoreTest {

    private static final TopicSpec JSON = TopicSpec.of(TopicType.JSON);
    private final MemoryGateway gateway = new MemoryGateway();

    @AfterEach
    void close() {
        gateway.close();
    }

    private static TopicValue json(String text) {
        return TopicValue.fromText(TopicType.JSON, text);
    }

    private Topic.State state(String path) {
        Topic topic = gateway.tree.get(path);
        return topic == null ? null : topic.state();
    }

    @Test
    void whatTheStoreHeldBeforeTheMirrorFollowedItIsLoadedByTheFirstResync() {
        gateway.stores.topics().set("a/1", json("1"), JSON, null).toCompletableFuture().join();
        gateway.stores.topics().set("a/1", json("2"), JSON, null).toCompletableFuture().join();
        gateway.stores.topics().add("a/2", JSON).toCompletableFuture().join();
        assertThat(gateway.mirror.isReady()).isFalse();
        gateway.start();
        assertThat(state("a/1")).isEqualTo(new Topic.State(2, json("2")));
        assertThat(state("a/2").seq()).isZero();
    }

    @Test
    void everyChangeOfTheStoreIsAppliedToTheTreeInOrderAndARemovalRemovesTheTopic() {
        gateway.start();
        for (int i = 1; i <= 50; i++) {
            gateway.stores.topics().set("c", json(Integer.toString(i)), JSON, null);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> state("c") != null && state("c").seq() == 50);
        assertThat(state("c").value()).isEqualTo(json("50"));
        gateway.stores.topics().remove("c").toCompletableFuture().join();
        assertThat(gateway.tree.get("c")).isNull();
    }

    @Test
    void aSubscriberGetsTheValueThenTheChangesTheStorePublishes() {
        gateway.start();
        gateway.stores.topics().set("p", json("{\"price\":1}"), JSON, null).toCompletableFuture().join();
        MemoryGateway.Client client = gateway.connect();
        client.executor().execute(() -> client.session.subscribe(TopicSelector.parse("p")));
        client.await(t -> t.contains("\"type\":\"value\"") && t.contains("\"seq\":1"));
        gateway.stores.topics().set("p", json("{\"price\":2}"), null, null).toCompletableFuture().join();
        String update = client.await(t -> t.contains("\"seq\":2"));
        assertThat(update).contains("\"tid\":" + gateway.tree.get("p").tid());
    }

    @Test
    void theEventsOfATimeSeriesReachItsSubscribersWithTheirSeqs() {
        gateway.start();
        TopicSpec series = TopicSpec.parse(Json.MAPPER.valueToTree(Map.of("type", "TIME_SERIES", "eventType", "JSON")));
        gateway.stores.topics().add("chat", series).toCompletableFuture().join();
        MemoryGateway.Client client = gateway.connect();
        client.executor().execute(() -> client.session.subscribe(TopicSelector.parse("chat")));
        client.await(t -> t.contains("\"type\":\"subscription\""));
        gateway.stores.topics().append("chat", series, json("\"hi\""), "alice", null, false).toCompletableFuture().join();
        String event = client.await(t -> t.contains("\"hi\""));
        assertThat(event).contains("\"seq\":1").contains("alice");
        assertThat(state("chat").seq()).isEqualTo(1);
    }

    @Test
    void aWritesApplicationCanBeAwaitedAndIsDoneWhenTheStoreAnswers() {
        gateway.start();
        long seq = gateway.stores.topics().set("w", json("7"), JSON, null).toCompletableFuture().join();
        gateway.mirror.awaitApplied("w", t -> t != null && t.state().seq() >= seq).toCompletableFuture().join();
        assertThat(state("w").seq()).isEqualTo(seq);
    }
}
