package io.pushgate.gateway.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.gateway.replication.TopicUpdate;
import io.pushgate.gateway.selectors.TopicSelector;
import io.pushgate.gateway.timeseries.EventHistory;
import io.pushgate.gateway.timeseries.RangeQuery;
import io.pushgate.gateway.timeseries.TimeSeriesEvent;
import io.pushgate.gateway.topics.Topic;
import io.pushgate.gateway.topics.TopicSpec;
import io.pushgate.gateway.topics.TopicTree;
import io.pushgate.gateway.topics.TopicValue;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.TopicType;
import io.pushgate.protocol.delta.DeltaFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * A new subscriber's first read of a time series races with appends: the read reaches Redis a
 * moment after the subscription, and events appended in between are both in the store and on
 * their way live. The subscriber must get every event after the moment it subscribed, once each.
 * (Found by TimeSeriesReplicasIT: the read returned "the last event" as of when it ran, so the
 * events appended between the subscription and the read were never delivered.)
 */
class TimeSeriesSubscribeRaceTest {

    /** A store whose reads are answered only when the test says, from what it holds by then. */
    private static final class SlowHistory implements EventHistory {
        final List<TimeSeriesEvent> stored = new ArrayList<>();
        final List<Runnable> pendingReads = new ArrayList<>();

        @Override
        public CompletionStage<List<TimeSeriesEvent>> after(String path, long afterSeq, int max) {
            CompletableFuture<List<TimeSeriesEvent>> read = new CompletableFuture<>();
            pendingReads.add(() -> read.complete(stored.stream().filter(e -> e.seq() > afterSeq).limit(max).toList()));
            return read;
        }

        @Override
        public CompletionStage<List<TimeSeriesEvent>> last(String path, int count, long upToSeq) {
            CompletableFuture<List<TimeSeriesEvent>> read = new CompletableFuture<>();
            pendingReads.add(() -> {
                List<TimeSeriesEvent> upTo = stored.stream().filter(e -> e.seq() <= upToSeq).toList();
                read.complete(upTo.subList(Math.max(0, upTo.size() - count), upTo.size()));
            });
            return read;
        }

        @Override
        public CompletionStage<Long> oldestSeq(String path) {
            return CompletableFuture.completedFuture(stored.isEmpty() ? 0L : stored.get(0).seq());
        }

        @Override
        public CompletionStage<List<TimeSeriesEvent>> range(String path, RangeQuery query) {
            throw new UnsupportedOperationException();
        }

        void answerReads() {
            List<Runnable> reads = new ArrayList<>(pendingReads);
            pendingReads.clear();
            reads.forEach(Runnable::run);
        }
    }

    private final TopicTree tree = new TopicTree();
    private final SlowHistory history = new SlowHistory();
    private final Hub hub = new Hub(tree, new GatewayStats(), history);

    @Test
    void eventsAppendedWhileTheFirstReadIsUnderWayAreAllDelivered() {
        Topic room = timeSeries("chat/room", 2);
        RecordingOutbound out = subscriber("chat/room");

        // The subscription is answered; its read of the last events has not reached the store yet.
        append(room, 3);
        append(room, 4);
        append(room, 5);
        history.answerReads();

        // Seqs 1 and 2 were there before: the subscription range (the last one) gives 2. Then 3 to 5.
        assertThat(eventSeqs(out)).containsExactly(2L, 3L, 4L, 5L);
        append(room, 6);
        history.answerReads();
        assertThat(eventSeqs(out)).containsExactly(2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void aSubscriberOfAnEmptySeriesGetsEveryEventFromTheFirst() {
        Topic room = timeSeries("chat/empty", 0);
        RecordingOutbound out = subscriber("chat/empty");
        append(room, 1);
        append(room, 2);
        history.answerReads();
        assertThat(eventSeqs(out)).containsExactly(1L, 2L);
    }

    /** A session subscribed to {@code path}: its subscription's first read is left pending. */
    private RecordingOutbound subscriber(String path) {
        RecordingOutbound out = new RecordingOutbound();
        new Session(1, hub, out, DeltaFormat.JSON_PATCH, new Session.Limits(5_000, 10), () -> 0L).subscribe(TopicSelector.parse(path));
        return out;
    }

    private Topic timeSeries(String path, int existing) {
        TopicSpec spec = TopicSpec.parse(Json.parse("{\"type\":\"TIME_SERIES\",\"eventType\":\"JSON\"}"));
        Topic topic = tree.add(path, spec, Topic.State.EMPTY);
        for (int seq = 1; seq <= existing; seq++) {
            TimeSeriesEvent event = event(seq);
            history.stored.add(event);
            topic.state(new Topic.State(seq, event.value()));
        }
        hub.topicAdded(topic);
        return topic;
    }

    /** What an append does: stored first, then the mirror moves the topic on and fans it out. */
    private void append(Topic topic, long seq) {
        TimeSeriesEvent event = event(seq);
        history.stored.add(event);
        topic.state(new Topic.State(seq, event.value()));
        hub.topicUpdated(TopicUpdate.event(topic, event));
    }

    private static TimeSeriesEvent event(long seq) {
        return new TimeSeriesEvent(seq, 1_000 + seq, "anonymous", TopicValue.fromText(TopicType.JSON, "{\"n\":" + seq + "}"), null);
    }

    private static List<Long> eventSeqs(RecordingOutbound out) {
        List<Long> seqs = new ArrayList<>();
        for (Frame frame : out.frames) {
            JsonNode message = Json.parse(frame.text());
            if ("event".equals(message.path("type").asText())) {
                seqs.add(message.path("event").path("seq").asLong());
            }
        }
        return seqs;
    }
}
