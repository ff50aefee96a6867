package io.pushgate.gateway.topics;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushgate.gateway.store.StoreContract;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.TopicType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TopicStore} guarantees, run on each implementation (memory, Redis): adds,
 * seqs, ifSeq, add-with-spec, the error codes, time series appends and edits, raised seqs,
 * removal, and the changes each write publishes, in order.
 */
public abstract class TopicStoreContract extends StoreContract {

    protected static final TopicSpec JSON = TopicSpec.of(TopicType.JSON);
    protected static final TopicSpec STRING = TopicSpec.of(TopicType.STRING);

    protected static TopicValue json(String text) {
        return TopicValue.fromText(TopicType.JSON, text);
    }

    protected static TopicSpec series(Map<String, String> properties) {
        return TopicSpec.parse(Json.MAPPER.valueToTree(Map.of("type", "TIME_SERIES", "eventType", "JSON", "properties", properties)));
    }

    protected TopicStore store() {
        return stores.topics();
    }

    @Test
    void anAddCreatesOnceIsAcceptedAgainWithTheSameSpecAndConflictsWithAnother() {
        assertThat(join(store().add("a/b", JSON))).isTrue();
        assertThat(join(store().add("a/b", JSON))).isFalse();
        assertThat(failure(store().add("a/b", STRING))).isEqualTo(ErrorCode.CONFLICT);
        changes.await("added a/b " + JSON.canonicalJson());
        assertThat(changes.starting("added")).containsExactly("added a/b " + JSON.canonicalJson());
        StoredTopic stored = join(store().load("a/b")).orElseThrow();
        assertThat(stored.spec()).isEqualTo(JSON);
        assertThat(stored.seq()).isZero();
        assertThat(stored.value()).isNull();
    }

    @Test
    void aSetWithoutATopicIsNotFoundAndWithASpecAddsTheTopicFirst() {
        assertThat(failure(store().set("a", json("1"), null, null))).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(join(store().set("a", json("1"), JSON, null))).isEqualTo(1L);
        assertThat(join(store().set("a", json("2"), JSON, null))).isEqualTo(2L);
        assertThat(failure(store().set("a", TopicValue.fromText(TopicType.STRING, "x"), STRING, null))).isEqualTo(ErrorCode.CONFLICT);
        changes.await("set a 2 2");
        assertThat(changes.lines()).containsSubsequence("added a " + JSON.canonicalJson(), "set a 1 1", "set a 2 2");
        assertThat(join(store().load("a")).orElseThrow().value()).isEqualTo(json("2"));
    }

    @Test
    void seqsGrowByOneAndIfSeqSetsOnlyAtExactlyThatSeq() {
        join(store().add("c", JSON));
        for (long i = 1; i <= 5; i++) {
            assertThat(join(store().set("c", json(Long.toString(i)), null, null))).isEqualTo(i);
        }
        assertThat(failure(store().set("c", json("\"stale\""), null, 4L))).isEqualTo(ErrorCode.CONFLICT);
        assertThat(failure(store().set("c", json("\"ahead\""), null, 6L))).isEqualTo(ErrorCode.CONFLICT);
        assertThat(join(store().set("c", json("\"exact\""), null, 5L))).isEqualTo(6L);
        StoredTopic stored = join(store().load("c")).orElseThrow();
        assertThat(stored.seq()).isEqualTo(6);
        assertThat(stored.value()).isEqualTo(json("\"exact\""));
    }

    @Test
    void aValueOfAnotherTypeThanTheTopicsIsInvalid() {
        join(store().add("typed", JSON));
        assertThat(failure(store().set("typed", TopicValue.fromText(TopicType.STRING, "text"), null, null))).isEqualTo(ErrorCode.INVALID);
        assertThat(join(store().load("typed")).orElseThrow().seq()).isZero();
    }

    @Test
    void aTopicThatRetainsNoValuePublishesItsValuesAndStoresNone() {
        TopicSpec spec = TopicSpec.of(TopicType.JSON, Map.of("DONT_RETAIN_VALUE", "true"));
        join(store().add("stream", spec));
        assertThat(join(store().set("stream", json("{\"x\":1}"), null, null))).isEqualTo(1L);
        changes.await("set stream 1 {\"x\":1}");
        StoredTopic stored = join(store().load("stream")).orElseThrow();
        assertThat(stored.seq()).isEqualTo(1);
        assertThat(stored.value()).isNull();
    }

