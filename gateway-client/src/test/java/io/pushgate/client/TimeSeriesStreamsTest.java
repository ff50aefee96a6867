package io.pushgate.client;

import static io.pushgate.client.Msg.edit;
import static io.pushgate.client.Msg.event;
import static io.pushgate.client.Msg.gap;
import static io.pushgate.client.Msg.subscription;
import static io.pushgate.client.Msg.timeSeries;
import static io.pushgate.client.Msg.unsubscribed;
import static io.pushgate.client.Msg.value;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Time series in the subscription state machine, without a network: events handed over with
 * their fields, {@code since} on every resubscription, {@code gap} messages, duplicates dropped,
 * and a topic recreated while the client was away.
 */
class TimeSeriesStreamsTest {

    private final FakeGateway gateway = new FakeGateway();
    private final Counters counters = new Counters();
    private final TopicStreams streams = new TopicStreams(gateway, Runnable::run, Runnable::run, counters);

    private SubscriptionImpl subscribed(String selector, ValueListener listener) {
        SubscriptionImpl sub = streams.subscribe(selector, listener);
        gateway.okAll("subscribe");
        assertThat(sub.ready).isCompletedWithValue(sub);
        return sub;
    }

    /** The {@code since} of a subscribe request, as a map. */
    private static Map<String, Long> since(FakeGateway.Sent subscribe) {
        Map<String, Long> since = new LinkedHashMap<>();
        subscribe.request().path("since").fields().forEachRemaining(e -> since.put(e.getKey(), e.getValue().asLong()));
        return since;
    }

    /** The connection drops and a new one opens: returns the subscribe requests sent on it. */
    private List<FakeGateway.Sent> reconnect() {
        gateway.drop();
        streams.connectionLost();
        gateway.connected = true;
        int before = gateway.sent.size();
        streams.connected();
        return gateway.sent.subList(before, gateway.sent.size()).stream().filter(s -> s.op().equals("subscribe")).toList();
    }

    @Test
    void eventsComeWithTheirSeqTimeAuthorValueAndEditOf() {
        EventRecorder r = new EventRecorder();
        subscribed(">chat/room", r);
        streams.onMessage(timeSeries("chat/room", 4, ">chat/room"));
        streams.onMessage(event(4, 1, "{'text':'hello'}"));
        streams.onMessage(edit(4, 2, 1, "{'text':'hello!'}"));

        assertThat(r.lines()).containsExactly("chat/room@1 {\"text\":\"hello\"}", "chat/room@2 {\"text\":\"hello!\"} edit of 1");
        TimeSeriesEvent first = r.events.get(0);
        assertThat(first.seq()).isEqualTo(1);
        assertThat(first.time()).isEqualTo(Instant.parse("2026-11-22T20:00:01Z"));
        assertThat(first.author()).isEqualTo("alice");
        assertThat(first.isEdit()).isFalse();
        assertThat(first.editOf()).isZero();
        TimeSeriesEvent second = r.events.get(1);
        assertThat(second.author()).isEqualTo("bob");
        assertThat(second.editOf()).isEqualTo(1);
        assertThat(second.originalSeq()).isEqualTo(1);
    }

    @Test
    void aPlainValueListenerStillGetsEventsAsValues() {
        Recorder r = new Recorder(); // implements onValue only, as listeners did before onEvent existed
        subscribed(">chat/room", r);
        streams.onMessage(timeSeries("chat/room", 4, ">chat/room"));
        streams.onMessage(event(4, 1, "{'text':'hello'}"));
        streams.onMessage(event(4, 2, "{'text':'again'}"));
        assertThat(r.events()).containsExactly("chat/room@1 {\"text\":\"hello\"}", "chat/room@2 {\"text\":\"again\"}");
    }

    @Test
    void theFirstSubscriptionCarriesNoSince() {
        subscribed(">chat/room", new EventRecorder());
        assertThat(gateway.sent.get(0).request().has("since")).isFalse();
    }

