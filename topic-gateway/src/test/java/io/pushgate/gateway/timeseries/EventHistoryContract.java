package io.pushgate.gateway.timeseries;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushgate.gateway.store.StoreContract;
import io.pushgate.gateway.topics.TopicSpec;
import io.pushgate.gateway.topics.TopicValue;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.TopicType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What every {@link EventHistory} guarantees over the events its topic store appended, run on
 * each implementation: events after a seq, the last ones up to a seq, the oldest retained seq,
 * retention by count, and range queries by seq, by count from the end and by time, as values
 * (edits applied) and as edits.
 */
public abstract class EventHistoryContract extends StoreContract {

    private static final TopicSpec SERIES = series(Map.of());

    private static TopicSpec series(Map<String, String> properties) {
        return TopicSpec.parse(Json.MAPPER.valueToTree(Map.of("type", "TIME_SERIES", "eventType", "JSON", "properties", properties)));
    }

    private long append(TopicSpec spec, String text, Long editOf) {
        return join(stores.topics().append("s", spec, TopicValue.fromText(TopicType.JSON, text), "alice", editOf, false));
    }

    private EventHistory history() {
        return stores.history();
    }

    private static List<String> texts(List<TimeSeriesEvent> events) {
        return events.stream().map(e -> e.seq() + (e.isEdit() ? "e" + e.editOf() : "") + "=" + e.value().text()).toList();
    }

    /** Five events: 1, 2, an edit of 1 (seq 3), 4, 5. */
    private void fiveEvents() {
        join(stores.topics().add("s", SERIES));
        append(SERIES, "1", null);
        append(SERIES, "2", null);
        append(SERIES, "10", 1L);
        append(SERIES, "4", null);
        append(SERIES, "5", null);
    }

    @Test
    void eventsAfterASeqComeOldestFirstAtMostMax() {
        fiveEvents();
        assertThat(texts(join(history().after("s", 1, 10)))).containsExactly("2=2", "3e1=10", "4=4", "5=5");
        assertThat(texts(join(history().after("s", 0, 2)))).containsExactly("1=1", "2=2");
        assertThat(join(history().after("s", 5, 10))).isEmpty();
        assertThat(join(history().after("nothing", 0, 10))).isEmpty();
    }

    @Test
    void theLastEventsUpToASeqAreTheNewestOnesAtOrBeforeIt() {
        fiveEvents();
        assertThat(texts(join(history().last("s", 2, 4)))).containsExactly("3e1=10", "4=4");
        assertThat(texts(join(history().last("s", 10, 2)))).containsExactly("1=1", "2=2");
        assertThat(join(history().last("s", 2, 0))).isEmpty();
        assertThat(join(history().last("s", 0, 5))).isEmpty();
    }

    @Test
    void retentionByCountDropsTheOldestEvents() {
        TopicSpec kept = series(Map.of("TIME_SERIES_RETAINED_RANGE", "limit 3"));
        join(stores.topics().add("s", kept));
        for (int i = 1; i <= 6; i++) {
            append(kept, Integer.toString(i), null);
        }
        assertThat(join(history().oldestSeq("s"))).isEqualTo(4L);
        assertThat(texts(join(history().after("s", 0, 10)))).containsExactly("4=4", "5=5", "6=6");
        assertThat(join(history().oldestSeq("empty"))).isZero();
    }

    @Test
    void aRangeOfValuesAppliesEachOriginalsLatestEdit() {
        fiveEvents();
        assertThat(texts(join(history().range("s", RangeQuery.of(null, 1L, null, null, null, "values")))))
                .containsExactly("1=10", "2=2", "4=4", "5=5");
        assertThat(texts(join(history().range("s", RangeQuery.of(null, 2L, null, 4L, null, "values")))))
                .containsExactly("2=2", "4=4");
        assertThat(texts(join(history().range("s", RangeQuery.of(2L, null, null, null, null, "values")))))
                .containsExactly("4=4", "5=5");
        assertThat(texts(join(history().range("s", RangeQuery.of(3L, null, null, 4L, null, "values")))))
                .containsExactly("1=10", "2=2", "4=4");
    }

    @Test
    void aRangeOfEditsReturnsEventsAsStored() {
        fiveEvents();
        assertThat(texts(join(history().range("s", RangeQuery.of(null, 2L, null, 4L, null, "edits")))))
                .containsExactly("2=2", "3e1=10", "4=4");
        assertThat(texts(join(history().range("s", RangeQuery.of(2L, null, null, null, null, "edits")))))
                .containsExactly("4=4", "5=5");
        assertThat(texts(join(history().range("s", RangeQuery.of(null, 1L, null, null, 2, "edits")))))
                .containsExactly("1=1", "2=2");
    }

    @Test
    void aRangeFromATimeStartsAtTheFirstEventStoredThen() {
        fiveEvents();
        String beforeAll = Instant.now().minusSeconds(3600).toString();
        String afterAll = Instant.now().plusSeconds(3600).toString();
        assertThat(texts(join(history().range("s", RangeQuery.of(null, null, beforeAll, null, null, "edits")))))
                .containsExactly("1=1", "2=2", "3e1=10", "4=4", "5=5");
        assertThat(join(history().range("s", RangeQuery.of(null, null, afterAll, null, null, "values")))).isEmpty();
    }
}
