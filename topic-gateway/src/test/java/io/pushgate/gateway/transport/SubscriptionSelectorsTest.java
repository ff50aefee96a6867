package io.pushgate.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.testsupport.JsonWebSocket;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The extension that lets a client keep, per tid, the set of its selectors that match with no
 * selector engine of its own: {@code subscription} lists the connection's matching selectors as
 * written, and {@code subscribe}'s {@code ok} lists the tids already subscribed that the new selector
 * matches too. Over a real WebSocket, against a real Redis.
 */
@QuarkusTest
class SubscriptionSelectorsTest extends GatewayTestBase {

    private static final Map<String, Object> JSON = Map.of("type", "JSON");

    @Test
    void subscriptionsSayWhichSelectorsMatchAndSubscribeSaysWhichTopicsItAlsoMatches() {
        String root = unique("selectors");
        JsonWebSocket publisher = connect();
        publisher.call(op("set", "topic", root + "/a/x", "value", Map.of("n", 1), "spec", JSON));
        publisher.call(op("set", "topic", root + "/b", "value", Map.of("n", 2), "spec", JSON));

        JsonWebSocket ws = connect();
        // Written as a split-path pattern of literals (the gateway reads it as >root/a//): sent back as written.
        String first = "?" + root + "/a//";
        JsonNode ok = ws.call(op("subscribe", "selector", first));
        assertThat(ok.path("type").asText()).isEqualTo("ok");
        assertThat(tids(ok)).isEmpty();
        JsonNode ax = awaitSubscription(ws, root + "/a/x");
        assertThat(selectors(ax)).containsExactly(first);

        // A second, overlapping selector (a bare path, also as written): the topic it shares with the
        // first comes back in tids, with no new subscription; only the new topic gets one.
        String second = root + "//";
        JsonNode ok2 = ws.call(op("subscribe", "selector", second));
        assertThat(tids(ok2)).containsExactly(ax.path("tid").asLong());
        JsonNode b = awaitSubscription(ws, root + "/b");
        assertThat(selectors(b)).containsExactly(second);

        // A topic added later that both match lists both, in the order they were subscribed.
        publisher.call(op("set", "topic", root + "/a/y", "value", Map.of("n", 3), "spec", JSON));
        assertThat(selectors(awaitSubscription(ws, root + "/a/y"))).containsExactly(first, second);

        // Unsubscribing one of the two: Diffusion's rule unsubscribes what it matches; what is added
        // later then lists only the selector that remains.
        ws.call(op("unsubscribe", "selector", first));
        List<String> unsubscribed = new ArrayList<>();
        unsubscribed.add(ws.awaitType("unsubscribed").path("topic").asText());
        unsubscribed.add(ws.awaitType("unsubscribed").path("topic").asText());
        assertThat(unsubscribed).containsExactlyInAnyOrder(root + "/a/x", root + "/a/y");
        publisher.call(op("set", "topic", root + "/a/z", "value", Map.of("n", 4), "spec", JSON));
        assertThat(selectors(awaitSubscription(ws, root + "/a/z"))).containsExactly(second);

        // Subscribing the remaining selector again: tids lists the topics it already has; the ones the
        // unsubscribe took away come back with a subscription each, listing it.
        JsonNode again = ws.call(op("subscribe", "selector", second));
        assertThat(tids(again)).containsExactlyInAnyOrder(b.path("tid").asLong(), tidOf.get(root + "/a/z"));
        assertThat(selectors(awaitSubscription(ws, root + "/a/x"))).containsExactly(second);
        assertThat(selectors(awaitSubscription(ws, root + "/a/y"))).containsExactly(second);
        ws.call(op("ping"));
        assertThat(ws.drain()).noneMatch(m -> m.path("type").asText().equals("subscription"));
    }

    /** The tid of each topic whose subscription was awaited. */
    private final Map<String, Long> tidOf = new HashMap<>();

    private JsonNode awaitSubscription(JsonWebSocket ws, String topic) {
        JsonNode sub = ws.await(m -> m.path("type").asText().equals("subscription") && m.path("topic").asText().equals(topic),
                Duration.ofSeconds(10));
        tidOf.put(topic, sub.path("tid").asLong());
        return sub;
    }

    private static List<String> selectors(JsonNode subscription) {
        assertThat(subscription.has("selectors")).as("%s", subscription).isTrue();
        List<String> selectors = new ArrayList<>();
        subscription.path("selectors").forEach(s -> selectors.add(s.asText()));
        return selectors;
    }

    private static List<Long> tids(JsonNode ok) {
        assertThat(ok.path("tids").isArray()).as("%s", ok).isTrue();
        List<Long> tids = new ArrayList<>();
        ok.path("tids").forEach(t -> tids.add(t.asLong()));
        return tids;
    }
}