    @Test
    void aReconnectionResubscribesWithSinceTheLastSeqHandedOverAndTheReplayContinuesTheStream() {
        EventRecorder r = new EventRecorder();
        subscribed(">chat/room", r);
        streams.onMessage(timeSeries("chat/room", 4, ">chat/room"));
        for (long seq = 1; seq <= 3; seq++) {
            streams.onMessage(event(4, seq, "{'i':" + seq + "}"));
        }

        List<FakeGateway.Sent> subscribes = reconnect();
        assertThat(subscribes).hasSize(1);
        assertThat(subscribes.get(0).selector()).isEqualTo(">chat/room");
        assertThat(since(subscribes.get(0))).isEqualTo(Map.of("chat/room", 3L));
        gateway.okAll("subscribe");
        // another replica: another tid; it replays what was appended while the client was away
        streams.onMessage(timeSeries("chat/room", 17, ">chat/room"));
        for (long seq = 4; seq <= 6; seq++) {
            streams.onMessage(event(17, seq, "{'i':" + seq + "}"));
        }
        gateway.okAll("ping");
        streams.onMessage(event(17, 7, "{'i':7}"));

        assertThat(r.seqs()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(r.lines()).noneMatch(l -> l.endsWith("REMOVED"));
    }

    @Test
    void eventsAtOrBelowTheLastSeqHandedOverAreDroppedAsDuplicates() {
        EventRecorder r = new EventRecorder();
        subscribed(">chat/room", r);
        streams.onMessage(timeSeries("chat/room", 4, ">chat/room"));
        streams.onMessage(event(4, 1, "{'i':1}"));
        streams.onMessage(event(4, 2, "{'i':2}"));
        streams.onMessage(event(4, 2, "{'i':2}"));
        streams.onMessage(event(4, 1, "{'i':1}"));
        streams.onMessage(event(4, 3, "{'i':3}"));

        reconnect();
        gateway.okAll("subscribe");
        streams.onMessage(timeSeries("chat/room", 5, ">chat/room"));
        // a replay that overlaps what was handed over already (a gateway resuming from an older seq)
        streams.onMessage(event(5, 4, "{'i':4}"));
        streams.onMessage(event(5, 3, "{'i':3}"));
        streams.onMessage(event(5, 4, "{'i':4}"));
        streams.onMessage(event(5, 5, "{'i':5}"));

        assertThat(r.seqs()).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(counters.duplicatesDropped.get()).isEqualTo(4);
    }

    @Test
    void aGapIsToldToTheListenerBeforeTheEventsAfterItAndNotAskedForAgain() {
        EventRecorder r = new EventRecorder();
        subscribed(">chat/room", r);
        streams.onMessage(timeSeries("chat/room", 4, ">chat/room"));
        streams.onMessage(event(4, 1, "{'i':1}"));
        streams.onMessage(event(4, 2, "{'i':2}"));

        reconnect();
        gateway.okAll("subscribe");
        streams.onMessage(timeSeries("chat/room", 4, ">chat/room"));
        streams.onMessage(gap(4, "chat/room", 3, 5)); // trimmed by TIME_SERIES_RETAINED_RANGE meanwhile
        streams.onMessage(event(4, 6, "{'i':6}"));
        assertThat(r.lines()).containsExactly("chat/room@1 {\"i\":1}", "chat/room@2 {\"i\":2}",
                "chat/room gap 3-5 NOT_RETAINED", "chat/room@6 {\"i\":6}");
        assertThat(counters.gaps.get()).isEqualTo(1);

        // no event after the gap yet when the connection drops again: since is past the gap
        streams.onMessage(gap(4, "chat/room", 3, 5)); // told once only
        List<FakeGateway.Sent> again = reconnect();
        assertThat(since(again.get(0))).isEqualTo(Map.of("chat/room", 6L));
        assertThat(r.lines()).hasSize(4);
    }

    @Test
    void aGapWithNoEventAfterItMovesSincePastIt() {
        EventRecorder r = new EventRecorder();
        subscribed(">chat/room", r);
        streams.onMessage(timeSeries("chat/room", 4, ">chat/room"));
        streams.onMessage(event(4, 2, "{'i':2}"));
        reconnect();
        gateway.okAll("subscribe");
        streams.onMessage(timeSeries("chat/room", 4, ">chat/room"));
        streams.onMessage(gap(4, "chat/room", 3, 9));
        assertThat(since(reconnect().get(0))).isEqualTo(Map.of("chat/room", 9L));
    }

    @Test
    void aTimeSeriesWithNoEventYetIsResumedFromZero() {
        EventRecorder r = new EventRecorder();
        subscribed(">chat/empty", r);
        streams.onMessage(timeSeries("chat/empty", 4, ">chat/empty")); // empty: the subscription range delivers nothing
        List<FakeGateway.Sent> subscribes = reconnect();
        assertThat(since(subscribes.get(0))).isEqualTo(Map.of("chat/empty", 0L));
        gateway.okAll("subscribe");
        streams.onMessage(timeSeries("chat/empty", 4, ">chat/empty"));
        streams.onMessage(event(4, 1, "{'i':1}"));
        streams.onMessage(event(4, 2, "{'i':2}"));
        assertThat(r.seqs()).containsExactly(1L, 2L);
    }

    @Test
    void sinceNamesTheTimeSeriesTheSelectorMatchesAndNoOtherTopic() {
        EventRecorder rooms = new EventRecorder();
        Recorder prices = new Recorder();
        subscribed("?chat//", rooms);
        subscribed(">prices/btc", prices);
        subscribed("*nothing/.*", new Recorder());
        streams.onMessage(timeSeries("chat/a", 1, "?chat//"));
        streams.onMessage(event(1, 5, "{'i':5}"));
        streams.onMessage(timeSeries("chat/b", 2, "?chat//"));
        streams.onMessage(event(2, 8, "{'i':8}"));
        streams.onMessage(subscription("prices/btc", 3, "JSON", ">prices/btc"));
        streams.onMessage(value(3, 40, "{'usd':1}"));

        List<FakeGateway.Sent> subscribes = reconnect();
        assertThat(subscribes).extracting(FakeGateway.Sent::selector).containsExactly("?chat//", ">prices/btc", "*nothing/.*");
        assertThat(since(subscribes.get(0))).isEqualTo(Map.of("chat/a", 5L, "chat/b", 8L));
        assertThat(subscribes.get(1).request().has("since")).isFalse(); // not a time series
        assertThat(subscribes.get(2).request().has("since")).isFalse(); // matches neither room
    }

    @Test
    void aTopicRecreatedWhileAwayIsAnnouncedAsRemovedBeforeItsLowerSeqs() {
        EventRecorder r = new EventRecorder();
        subscribed(">chat/room", r);
        streams.onMessage(timeSeries("chat/room", 4, ">chat/room"));
        for (long seq = 1; seq <= 9; seq++) {
            streams.onMessage(event(4, seq, "{'i':" + seq + "}"));
        }
        reconnect();
        gateway.okAll("subscribe");
        // since 9 is beyond the new topic's last seq (3): the gateway starts afresh, like a new subscriber
        streams.onMessage(timeSeries("chat/room", 5, ">chat/room"));
        streams.onMessage(event(5, 3, "{'new':3}"));
        streams.onMessage(event(5, 4, "{'new':4}"));
        assertThat(r.lines()).endsWith("chat/room@9 {\"i\":9}", "chat/room REMOVED", "chat/room@3 {\"new\":3}", "chat/room@4 {\"new\":4}");
        assertThat(since(reconnect().get(0))).isEqualTo(Map.of("chat/room", 4L));
    }

    @Test
    void theLastEventSentAgainAfterAResubscriptionIsADuplicateButAnotherEventAtThatSeqIsANewTopic() {
        EventRecorder r = new EventRecorder();
        subscribed(">chat/room", r);
        streams.onMessage(timeSeries("chat/room", 4, ">chat/room"));
        streams.onMessage(event(4, 1, "{'i':1}"));
        streams.onMessage(event(4, 2, "{'i':2}"));
        reconnect();
        gateway.okAll("subscribe");
        streams.onMessage(timeSeries("chat/room", 4, ">chat/room"));
        streams.onMessage(event(4, 2, "{'i':2}")); // the very event handed over last: dropped
        streams.onMessage(event(4, 3, "{'i':3}"));
        assertThat(r.lines()).containsExactly("chat/room@1 {\"i\":1}", "chat/room@2 {\"i\":2}", "chat/room@3 {\"i\":3}");
        assertThat(counters.duplicatesDropped.get()).isEqualTo(1);

        reconnect();
        gateway.okAll("subscribe");
        streams.onMessage(timeSeries("chat/room", 5, ">chat/room"));
        streams.onMessage(event(5, 3, "{'other':3}")); // seq 3 again, another event: another topic
        assertThat(r.lines()).endsWith("chat/room@3 {\"i\":3}", "chat/room REMOVED", "chat/room@3 {\"other\":3}");
    }

    @Test
    void aSelectorRenewedAfterAnUnsubscribeResumesWithSinceToo() {
        EventRecorder wide = new EventRecorder();
        EventRecorder narrow = new EventRecorder();
        subscribed("?chat//", wide);
        SubscriptionImpl narrowSub = subscribed(">chat/room", narrow);
        streams.onMessage(timeSeries("chat/room", 4, "?chat//", ">chat/room"));
        streams.onMessage(event(4, 1, "{'i':1}"));
        streams.onMessage(event(4, 2, "{'i':2}"));

        narrowSub.closeAsync();
        gateway.open("unsubscribe").get(0).ok();
        // the gateway drops chat/room for this connection (Diffusion's rule): ?chat// is renewed with since
        FakeGateway.Sent renewal = gateway.open("subscribe").get(0);
        assertThat(renewal.selector()).isEqualTo("?chat//");
        assertThat(since(renewal)).isEqualTo(Map.of("chat/room", 2L));
        streams.onMessage(unsubscribed(4, "chat/room", "REQUESTED"));
        renewal.ok();
        streams.onMessage(timeSeries("chat/room", 4, "?chat//"));
        streams.onMessage(event(4, 3, "{'i':3}"));
        gateway.okAll("ping");

        assertThat(wide.seqs()).containsExactly(1L, 2L, 3L);
        assertThat(wide.lines()).noneMatch(l -> l.endsWith("REMOVED") || l.endsWith("REQUESTED"));
        assertThat(narrow.lines()).containsExactly("chat/room@1 {\"i\":1}", "chat/room@2 {\"i\":2}", "chat/room REQUESTED");
    }

    @Test
    void aSubscriptionAddedLaterGetsTheLastEventAtOnce() {
        EventRecorder first = new EventRecorder();
        subscribed(">chat/room", first);
        streams.onMessage(timeSeries("chat/room", 4, ">chat/room"));
        streams.onMessage(event(4, 1, "{'i':1}"));
        streams.onMessage(event(4, 2, "{'i':2}"));
        EventRecorder late = new EventRecorder();
        SubscriptionImpl lateSub = streams.subscribe("?chat//", late);
        gateway.open("subscribe").get(0).ok(4); // the ok names the topic the connection already has
        assertThat(lateSub.ready).isCompletedWithValue(lateSub);
        streams.onMessage(event(4, 3, "{'i':3}"));
        assertThat(late.seqs()).containsExactly(2L, 3L);
    }

    @Test
    void aTimeSeriesListenerIgnoresValuesOfOtherTopics() {
        EventRecorder r = new EventRecorder();
        subscribed("?x//", r);
        streams.onMessage(subscription("x/doc", 1, "JSON", "?x//"));
        streams.onMessage(value(1, 1, "{'a':1}"));
        streams.onMessage(timeSeries("x/room", 2, "?x//"));
        streams.onMessage(event(2, 1, "{'i':1}"));
        assertThat(r.lines()).containsExactly("x/room@1 {\"i\":1}");
    }

    @Test
    void malformedEventsAndGapsAreIgnored() {
        EventRecorder r = new EventRecorder();
        subscribed(">chat/room", r);
        streams.onMessage(timeSeries("chat/room", 4, ">chat/room"));
        streams.onMessage(Msg.json("{'type':'event','tid':4,'event':{'value':1}}"));
        streams.onMessage(Msg.json("{'type':'gap','tid':4,'from':5}"));
        JsonNode ok = event(4, 1, "1");
        streams.onMessage(ok);
        assertThat(r.lines()).containsExactly("chat/room@1 1");
    }
}
