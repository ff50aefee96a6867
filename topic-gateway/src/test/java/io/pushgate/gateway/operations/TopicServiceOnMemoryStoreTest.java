package io.pushgate.gateway.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.pushgate.gateway.memory.MemoryGateway;
import io.pushgate.gateway.security.Access;
import io.pushgate.gateway.selectors.TopicSelector;
import io.pushgate.gateway.timeseries.RangeQuery;
import io.pushgate.gateway.timeseries.TimeSeriesEvent;
import io.pushgate.gateway.topics.StoredTopic;
import io.pushgate.gateway.topics.TopicSpec;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.ProtocolException;
import io.pushgate.protocol.TopicType;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The topic service on the memory store, through its public methods: a write is answered once
 * this gateway's tree holds it (read your writes), the limits, ifSeq, time series appends, edits
 * and ranges, and removal by selector.
 */
class TopicServiceOnMemoryStoreTest {

    private static final TopicSpec JSON = TopicSpec.of(TopicType.JSON);
    private final MemoryGateway gateway = new MemoryGateway(new TopicService.Limits(3, 64)).start();
    private final TopicService topics = gateway.topics;
    private final Access all = Access.ALLOW_ALL;

    @AfterEach
    void close() {
        gateway.close();
    }

    private static <T> T join(CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    private static ErrorCode failure(CompletionStage<?> stage) {
        Throwable t = catchThrowable(() -> join(stage));
        Throwable cause = t.getCause() != null ? t.getCause() : t;
        assertThat(cause).isInstanceOf(ProtocolException.class);
        return ((ProtocolException) cause).code();
    }

    @Test
    void aSetIsAnsweredOnceTheTreeHoldsItsValue() {
        long seq = join(topics.set(all, "a", Json.parse("{\"x\":1}"), JSON, null));
        assertThat(seq).isEqualTo(1);
        TopicService.Fetched fetched = topics.get(all, "a");
        assertThat(fetched.seq()).isEqualTo(1);
        assertThat(fetched.value().json()).isEqualTo(Json.parse("{\"x\":1}"));
    }

    @Test
    void ifSeqSetsOnlyAtThatSeqAndAnAddIsCreatedOnce() {
        assertThat(join(topics.add(all, "b", JSON))).isTrue();
        assertThat(join(topics.add(all, "b", JSON))).isFalse();
        join(topics.set(all, "b", Json.parse("1"), null, null));
        assertThat(failure(topics.set(all, "b", Json.parse("2"), null, 0L))).isEqualTo(ErrorCode.CONFLICT);
        assertThat(join(topics.set(all, "b", Json.parse("2"), null, 1L))).isEqualTo(2);
        assertThat(failure(topics.add(all, "b", TopicSpec.of(TopicType.STRING)))).isEqualTo(ErrorCode.CONFLICT);
    }

    @Test
    void theLimitsOfTopicsAndValueSizeAreKept() {
        assertThat(failure(topics.set(all, "big", Json.parse("\"" + "x".repeat(100) + "\""), JSON, null))).isEqualTo(ErrorCode.TOO_LARGE);
        join(topics.add(all, "t1", JSON));
        join(topics.add(all, "t2", JSON));
        join(topics.add(all, "t3", JSON));
        assertThat(failure(topics.add(all, "t4", JSON))).isEqualTo(ErrorCode.TOO_LARGE);
    }

    @Test
    void aTimeSeriesIsAppendedToEditedAndReadAsARange() {
        TopicSpec series = TopicSpec.parse(Json.MAPPER.valueToTree(Map.of("type", "TIME_SERIES", "eventType", "JSON")));
        join(topics.add(all, "chat", series));
        assertThat(join(topics.append(all, "alice", "chat", Json.parse("\"hi\"")))).isEqualTo(1);
        assertThat(join(topics.append(all, "bob", "chat", Json.parse("\"yo\"")))).isEqualTo(2);
        assertThat(join(topics.edit(all, "alice", "chat", 1, Json.parse("\"hello\"")))).isEqualTo(3);
        List<TimeSeriesEvent> values = join(topics.range(all, "chat", RangeQuery.of(null, 1L, null, null, null, null)));
        assertThat(values).extracting(e -> e.value().text()).containsExactly("\"hello\"", "\"yo\"");
        List<TimeSeriesEvent> edits = join(topics.range(all, "chat", RangeQuery.of(3L, null, null, null, null, "edits")));
        assertThat(edits).extracting(TimeSeriesEvent::seq).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aRemoveBySelectorRemovesEveryMatchingTopicFromStoreAndTree() {
        join(topics.add(all, "r/1", JSON));
        join(topics.add(all, "r/2", JSON));
        join(topics.add(all, "keep", JSON));
        assertThat(join(topics.remove(all, TopicSelector.parse("?r//")))).isEqualTo(2);
        org.awaitility.Awaitility.await().until(() -> gateway.tree.get("r/1") == null && gateway.tree.get("r/2") == null);
        assertThat(join(gateway.stores.topics().loadAll())).extracting(StoredTopic::path).containsExactly("keep");
    }
}
