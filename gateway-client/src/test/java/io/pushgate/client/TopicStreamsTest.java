package io.pushgate.client;

import static io.pushgate.client.Msg.fossil;
import static io.pushgate.client.Msg.patch;
import static io.pushgate.client.Msg.subscription;
import static io.pushgate.client.Msg.textValue;
import static io.pushgate.client.Msg.unsubscribed;
import static io.pushgate.client.Msg.value;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.delta.FossilDelta;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The subscription state machine without a network: a fake gateway records requests, the test
 * plays the gateway's messages, and everything runs on the test's thread.
 */
class TopicStreamsTest {

    private final FakeGateway gateway = new FakeGateway();
    private final Counters counters = new Counters();
    private final TopicStreams streams = new TopicStreams(gateway, Runnable::run, Runnable::run, counters);

    private SubscriptionImpl subscribed(String selector, Recorder recorder) {
        SubscriptionImpl sub = streams.subscribe(selector, recorder);
        gateway.okAll("subscribe");
        assertThat(sub.ready).isCompletedWithValue(sub);
        return sub;
    }

    @Test
    void jsonPatchDeltasAreAppliedAndWholeValuesHandedOver() {
        Recorder r = new Recorder();
        SubscriptionImpl sub = subscribed(">prices/btc", r);
        assertThat(gateway.sent.get(0).selector()).isEqualTo(">prices/btc");

        streams.onMessage(subscription("prices/btc", 7, "JSON", ">prices/btc"));
        streams.onMessage(value(7, 1, "{'usd':{'rate':43000.5,'code':'USD'},'time':'t1'}"));
        streams.onMessage(patch(7, 2, "[{'op':'replace','path':'/usd/rate','value':43001.25},{'op':'replace','path':'/time','value':'t2'}]"));

        assertThat(r.events()).containsExactly(
                "prices/btc@1 {\"usd\":{\"rate\":43000.5,\"code\":\"USD\"},\"time\":\"t1\"}",
                "prices/btc@2 {\"usd\":{\"rate\":43001.25,\"code\":\"USD\"},\"time\":\"t2\"}");
        assertThat(sub.topics()).containsExactly("prices/btc");
        assertThat(counters.deltasApplied.get()).isEqualTo(1);
        assertThat(counters.resyncs.get()).isZero();
    }

    @Test
    void aListenerThatAsksForTheSpecGetsEachValueWithItsTopicsSpecAndPlainListenersAreUnchanged() {
        java.util.List<String> withSpecs = new java.util.ArrayList<>();
        ValueListener typed = new ValueListener() {
            @Override
            public void onValue(String topic, long seq, JsonNode value) {
                withSpecs.add("without spec: " + topic); // never called: the client calls the spec-aware one
            }

            @Override
            public void onValue(String topic, JsonNode spec, long seq, JsonNode value) {
                withSpecs.add(topic + "@" + seq + " " + spec.path("type").asText() + " " + value);
            }
        };
        streams.subscribe("?n//", typed);
        Recorder plain = new Recorder();
        subscribed("?n//", plain);
        streams.onMessage(subscription("n/i", 1, "INT64", "?n//"));
        streams.onMessage(value(1, 1, "42"));
        streams.onMessage(subscription("n/d", 2, "DOUBLE", "?n//"));
        streams.onMessage(value(2, 3, "42"));
        streams.onMessage(value(2, 4, "42.5"));

        assertThat(withSpecs).containsExactly("n/i@1 INT64 42", "n/d@3 DOUBLE 42", "n/d@4 DOUBLE 42.5");
        assertThat(plain.events()).containsExactly("n/i@1 42", "n/d@3 42", "n/d@4 42.5");
    }

    @Test
    void fossilDeltasApplyToTheExactTextOfJsonAndStringTopics() {
        Recorder r = new Recorder();
        subscribed("?t//", r);
        String v1 = "{\"a\":1,\"name\":\"caf\u00e9 \u2603\",\"list\":[1,2,3]}";
        String v2 = "{\"a\":2,\"name\":\"caf\u00e9 \u2603\",\"list\":[1,2,3,4]}";
        streams.onMessage(subscription("t/json", 1, "JSON", "?t//"));
        streams.onMessage(textValue(1, 1, v1));
        streams.onMessage(fossil(1, 2, FossilDelta.createText(v1, v2)));

        streams.onMessage(subscription("t/string", 2, "STRING", "?t//"));
        streams.onMessage(textValue(2, 5, "hello world"));
        streams.onMessage(fossil(2, 6, FossilDelta.createText("hello world", "hello, wide world")));

        assertThat(r.values.get("t/json")).isEqualTo(Msg.json(v2.replace('"', '\'')));
        assertThat(r.values.get("t/string").isTextual()).isTrue();
        assertThat(r.values.get("t/string").asText()).isEqualTo("hello, wide world");
        assertThat(r.seqs).containsEntry("t/json", 2L).containsEntry("t/string", 6L);
        assertThat(gateway.open("fetch")).isEmpty();
    }

