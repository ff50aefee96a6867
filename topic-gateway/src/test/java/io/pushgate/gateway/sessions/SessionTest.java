package io.pushgate.gateway.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.gateway.replication.TopicUpdate;
import io.pushgate.gateway.selectors.TopicSelector;
import io.pushgate.gateway.topics.Topic;
import io.pushgate.gateway.topics.TopicSpec;
import io.pushgate.gateway.topics.TopicTree;
import io.pushgate.gateway.topics.TopicValue;
import io.pushgate.protocol.CloseCodes;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.TopicType;
import io.pushgate.protocol.delta.DeltaFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fan-out rules of the contract, on the core alone: no transport, no Redis. */
class SessionTest {

    private final TopicTree tree = new TopicTree();
    private final GatewayStats stats = new GatewayStats();
    private final Hub hub = new Hub(tree, stats, null);
    private final AtomicLong clock = new AtomicLong(1_000);
    private RecordingOutbound out;
    private Session session;

    @BeforeEach
    void open() {
        out = new RecordingOutbound();
        session = new Session(1, hub, out, DeltaFormat.JSON_PATCH, new Session.Limits(5_000, 10), clock::get);
    }

    @Test
    void subscribingSendsSubscriptionThenCurrentValue() {
        Topic topic = addTopic("a/b", "{\"x\":1}", 3);
        session.subscribe(TopicSelector.parse("?a//"));
        assertThat(out.types()).containsExactly("subscription", "value");
        JsonNode value = Json.parse(out.last().text());
        assertThat(value.path("tid").asLong()).isEqualTo(topic.tid());
        assertThat(value.path("seq").asLong()).isEqualTo(3);
    }

    @Test
    void aConnectionHoldingThePreviousValueGetsADeltaOthersAWholeValue() {
        Topic topic = addTopic("t", bigDoc(1), 1);
        session.subscribe(TopicSelector.parse("t"));
        update(topic, bigDoc(2), 2);
        assertThat(out.last().kind()).isEqualTo(Frame.Kind.DELTA);
        // seq 3 is skipped (a gap): the next message must be a whole value.
        update(topic, bigDoc(4), 4, null);
        assertThat(out.last().kind()).isEqualTo(Frame.Kind.VALUE);
    }

    @Test
    void seqsOnlyIncreaseOldOrRepeatedUpdatesAreDropped() {
        Topic topic = addTopic("t", "1", 5);
        session.subscribe(TopicSelector.parse("t"));
        int before = out.frames.size();
        update(topic, "1", 5);
        update(topic, "0", 4);
        assertThat(out.frames).hasSize(before);
    }

    @Test
    void aFullQueueConflatesPerTopicAndTheDrainSendsTheLatestWholeValue() {
        Topic topic = addTopic("t", bigDoc(1), 1);
        session.subscribe(TopicSelector.parse("t"));
        out.writable = false;
        for (int seq = 2; seq <= 50; seq++) {
            update(topic, bigDoc(seq), seq);
        }
        assertThat(out.frames).hasSize(2);
        assertThat(stats.conflations.sum()).isEqualTo(1);
        out.writable = true;
        session.drained();
        assertThat(out.frames).hasSize(3);
        JsonNode last = Json.parse(out.last().text());
        assertThat(last.path("type").asText()).isEqualTo("value");
        assertThat(last.path("seq").asLong()).isEqualTo(50);
        update(topic, bigDoc(51), 51);
        assertThat(out.last().kind()).isEqualTo(Frame.Kind.DELTA);
    }

    @Test
    void aConnectionBehindForTooLongIsClosedAsASlowConsumer() {
        Topic topic = addTopic("t", "1", 1);
        session.subscribe(TopicSelector.parse("t"));
        out.writable = false;
        update(topic, "2", 2);
        clock.addAndGet(4_000);
        session.checkSlowConsumer();
        assertThat(out.closedWith).isZero();
        clock.addAndGet(2_000);
        session.checkSlowConsumer();
        assertThat(out.closedWith).isEqualTo(CloseCodes.SLOW_CONSUMER);
        assertThat(session.isClosed()).isTrue();
        assertThat(stats.subscriptions.get()).isZero();
    }

    @Test
    void topicsWithConflationUnsubscribeAreDroppedInsteadOfConflated() {
        TopicSpec spec = TopicSpec.of(TopicType.JSON, Map.of("CONFLATION", "unsubscribe"));
        Topic topic = tree.add("u", spec, new Topic.State(1, TopicValue.fromText(TopicType.JSON, "1")));
        session.subscribe(TopicSelector.parse("u"));
        out.writable = false;
        update(topic, "2", 2);
        JsonNode last = Json.parse(out.last().text());
        assertThat(last.path("type").asText()).isEqualTo("unsubscribed");
        assertThat(last.path("reason").asText()).isEqualTo("CONFLATED_AWAY");
    }

