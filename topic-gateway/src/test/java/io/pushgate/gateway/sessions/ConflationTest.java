package io.pushgate.gateway.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.gateway.replication.TopicUpdate;
import io.pushgate.gateway.selectors.TopicSelector;
import io.pushgate.gateway.topics.Topic;
import io.pushgate.gateway.topics.TopicSpec;
import io.pushgate.gateway.topics.TopicTree;
import io.pushgate.gateway.topics.TopicValue;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.TopicType;
import io.pushgate.protocol.delta.DeltaFormat;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A slow client, through the session (the part it concerns is {@link Conflation}): what stays
 * pending while the queue is full, in which order the drain sends it, and when the session stops
 * being behind.
 */
class ConflationTest {

    private final TopicTree tree = new TopicTree();
    private final GatewayStats stats = new GatewayStats();
    private final Hub hub = new Hub(tree, stats, null);
    private final AtomicLong clock = new AtomicLong(1_000);
    /** Takes {@link #room} frames more, then is full. */
    private int room = Integer.MAX_VALUE;
    private final Map<Long, String> paths = new HashMap<>();
    private final FillingOutbound out = new FillingOutbound();

    /** A client end whose queue is full when told so, or once it has taken {@link #room} frames. */
    private final class FillingOutbound implements Outbound {
        final List<Frame> frames = new ArrayList<>();
        boolean writable = true;

        @Override
        public void send(Frame frame) {
            frames.add(frame);
            room--;
        }

        @Override
        public boolean isWritable() {
            return writable && room > 0;
        }

        @Override
        public void close(int code, String reason) {
        }

        @Override
        public Executor executor() {
            return Runnable::run;
        }
    }
    private final Session session = new Session(1, hub, out, DeltaFormat.JSON_PATCH, new Session.Limits(5_000, 10), clock::get);

    @Test
    void theDrainSendsTheOldestPendingFirstAndStopsWhenTheQueueIsFullAgain() {
        Topic a = addTopic("p/a");
        Topic b = addTopic("p/b");
        Topic c = addTopic("p/c");
        session.subscribe(TopicSelector.parse("?p/"));
        out.frames.clear();
        out.writable = false;
        update(c, 2);
        update(a, 2);
        update(b, 2);
        update(a, 3);
        assertThat(out.frames).isEmpty();
        assertThat(stats.conflations.sum()).as("one per topic, not per update").isEqualTo(3);

        out.writable = true;
        room = 2;
        session.drained();
        assertThat(paths()).containsExactly("p/c=2", "p/a=3");
        assertThat(session.isBehind()).as("p/b is still pending").isTrue();

        room = Integer.MAX_VALUE;
        session.drained();
        assertThat(paths()).containsExactly("p/c=2", "p/a=3", "p/b=2");
        assertThat(session.isBehind()).isFalse();
    }

    @Test
    void whileBehindEvenAWritableQueueGetsNoDeltasOnlyTheDrainedValue() {
        Topic a = addTopic("p/a");
        Topic b = addTopic("p/b");
        session.subscribe(TopicSelector.parse("?p/"));
        out.frames.clear();
        out.writable = false;
        update(a, 2);
        out.writable = true;
        update(b, 2);
        assertThat(out.frames).as("behind: b waits its turn behind a").isEmpty();

        session.drained();
        assertThat(paths()).containsExactly("p/a=2", "p/b=2");
        assertThat(out.frames).extracting(Frame::kind).containsOnly(Frame.Kind.VALUE);
    }

    @Test
    void aSubscriptionThatEndsWhilePendingIsNotSentOnTheDrain() {
        Topic a = addTopic("p/a");
        addTopic("q/b");
        session.subscribe(TopicSelector.parse("?p/"));
        session.subscribe(TopicSelector.parse("?q/"));
        out.writable = false;
        update(a, 2);
        session.unsubscribe(TopicSelector.parse("?p/"));
        out.frames.clear();

        out.writable = true;
        session.drained();
        assertThat(out.frames).isEmpty();
        assertThat(session.isBehind()).isFalse();
    }

    @Test
    void catchingUpInTimeKeepsTheSessionOpen() {
        Topic a = addTopic("p/a");
        session.subscribe(TopicSelector.parse("?p/"));
        out.writable = false;
        update(a, 2);
        clock.addAndGet(4_000);
        out.writable = true;
        session.checkSlowConsumer();
        assertThat(session.isBehind()).as("the sweeper drains a writable queue itself").isFalse();

        clock.addAndGet(10_000);
        session.checkSlowConsumer();
        assertThat(session.isClosed()).isFalse();
        assertThat(stats.slowConsumersClosed.sum()).isZero();
    }

    private List<String> paths() {
        return out.frames.stream().map(f -> Json.parse(f.text())).filter(n -> n.path("type").asText().equals("value"))
                .map(n -> pathOf(n) + "=" + n.path("seq").asLong()).toList();
    }

    private String pathOf(JsonNode value) {
        return paths.get(value.path("tid").asLong());
    }

    private Topic addTopic(String path) {
        Topic topic = tree.add(path, TopicSpec.of(TopicType.JSON), new Topic.State(1, TopicValue.fromText(TopicType.JSON, "{\"n\":1}")));
        paths.put(topic.tid(), path);
        hub.topicAdded(topic);
        return topic;
    }

    private void update(Topic topic, long seq) {
        TopicValue previous = topic.state().value();
        TopicValue value = TopicValue.fromText(TopicType.JSON, "{\"n\":" + seq + "}");
        topic.state(new Topic.State(seq, value));
        hub.topicUpdated(new TopicUpdate(topic, seq, previous, value));
    }
}