    @Test
    void aDeltaThatSkipsASeqIsNotGuessedAtTheTopicIsFetchedAndLaterDeltasApplied() {
        Recorder r = new Recorder();
        subscribed(">a", r);
        streams.onMessage(subscription("a", 1, "JSON", ">a"));
        streams.onMessage(value(1, 1, "{'n':1}"));
        streams.onMessage(patch(1, 3, "[{'op':'replace','path':'/n','value':3}]")); // seq 2 missing
        streams.onMessage(patch(1, 4, "[{'op':'replace','path':'/n','value':4}]")); // waits for the fetch

        assertThat(r.events()).containsExactly("a@1 {\"n\":1}");
        FakeGateway.Sent fetch = gateway.open("fetch").get(0);
        assertThat(fetch.selector()).isEqualTo(">a");
        fetch.answer("{'type':'fetch','results':[{'topic':'a','spec':{'type':'JSON'},'seq':3,'value':{'n':3}}]}");

        assertThat(r.events()).containsExactly("a@1 {\"n\":1}", "a@3 {\"n\":3}", "a@4 {\"n\":4}");
        assertThat(counters.resyncs.get()).isEqualTo(1);
        // and it goes on with deltas as usual
        streams.onMessage(patch(1, 5, "[{'op':'replace','path':'/n','value':5}]"));
        assertThat(r.seqs).containsEntry("a", 5L);
    }

    private static final String THEIRS = "the value the gateway holds, long enough for the delta to copy from it";

    @Test
    void aFossilDeltaThatFailsItsChecksumIsNeverHandedOver() {
        Recorder r = new Recorder();
        subscribed(">s", r);
        streams.onMessage(subscription("s", 1, "STRING", ">s"));
        streams.onMessage(textValue(1, 1, "0123456789abcdefghijklmnopqrstuvwxyz-0123456789abcdefghijklmnopqrstuvwxyz"));
        // a delta made against another text: what it produces here fails its checksum
        streams.onMessage(fossil(1, 2, FossilDelta.createText(THEIRS, THEIRS + " and more")));

        assertThat(r.events()).containsExactly("s@1 \"0123456789abcdefghijklmnopqrstuvwxyz-0123456789abcdefghijklmnopqrstuvwxyz\"");
        gateway.open("fetch").get(0).answer("{'type':'fetch','results':[{'topic':'s','spec':{'type':'STRING'},'seq':2,'value':'" + THEIRS + " and more'}]}");
        assertThat(r.events()).containsExactly("s@1 \"0123456789abcdefghijklmnopqrstuvwxyz-0123456789abcdefghijklmnopqrstuvwxyz\"", "s@2 \"" + THEIRS + " and more\"");
        // the next delta applies to the fetched value's text
        streams.onMessage(fossil(1, 3, FossilDelta.createText(THEIRS + " and more", THEIRS + " and more now")));
        assertThat(r.values.get("s").asText()).isEqualTo(THEIRS + " and more now");
    }

    @Test
    void aJsonPatchThatDoesNotApplyIsResolvedByFetching() {
        Recorder r = new Recorder();
        subscribed(">a", r);
        streams.onMessage(subscription("a", 1, "JSON", ">a"));
        streams.onMessage(value(1, 1, "{'n':1}"));
        streams.onMessage(patch(1, 2, "[{'op':'remove','path':'/missing'}]"));
        assertThat(r.events()).hasSize(1);
        assertThat(gateway.open("fetch")).hasSize(1);
    }