    @Test
    void topicsAddedLaterAreSubscribedAndRemovedOnesAnnounced() {
        session.subscribe(TopicSelector.parse("?sensors/"));
        Topic topic = tree.add("sensors/1", TopicSpec.of(TopicType.JSON), Topic.State.EMPTY);
        hub.topicAdded(topic);
        tree.add("other/1", TopicSpec.of(TopicType.JSON), Topic.State.EMPTY);
        hub.topicAdded(tree.get("other/1"));
        assertThat(out.types()).containsExactly("subscription");
        tree.remove("sensors/1");
        hub.topicRemoved(topic);
        assertThat(Json.parse(out.last().text()).path("reason").asText()).isEqualTo("REMOVED");
        assertThat(session.subscribedPaths()).isEmpty();
    }

    @Test
    void eachFrameOfAnUpdateIsEncodedOnceForAllSubscribers() {
        Topic topic = addTopic("shared", bigDoc(1), 1);
        RecordingOutbound other = new RecordingOutbound();
        Session second = new Session(2, hub, other, DeltaFormat.JSON_PATCH, new Session.Limits(5_000, 10), clock::get);
        session.subscribe(TopicSelector.parse("shared"));
        second.subscribe(TopicSelector.parse("shared"));
        update(topic, bigDoc(2), 2);
        assertThat(out.last()).isSameAs(other.last());
    }

    @Test
    void unsubscribeEndsTopicsTheSelectorMatchesAndKeepsOthers() {
        addTopic("a/1", "1", 1);
        addTopic("b/1", "1", 1);
        session.subscribe(TopicSelector.parse("?a//"));
        session.subscribe(TopicSelector.parse("?b//"));
        assertThat(session.unsubscribe(TopicSelector.parse("?a//"))).isEqualTo(1);
        assertThat(session.subscribedPaths()).containsExactly("b/1");
    }

    @Test
    void theStatsCountEveryMessageSentOfAnUpdateByKindAndBytes() {
        // The hub counts the frames of an update once per distinct frame: the totals are per message.
        RecordingOutbound secondOut = new RecordingOutbound();
        Session second = new Session(2, hub, secondOut, DeltaFormat.JSON_PATCH, new Session.Limits(5_000, 10), clock::get);
        RecordingOutbound thirdOut = new RecordingOutbound();
        Session third = new Session(3, hub, thirdOut, DeltaFormat.JSON_PATCH, new Session.Limits(5_000, 10), clock::get);
        Topic topic = addTopic("t", bigDoc(1), 1);
        session.subscribe(TopicSelector.parse("t"));
        second.subscribe(TopicSelector.parse("t"));
        third.subscribe(TopicSelector.parse("t"));
        long messagesBefore = stats.framesOut.sum();
        long bytesBefore = stats.bytesOut.sum();
        long valuesBefore = stats.valuesOut.sum();

        thirdOut.writable = false;
        update(topic, bigDoc(2), 2);
        update(topic, bigDoc(4), 4, null);

        // seq 2: a delta to the two writable sessions; seq 4 (after a gap): a whole value to them.
        Frame delta = out.frames.get(out.frames.size() - 2);
        Frame value = out.last();
        assertThat(delta.kind()).isEqualTo(Frame.Kind.DELTA);
        assertThat(value.kind()).isEqualTo(Frame.Kind.VALUE);
        assertThat(secondOut.frames.subList(secondOut.frames.size() - 2, secondOut.frames.size())).containsExactly(delta, value);
        assertThat(stats.framesOut.sum() - messagesBefore).isEqualTo(4);
        assertThat(stats.deltasOut.sum()).isEqualTo(2);
        assertThat(stats.valuesOut.sum() - valuesBefore).isEqualTo(2);
        assertThat(stats.bytesOut.sum() - bytesBefore).isEqualTo(2L * (delta.utf8().length + value.utf8().length));
    }

    private Topic addTopic(String path, String json, long seq) {
        Topic topic = tree.add(path, TopicSpec.of(TopicType.JSON), new Topic.State(seq, TopicValue.fromText(TopicType.JSON, json)));
        hub.topicAdded(topic);
        return topic;
    }

    private void update(Topic topic, String json, long seq) {
        update(topic, json, seq, topic.state().value());
    }

    private void update(Topic topic, String json, long seq, TopicValue previous) {
        TopicValue value = TopicValue.fromText(TopicType.JSON, json);
        if (seq > topic.state().seq()) {
            topic.state(new Topic.State(seq, value));
        }
        hub.topicUpdated(new TopicUpdate(topic, seq, previous, value));
    }

    private static String bigDoc(int n) {
        return "{\"time\":\"2026-11-22T20:00:" + n + "\",\"disclaimer\":\"" + "d".repeat(200) + "\",\"rate\":" + n + "}";
    }
}
