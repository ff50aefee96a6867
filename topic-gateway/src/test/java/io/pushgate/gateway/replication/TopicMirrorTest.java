package io.pushgate.gateway.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushgate.gateway.sessions.GatewayStats;
import io.pushgate.gateway.sessions.Hub;
import io.pushgate.gateway.topics.StoredTopic;
import io.pushgate.gateway.topics.TopicChanges;
import io.pushgate.gateway.topics.TopicStore;
import io.pushgate.gateway.topics.TopicSpec;
import io.pushgate.gateway.topics.TopicTree;
import io.pushgate.protocol.TopicType;
import io.pushgate.gateway.topics.TopicValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * The mirror against loads that race with the change stream, and against a store that went back
 * (a failed-over Redis master). The store here is scripted: each load answers when the test says,
 * with what the test says the store held when it was read, so that the interleaving is exact.
 */
class TopicMirrorTest {

    private static final TopicSpec JSON = TopicSpec.of(TopicType.JSON);

    private final TopicTree tree = new TopicTree();
    private final ScriptedStore store = new ScriptedStore();
    private final TopicMirror mirror = new TopicMirror(tree, new Hub(tree, new GatewayStats(), null), store);

    @Test
    void aTopicAddedWhileAFullLoadIsInFlightIsNotRemovedByTheOlderSnapshot() {
        mirror.resync();
        assertThat(mirror.isReady()).isFalse();
        // the load read the store before the topic was made; its change arrives before the load's answer
        mirror.added("new/topic", JSON);
        mirror.set("new/topic", 1, "{\"n\":1}");
        store.fullLoads.remove(0).complete(List.of(new StoredTopic("old/topic", JSON, 3, TopicValue.fromText(TopicType.JSON, "{\"n\":3}"))));
        assertThat(tree.get("new/topic")).as("made after the snapshot").isNotNull();
        assertThat(tree.get("new/topic").state().seq()).isEqualTo(1);
        assertThat(tree.get("old/topic").state().seq()).isEqualTo(3);
        assertThat(mirror.isReady()).isTrue();
        assertThat(store.raised).isEmpty();
    }

    @Test
    void aTopicRemovedWhileALoadIsInFlightIsNotBroughtBackAndOneUpdatedIsNotRaised() {
        mirror.reconcileAll(List.of(stored("a", 5), stored("b", 5)));
        mirror.resync();
        mirror.removed("a");
        mirror.set("b", 6, "{\"n\":6}");
        // the snapshot still has a, and b at 5
        store.fullLoads.remove(0).complete(List.of(stored("a", 5), stored("b", 5)));
        assertThat(tree.get("a")).isNull();
        assertThat(tree.get("b").state().seq()).isEqualTo(6);
        assertThat(store.raised).as("b is behind only because the snapshot is older").isEmpty();
    }

    @Test
    void aStoreBehindWhatWasAppliedHereIsRaisedPastIt() {
        mirror.reconcileAll(List.of(stored("prices/btc", 100)));
        // the master that held seqs 98..100 died before replicating them: the promoted replica has 97
        mirror.resync();
        store.fullLoads.remove(0).complete(List.of(stored("prices/btc", 97)));
        assertThat(store.raised).containsExactly("prices/btc@101");
        // the raised seq comes back through the change stream, as the next update subscribers take
        mirror.set("prices/btc", 101, "{\"n\":97}");
        assertThat(tree.get("prices/btc").state().seq()).isEqualTo(101);
        assertThat(tree.get("prices/btc").state().value().jsonText()).isEqualTo("{\"n\":97}");
    }

    @Test
    void aFullLoadThatFailsKeepsTheMirrorNotReadyAndIsTriedAgain() throws Exception {
        mirror.resync();
        store.fullLoads.remove(0).completeExceptionally(new IllegalStateException("CLUSTERDOWN"));
        assertThat(mirror.isReady()).isFalse();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (store.fullLoads.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(store.fullLoads).as("tried again").hasSize(1);
        store.fullLoads.remove(0).complete(List.of(stored("x", 1)));
        assertThat(mirror.isReady()).isTrue();
        assertThat(tree.get("x")).isNotNull();
    }

    private static StoredTopic stored(String path, long seq) {
        return new StoredTopic(path, JSON, seq, TopicValue.fromText(TopicType.JSON, "{\"n\":" + seq + "}"));
    }

    /** A store whose loads the test answers; it records raised seqs. Writes are not used here. */
    private static final class ScriptedStore implements TopicStore {
        final List<CompletableFuture<List<StoredTopic>>> fullLoads = java.util.Collections.synchronizedList(new ArrayList<>());
        final List<String> raised = new ArrayList<>();

        @Override
        public CompletionStage<List<StoredTopic>> loadAll() {
            CompletableFuture<List<StoredTopic>> load = new CompletableFuture<>();
            fullLoads.add(load);
            return load;
        }

        @Override
        public CompletionStage<Boolean> raiseSeq(String path, long floor) {
            raised.add(path + "@" + floor);
            return CompletableFuture.completedFuture(true);
        }

        @Override
        public CompletionStage<Optional<StoredTopic>> load(String path) {
            return new CompletableFuture<>();
        }

        @Override
        public CompletionStage<Boolean> add(String path, TopicSpec spec) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<Long> set(String path, TopicValue value, TopicSpec addSpec, Long ifSeq) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<Long> append(String path, TopicSpec spec, TopicValue value, String author, Long editOf, boolean ownOnly) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<Boolean> remove(String path) {
            throw new UnsupportedOperationException();
        }
    }
}