    @Test
    void theChangesOfOneTopicArriveInTheOrderOfItsSeqs() {
        join(store().add("ordered", JSON));
        List<java.util.concurrent.CompletionStage<Long>> sets = new ArrayList<>();
        IntStream.rangeClosed(1, 200).forEach(i -> sets.add(store().set("ordered", json(Integer.toString(i)), null, null)));
        sets.forEach(StoreContract::join);
        changes.await("set ordered 200 200");
        assertThat(changes.starting("set ordered")).containsExactlyElementsOf(
                IntStream.rangeClosed(1, 200).mapToObj(i -> "set ordered " + i + " " + i).toList());
    }

    @Test
    void aRemoveRemovesOncePublishesTheRemovalAndLeavesNothingToLoad() {
        join(store().set("gone", json("1"), JSON, null));
        assertThat(join(store().remove("gone"))).isTrue();
        assertThat(join(store().remove("gone"))).isFalse();
        changes.await("removed gone");
        assertThat(join(store().load("gone"))).isEqualTo(Optional.empty());
        assertThat(failure(store().set("gone", json("2"), null, null))).isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void loadAllReturnsEveryTopicWithItsSeqAndValue() {
        join(store().set("x/1", json("1"), JSON, null));
        join(store().set("x/2", json("2"), JSON, null));
        join(store().set("x/2", json("3"), JSON, null));
        join(store().add("x/3", STRING));
        assertThat(join(store().loadAll())).extracting(StoredTopic::path, StoredTopic::seq)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("x/1", 1L), org.assertj.core.groups.Tuple.tuple("x/2", 2L),
                        org.assertj.core.groups.Tuple.tuple("x/3", 0L));
    }

    @Test
    void appendsGetTheNextSeqsAndArePublishedAsEvents() {
        TopicSpec spec = series(Map.of());
        join(store().add("chat", spec));
        assertThat(join(store().append("chat", spec, json("\"hi\""), "alice", null, false))).isEqualTo(1L);
        assertThat(join(store().append("chat", spec, json("\"yo\""), "bob", null, false))).isEqualTo(2L);
        changes.await("event chat 2 by bob \"yo\"");
        assertThat(changes.starting("event chat")).containsExactly("event chat 1 by alice \"hi\"", "event chat 2 by bob \"yo\"");
        assertThat(join(store().load("chat")).orElseThrow().seq()).isEqualTo(2);
    }

    @Test
    void anEditEditsTheOriginalAndOnlyItsAuthorMayWithOwnOnly() {
        TopicSpec spec = series(Map.of());
        join(store().add("chat", spec));
        join(store().append("chat", spec, json("\"hi\""), "alice", null, false));
        assertThat(failure(store().append("chat", spec, json("\"no\""), "bob", 1L, true))).isEqualTo(ErrorCode.PERMISSION_DENIED);
        assertThat(join(store().append("chat", spec, json("\"hello\""), "alice", 1L, true))).isEqualTo(2L);
        // an edit of the edit edits the original event, and the original's author still counts
        assertThat(join(store().append("chat", spec, json("\"hey\""), "bob", 2L, false))).isEqualTo(3L);
        assertThat(failure(store().append("chat", spec, json("\"x\""), "bob", 3L, true))).isEqualTo(ErrorCode.PERMISSION_DENIED);
        assertThat(failure(store().append("chat", spec, json("\"x\""), "alice", 99L, false))).isEqualTo(ErrorCode.NOT_FOUND);
        changes.await("event chat 3 edits 1 by bob \"hey\"");
        assertThat(changes.starting("event chat")).containsExactly("event chat 1 by alice \"hi\"",
                "event chat 2 edits 1 by alice \"hello\"", "event chat 3 edits 1 by bob \"hey\"");
    }

    @Test
    void anAppendNeedsATimeSeriesOfTheSameSpec() {
        TopicSpec spec = series(Map.of());
        assertThat(failure(store().append("none", spec, json("1"), "a", null, false))).isEqualTo(ErrorCode.NOT_FOUND);
        join(store().add("plain", JSON));
        assertThat(failure(store().append("plain", spec, json("1"), "a", null, false))).isEqualTo(ErrorCode.INVALID);
        join(store().add("replaced", series(Map.of("TIME_SERIES_RETAINED_RANGE", "limit 5"))));
        assertThat(failure(store().append("replaced", spec, json("1"), "a", null, false))).isEqualTo(ErrorCode.CONFLICT);
    }

    @Test
    void aRaisedSeqIsTakenByTheNextWriteAndRepublishesTheRetainedValue() {
        join(store().set("r", json("1"), JSON, null));
        assertThat(join(store().raiseSeq("r", 10))).isTrue();
        assertThat(join(store().raiseSeq("r", 5))).isFalse();
        assertThat(join(store().raiseSeq("missing", 5))).isFalse();
        changes.await("set r 10 1");
        assertThat(join(store().set("r", json("2"), null, null))).isEqualTo(11L);
    }
}