    @Test
    void aWholeValueDuringAResyncEndsIt() {
        Recorder r = new Recorder();
        subscribed(">a", r);
        streams.onMessage(subscription("a", 1, "JSON", ">a"));
        streams.onMessage(value(1, 1, "{'n':1}"));
        streams.onMessage(patch(1, 3, "[{'op':'replace','path':'/n','value':3}]"));
        streams.onMessage(value(1, 4, "{'n':4}")); // conflation sends a whole value
        streams.onMessage(patch(1, 5, "[{'op':'replace','path':'/n','value':5}]"));
        // the fetch answers late with an older value: ignored
        gateway.open("fetch").get(0).answer("{'type':'fetch','results':[{'topic':'a','spec':{'type':'JSON'},'seq':3,'value':{'n':3}}]}");

        assertThat(r.events()).containsExactly("a@1 {\"n\":1}", "a@4 {\"n\":4}", "a@5 {\"n\":5}");
    }

    @Test
    void valuesThatAreNotNewerAreIgnored() {
        Recorder r = new Recorder();
        subscribed(">a", r);
        streams.onMessage(subscription("a", 1, "INT64", ">a"));
        streams.onMessage(value(1, 2, "20"));
        streams.onMessage(value(1, 2, "20"));
        streams.onMessage(value(1, 1, "10"));
        streams.onMessage(value(1, 3, "30"));
        assertThat(r.events()).containsExactly("a@2 20", "a@3 30");
    }

    @Test
    void eachTopicGoesToTheSubscriptionsWhoseSelectorsMatchIt() {
        Recorder all = new Recorder();
        Recorder one = new Recorder();
        subscribed("?a//", all);
        subscribed("a/b", one);
        streams.onMessage(subscription("a/b", 1, "INT64", "?a//", ">a/b"));
        streams.onMessage(value(1, 1, "1"));
        streams.onMessage(subscription("a/c", 2, "INT64", "?a//"));
        streams.onMessage(value(2, 1, "2"));

        assertThat(all.events()).containsExactly("a/b@1 1", "a/c@1 2");
        assertThat(one.events()).containsExactly("a/b@1 1");

        // a subscription added later gets what the client already holds at once: the gateway
        // sends nothing again for a topic this connection already has (its ok names the topic)
        Recorder late = new Recorder();
        SubscriptionImpl lateSub = streams.subscribe(">a/c", late);
        gateway.open("subscribe").get(0).ok(2);
        assertThat(late.events()).containsExactly("a/c@1 2");
        assertThat(lateSub.ready).isCompleted();
        streams.onMessage(value(2, 2, "3"));
        assertThat(late.events()).containsExactly("a/c@1 2", "a/c@2 3");
    }

    @Test
    void closingASubscriptionKeepsTheTopicsAnotherOneSelects() {
        Recorder all = new Recorder();
        Recorder one = new Recorder();
        SubscriptionImpl allSub = subscribed("?a//", all);
        SubscriptionImpl oneSub = subscribed(">a/b", one);
        streams.onMessage(subscription("a/b", 1, "INT64", "?a//", ">a/b"));
        streams.onMessage(value(1, 1, "1"));

        CompletableFuture<Void> closed = oneSub.closeAsync();
        assertThat(one.events()).containsExactly("a/b@1 1", "a/b REQUESTED");
        FakeGateway.Sent unsubscribe = gateway.open("unsubscribe").get(0);
        assertThat(unsubscribe.selector()).isEqualTo(">a/b");
        unsubscribe.ok();
        assertThat(closed).isCompleted();
        // the gateway unsubscribes a/b for this connection (Diffusion's rule): the client renews ?a//
        streams.onMessage(unsubscribed(1, "a/b", "REQUESTED"));
        assertThat(gateway.open("subscribe")).extracting(FakeGateway.Sent::selector).containsExactly("?a//");
        gateway.okAll("subscribe");
        streams.onMessage(subscription("a/b", 1, "INT64", "?a//"));
        streams.onMessage(value(1, 1, "1"));
        gateway.okAll("ping");
        streams.onMessage(value(1, 2, "2"));

        assertThat(all.events()).containsExactly("a/b@1 1", "a/b@2 2");
        assertThat(one.events()).containsExactly("a/b@1 1", "a/b REQUESTED");
        assertThat(allSub.topics()).containsExactly("a/b");
        assertThat(oneSub.isOpen()).isFalse();
    }

    @Test
    void aReconnectionRenewsEverySelectorAndHandsTheCurrentValuesAgain() {
        Recorder r = new Recorder();
        subscribed("?x//", r);
        streams.onMessage(subscription("x/kept", 1, "INT64", "?x//"));
        streams.onMessage(value(1, 4, "40"));
        streams.onMessage(subscription("x/updated", 2, "INT64", "?x//"));
        streams.onMessage(value(2, 1, "1"));
        streams.onMessage(subscription("x/gone", 3, "INT64", "?x//"));
        streams.onMessage(value(3, 1, "1"));

        gateway.drop();
        streams.connectionLost();
        gateway.connected = true;
        streams.connected();
        assertThat(gateway.open("subscribe")).extracting(FakeGateway.Sent::selector).containsExactly("?x//");
        gateway.okAll("subscribe");
        // tids are per gateway process: they may change
        streams.onMessage(subscription("x/kept", 11, "INT64", "?x//"));
        streams.onMessage(value(11, 4, "40"));
        streams.onMessage(subscription("x/updated", 12, "INT64", "?x//"));
        streams.onMessage(value(12, 3, "3"));
        gateway.okAll("ping");
        streams.onMessage(value(11, 5, "50"));

        assertThat(r.events()).containsExactly(
                "x/kept@4 40", "x/updated@1 1", "x/gone@1 1",
                "x/kept@4 40", "x/updated@3 3", "x/gone REMOVED", "x/kept@5 50");
    }

    @Test
    void aTopicRecreatedWhileAwayIsAnnouncedAsRemovedBeforeItsLowerSeqs() {
        Recorder r = new Recorder();
        subscribed(">a", r);
        streams.onMessage(subscription("a", 1, "STRING", ">a"));
        streams.onMessage(value(1, 9, "'old'"));
        gateway.drop();
        streams.connectionLost();
        gateway.connected = true;
        streams.connected();
        gateway.okAll("subscribe");
        streams.onMessage(subscription("a", 2, "STRING", ">a"));
        streams.onMessage(value(2, 1, "'new'"));
        assertThat(r.events()).containsExactly("a@9 \"old\"", "a REMOVED", "a@1 \"new\"");
    }

    @Test
    void aSubscriptionMadeWhileReconnectingIsSentOnTheNextConnection() {
        gateway.connected = false;
        Recorder r = new Recorder();
        SubscriptionImpl sub = streams.subscribe(">a", r);
        assertThat(gateway.sent).isEmpty();
        assertThat(sub.ready).isNotDone();

        gateway.connected = true;
        streams.connected();
        gateway.okAll("subscribe");
        assertThat(sub.ready).isCompletedWithValue(sub);
    }

    @Test
    void aRefusedSelectorFailsWithTheGatewaysCodeAndEnds() {
        SubscriptionImpl sub = streams.subscribe("?a/[", new Recorder());
        gateway.open("subscribe").get(0).reply().completeExceptionally(new PushgateException(ErrorCode.INVALID, "bad selector"));
        assertThat(sub.ready).isCompletedExceptionally();
        Throwable error = sub.ready.handle((ok, e) -> e).join();
        assertThat(error).isInstanceOf(PushgateException.class);
        assertThat(((PushgateException) error).code()).isEqualTo(ErrorCode.INVALID);
        assertThat(sub.isOpen()).isFalse();
    }

    @Test
    void theGatewayRemovingATopicIsPassedOn() {
        Recorder r = new Recorder();
        SubscriptionImpl sub = subscribed("?a//", r);
        streams.onMessage(subscription("a/b", 1, "JSON", "?a//"));
        streams.onMessage(value(1, 1, "{}"));
        streams.onMessage(unsubscribed(1, "a/b", "REMOVED"));
        streams.onMessage(value(1, 2, "{}")); // nothing after the removal
        assertThat(r.events()).containsExactly("a/b@1 {}", "a/b REMOVED");
        assertThat(sub.topics()).isEmpty();
        assertThat(streams.topicsForTest()).isEmpty();
    }

    @Test
    void aListenerThatThrowsDoesNotStopTheOthers() {
        Recorder r = new Recorder();
        streams.subscribe(">a", (topic, seq, value) -> {
            throw new IllegalStateException("boom");
        });
        subscribed(">a", r);
        streams.onMessage(subscription("a", 1, "INT64", ">a"));
        streams.onMessage(value(1, 1, "1"));
        streams.onMessage(value(1, 2, "2"));
        assertThat(r.events()).containsExactly("a@1 1", "a@2 2");
    }

    @Test
    void whenTheClientClosesPendingSubscriptionsFail() {
        gateway.connected = false;
        SubscriptionImpl sub = streams.subscribe(">a", new Recorder());
        streams.clientClosed();
        assertThat(sub.ready).isCompletedExceptionally();
        assertThat(sub.isOpen()).isFalse();
        JsonNode ignored = value(1, 1, "1");
        streams.onMessage(ignored); // no effect, no failure
    }
}
