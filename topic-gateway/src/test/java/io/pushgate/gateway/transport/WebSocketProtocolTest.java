package io.pushgate.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.delta.FossilDelta;
import io.pushgate.protocol.delta.JsonPatchDelta;
import io.pushgate.testsupport.JsonWebSocket;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every op of the contract over a real WebSocket, against a real Redis. */
@QuarkusTest
class WebSocketProtocolTest extends GatewayTestBase {

    private static final Map<String, Object> JSON = Map.of("type", "JSON");

    @Test
    void pingAnswersPongWithTheSameId() {
        JsonWebSocket ws = connect();
        JsonNode pong = ws.call(op("ping", "id", 42));
        assertThat(pong.path("type").asText()).isEqualTo("pong");
        assertThat(pong.path("id").asInt()).isEqualTo(42);
    }

    @Test
    void addIsCreatedThenExistsThenConflictWithAnotherSpec() {
        JsonWebSocket ws = connect();
        String path = unique("add");
        assertThat(ws.call(op("add", "topic", path, "spec", JSON)).path("result").asText()).isEqualTo("CREATED");
        assertThat(ws.call(op("add", "topic", path, "spec", JSON)).path("result").asText()).isEqualTo("EXISTS");
        JsonNode conflict = ws.call(op("add", "topic", path, "spec", Map.of("type", "STRING")));
        assertThat(conflict.path("type").asText()).isEqualTo("error");
        assertThat(conflict.path("code").asText()).isEqualTo("CONFLICT");
    }

    @Test
    void setAssignsSeqsChecksTypesAndIfSeq() {
        JsonWebSocket ws = connect();
        String path = unique("set");
        ws.call(op("add", "topic", path, "spec", Map.of("type", "INT64")));
        assertThat(ws.call(op("set", "topic", path, "value", 1)).path("seq").asLong()).isEqualTo(1);
        assertThat(ws.call(op("set", "topic", path, "value", 2)).path("seq").asLong()).isEqualTo(2);
        JsonNode wrongType = ws.call(op("set", "topic", path, "value", "two"));
        assertThat(wrongType.path("code").asText()).isEqualTo("INVALID");
        assertThat(wrongType.path("message").asText()).contains("INT64");
        JsonNode staleSeq = ws.call(op("set", "topic", path, "value", 3, "ifSeq", 1));
        assertThat(staleSeq.path("code").asText()).isEqualTo("CONFLICT");
        assertThat(ws.call(op("set", "topic", path, "value", 3, "ifSeq", 2)).path("seq").asLong()).isEqualTo(3);
        JsonNode missing = ws.call(op("set", "topic", unique("nothing"), "value", 1));
        assertThat(missing.path("code").asText()).isEqualTo("NOT_FOUND");
    }

    @Test
    void addAndSetCreatesTheTopic() {
        JsonWebSocket ws = connect();
        String path = unique("addset");
        JsonNode ok = ws.call(op("set", "topic", path, "value", "hello", "spec", Map.of("type", "STRING")));
        assertThat(ok.path("seq").asLong()).isEqualTo(1);
        JsonNode fetched = ws.call(op("fetch", "selector", ">" + path));
        assertThat(fetched.path("results").get(0).path("value").asText()).isEqualTo("hello");
        assertThat(fetched.path("results").get(0).path("spec").path("type").asText()).isEqualTo("STRING");
    }

    @Test
    void everyTypeValidatesItsValues() {
        JsonWebSocket ws = connect();
        Object[][] cases = {
            {"STRING", "text", 5},
            {"INT64", 42, 4.5},
            {"DOUBLE", 4.5, "4.5"},
            {"BINARY", "aGVsbG8=", "not base64!"},
            {"JSON", Map.of("a", 1), null},
        };
        for (Object[] c : cases) {
            String path = unique("type-" + c[0]);
            ws.call(op("add", "topic", path, "spec", Map.of("type", c[0])));
            assertThat(ws.call(op("set", "topic", path, "value", c[1])).path("type").asText()).as("%s accepts %s", c[0], c[1]).isEqualTo("ok");
            if (c[2] != null) {
                JsonNode refused = ws.call(op("set", "topic", path, "value", c[2]));
                assertThat(refused.path("code").asText()).as("%s refuses %s", c[0], c[2]).isEqualTo("INVALID");
            }
        }
        JsonNode tooBig = ws.call(op("set", "topic", unique("big"), "value", "9223372036854775808", "spec", Map.of("type", "INT64")));
        assertThat(tooBig.path("code").asText()).isEqualTo("INVALID");
    }

    @Test
    void subscribeSendsSubscriptionAndValueThenJsonPatchDeltas() {
        JsonWebSocket publisher = connect();
        String path = unique("prices") + "/btc";
        publisher.call(op("set", "topic", path, "value", priceDocument(100.5, "a"), "spec", JSON));

        JsonWebSocket subscriber = connect("delta=json-patch");
        assertThat(subscriber.call(op("subscribe", "selector", ">" + path)).path("type").asText()).isEqualTo("ok");
        JsonNode subscription = subscriber.awaitType("subscription");
        assertThat(subscription.path("topic").asText()).isEqualTo(path);
        long tid = subscription.path("tid").asLong();
        JsonNode value = subscriber.awaitType("value");
        assertThat(value.path("tid").asLong()).isEqualTo(tid);
        assertThat(value.path("seq").asLong()).isEqualTo(1);

        publisher.call(op("set", "topic", path, "value", priceDocument(101.25, "b")));
        JsonNode delta = subscriber.awaitType("delta");
        assertThat(delta.path("seq").asLong()).isEqualTo(2);
        assertThat(delta.has("patch")).isTrue();
        JsonNode applied = JsonPatchDelta.apply(delta.path("patch"), value.path("value"));
        JsonNode fetched = publisher.call(op("fetch", "selector", path)).path("results").get(0).path("value");
        assertThat(applied).isEqualTo(fetched);
    }

    @Test
    void fossilConnectionsGetExactTextsAndFossilDeltas() {
        JsonWebSocket publisher = connect();
        String path = unique("fossil");
        publisher.call(op("set", "topic", path, "value", priceDocument(200.0, "a"), "spec", JSON));
        JsonWebSocket subscriber = connect("delta=fossil");
        subscriber.call(op("subscribe", "selector", path));
        JsonNode value = subscriber.awaitType("value");
        String text = value.path("text").asText();
        assertThat(value.has("value")).isFalse();
        assertThat(Json.parse(text)).isEqualTo(Json.parse(Json.write(Json.MAPPER.valueToTree(priceDocument(200.0, "a")))));
        for (int i = 1; i <= 5; i++) {
            publisher.call(op("set", "topic", path, "value", priceDocument(200.0 + i, "t" + i)));
            JsonNode delta = subscriber.awaitType("delta");
            assertThat(delta.path("seq").asLong()).isEqualTo(1 + i);
            text = FossilDelta.applyText(text, delta.path("delta").asText());
        }
        JsonNode fetched = publisher.call(op("fetch", "selector", path)).path("results").get(0).path("value");
        assertThat(Json.parse(text)).isEqualTo(fetched);
    }

    @Test
    void noneConnectionsGetOnlyWholeValues() {
        JsonWebSocket publisher = connect();
        String path = unique("none");
        publisher.call(op("set", "topic", path, "value", priceDocument(1.0, "a"), "spec", JSON));
        JsonWebSocket subscriber = connect("delta=none");
        subscriber.call(op("subscribe", "selector", path));
        subscriber.awaitType("value");
        publisher.call(op("set", "topic", path, "value", priceDocument(2.0, "b")));
        JsonNode next = subscriber.await(m -> m.path("seq").asLong() == 2, Duration.ofSeconds(10));
        assertThat(next.path("type").asText()).isEqualTo("value");
    }

    @Test
    void aDeltaLargerThanTheValueIsSentAsTheValue() {
        JsonWebSocket publisher = connect();
        String path = unique("small");
        publisher.call(op("set", "topic", path, "value", Map.of("a", 1), "spec", JSON));
        JsonWebSocket subscriber = connect();
        subscriber.call(op("subscribe", "selector", path));
        subscriber.awaitType("value");
        publisher.call(op("set", "topic", path, "value", Map.of("b", 2)));
        JsonNode next = subscriber.await(m -> m.path("seq").asLong() == 2, Duration.ofSeconds(10));
        assertThat(next.path("type").asText()).isEqualTo("value");
        assertThat(next.path("value").path("b").asInt()).isEqualTo(2);
    }

    @Test
    void aSubscriptionCoversTopicsAddedLaterAndUnsubscribeEndsIt() {
        JsonWebSocket ws = connect();
        String root = unique("later");
        ws.call(op("subscribe", "selector", "?" + root + "//"));
        ws.call(op("set", "topic", root + "/a", "value", "x", "spec", Map.of("type", "STRING")));
        JsonNode subscription = ws.awaitType("subscription");
        assertThat(subscription.path("topic").asText()).isEqualTo(root + "/a");
        assertThat(ws.awaitType("value").path("value").asText()).isEqualTo("x");

        ws.call(op("unsubscribe", "selector", "?" + root + "//"));
        JsonNode unsubscribed = ws.awaitType("unsubscribed");
        assertThat(unsubscribed.path("tid").asLong()).isEqualTo(subscription.path("tid").asLong());
        assertThat(unsubscribed.path("reason").asText()).isEqualTo("REQUESTED");
        ws.call(op("set", "topic", root + "/b", "value", "y", "spec", Map.of("type", "STRING")));
        ws.call(op("ping"));
        assertThat(ws.drain()).noneMatch(m -> m.path("type").asText().equals("subscription"));
    }

    @Test
    void removeBySelectorTellsSubscribers() {
        JsonWebSocket ws = connect();
        String root = unique("rm");
        for (String leaf : List.of("a", "b", "c")) {
            ws.call(op("add", "topic", root + "/" + leaf, "spec", JSON));
        }
        JsonWebSocket subscriber = connect();
        subscriber.call(op("subscribe", "selector", ">" + root + "/"));
        subscriber.awaitType("subscription");
        JsonNode removed = ws.call(op("remove", "selector", ">" + root + "//"));
        assertThat(removed.path("removed").asInt()).isEqualTo(3);
        JsonNode unsubscribed = subscriber.awaitType("unsubscribed");
        assertThat(unsubscribed.path("reason").asText()).isEqualTo("REMOVED");
        assertThat(ws.call(op("fetch", "selector", "?" + root + "//")).path("results")).isEmpty();
    }

    @Test
    void fetchWithAndWithoutValues() {
        JsonWebSocket ws = connect();
        String root = unique("fetch");
        ws.call(op("set", "topic", root + "/x", "value", 1.5, "spec", Map.of("type", "DOUBLE")));
        JsonNode with = ws.call(op("fetch", "selector", "*" + root + "/.*")).path("results").get(0);
        assertThat(with.path("topic").asText()).isEqualTo(root + "/x");
        assertThat(with.path("seq").asLong()).isEqualTo(1);
        assertThat(with.path("value").asDouble()).isEqualTo(1.5);
        JsonNode without = ws.call(op("fetch", "selector", "*" + root + "/.*", "withValues", false)).path("results").get(0);
        assertThat(without.has("value")).isFalse();
        assertThat(without.path("spec").path("type").asText()).isEqualTo("DOUBLE");
    }

    @Test
    void badInputGetsAnErrorAndTheConnectionGoesOn() {
        JsonWebSocket ws = connect();
        ws.sendText("this is not json");
        assertThat(ws.awaitType("error").path("code").asText()).isEqualTo("INVALID");
        ws.sendText("[1,2]");
        assertThat(ws.awaitType("error").path("code").asText()).isEqualTo("INVALID");
        assertThat(ws.call(op("frobnicate")).path("code").asText()).isEqualTo("INVALID");
        assertThat(ws.call(op("add", "topic", "/bad//path", "spec", JSON)).path("code").asText()).isEqualTo("INVALID");
        assertThat(ws.call(op("subscribe", "selector", "?a/[unclosed")).path("code").asText()).isEqualTo("INVALID");
        assertThat(ws.call(op("subscribe")).path("message").asText()).contains("selector");
        assertThat(ws.call(op("add", "topic", unique("t"), "spec", Map.of("type", "NOPE"))).path("code").asText()).isEqualTo("INVALID");
        assertThat(ws.call(op("set", "topic", unique("t"))).path("code").asText()).isEqualTo("INVALID");
        assertThat(ws.call(op("ping")).path("type").asText()).isEqualTo("pong");
    }

    @Test
    void anOversizedFrameGetsTooLargeAndOthersAreUnharmed() {
        JsonWebSocket bystander = connect();
        String path = unique("bystander");
        bystander.call(op("set", "topic", path, "value", "v", "spec", Map.of("type", "STRING")));
        bystander.call(op("subscribe", "selector", path));
        bystander.awaitType("value");

        JsonWebSocket ws = connect();
        String huge = "x".repeat(1_100_000);
        // The id comes after the value: an oversized frame is not parsed, but its id is read, wherever it is.
        String id = ws.request(op("set", "topic", path, "value", huge));
        JsonNode error = ws.awaitType("error");
        assertThat(error.path("code").asText()).isEqualTo("TOO_LARGE");
        assertThat(error.path("id").asText()).isEqualTo(id);
        assertThat(ws.call(op("ping")).path("type").asText()).isEqualTo("pong");
        bystander.call(op("set", "topic", path, "value", "w"));
        assertThat(bystander.await(m -> m.path("seq").asLong() == 2, Duration.ofSeconds(10)).path("type").asText())
                .isIn("value", "delta");
    }

    @Test
    void aMessageOfAnySizeInManyFramesGetsTooLargeWithItsIdAndTheConnectionGoesOn() {
        JsonWebSocket ws = connect();
        // 6 MiB: the client sends it in many frames, each under the frame limit; the gateway drops
        // it as it comes (never holding it) and reads the id on the way.
        String id = ws.request(op("set", "topic", unique("huge"), "value", "y".repeat(6 * 1024 * 1024)));
        JsonNode error = ws.awaitType("error");
        assertThat(error.path("code").asText()).isEqualTo("TOO_LARGE");
        assertThat(error.path("id").asText()).isEqualTo(id);
        assertThat(ws.call(op("ping")).path("type").asText()).isEqualTo("pong");
        assertThat(ws.closed()).isNotDone();
    }

    @Test
    void aSingleFrameOverTwiceTheLimitClosesOnlyThatConnectionWith1009AndAReason() throws Exception {
        JsonWebSocket bystander = connect();
        try (io.pushgate.testsupport.RawWebSocket raw = io.pushgate.testsupport.RawWebSocket.connect(base.getPort(), "/v1/ws", 0)) {
            // One frame of 3 MiB (the client's choice, not fragmented): past what the gateway reads as one frame.
            raw.sendText("{\"op\":\"ping\",\"id\":1,\"pad\":\"" + "z".repeat(3 * 1024 * 1024) + "\"}");
            raw.setReadTimeout(10_000);
            io.pushgate.testsupport.RawWebSocket.Frame close = raw.readFrame();
            while (close.opcode() != 8) {
                close = raw.readFrame();
            }
            assertThat(close.closeCode()).isEqualTo(1009);
            assertThat(new String(close.payload(), 2, close.payload().length - 2, java.nio.charset.StandardCharsets.UTF_8))
                    .contains("frame larger than");
        }
        assertThat(bystander.call(op("ping")).path("type").asText()).isEqualTo("pong");
    }

    @Test
    void anErrorAboutARequestRefusedAsAWholeCarriesItsId() {
        JsonWebSocket ws = connect();
        ws.sendText("{\"op\":\"set\",\"id\":\"deep\",\"topic\":\"a/b\",\"value\":" + "[".repeat(1000) + "]".repeat(1000) + "}");
        JsonNode deep = ws.await(m -> "deep".equals(m.path("id").asText()), Duration.ofSeconds(10));
        assertThat(deep.path("code").asText()).isEqualTo("INVALID");
        assertThat(deep.path("message").asText()).contains("depth");
        ws.sendText("{\"op\":\"set\",\"id\":42,\"topic\":\"a/b\",\"value\":[1,2");
        JsonNode truncated = ws.await(m -> m.path("id").asInt() == 42, Duration.ofSeconds(10));
        assertThat(truncated.path("code").asText()).isEqualTo("INVALID");
        assertThat(ws.call(op("ping")).path("type").asText()).isEqualTo("pong");
    }

    @Test
    void theAnswersToASessionsWritesComeInTheOrderTheyWereSent() {
        JsonWebSocket ws = connect();
        String path = unique("ordered");
        ws.call(op("add", "topic", path, "spec", Map.of("type", "INT64")));
        java.util.List<String> sent = new java.util.ArrayList<>();
        // Pipelined: stored ones, one refused at once (no value), one refused by the store (ifSeq), stored ones.
        for (int i = 0; i < 60; i++) {
            String id = "w" + i;
            sent.add(id);
            if (i == 20) {
                ws.request(op("set", "id", id, "topic", path));
            } else if (i == 40) {
                ws.request(op("set", "id", id, "topic", path, "value", i, "ifSeq", 0));
            } else {
                ws.request(op("set", "id", id, "topic", path, "value", i));
            }
        }
        java.util.List<String> answered = new java.util.ArrayList<>();
        while (answered.size() < sent.size()) {
            JsonNode m = ws.await(n -> n.path("id").asText().startsWith("w"), Duration.ofSeconds(10));
            answered.add(m.path("id").asText());
            if (m.path("id").asText().equals("w20")) {
                assertThat(m.path("code").asText()).isEqualTo("INVALID");
            } else if (m.path("id").asText().equals("w40")) {
                assertThat(m.path("code").asText()).isEqualTo("CONFLICT");
            } else {
                assertThat(m.path("type").asText()).isEqualTo("ok");
            }
        }
        assertThat(answered).containsExactlyElementsOf(sent);
    }

    @Test
    void anUnknownDeltaFormatIsRefusedBeforeTheUpgrade() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var response = http.send(java.net.http.HttpRequest.newBuilder(base.toURI().resolve("v1/ws?delta=zip")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Json.parse(response.body()).path("code").asText()).isEqualTo("INVALID");
    }

    static Map<String, Object> priceDocument(double usd, String stamp) {
        return Map.of(
                "time", Map.of("updated", "Nov 22, 2026 20:" + stamp, "updatedISO", "2026-11-22T20:00:00+00:00" + stamp),
                "disclaimer", "This data was produced from the CoinDesk Bitcoin Price Index (USD).",
                "chartName", "Bitcoin",
                "bpi", Map.of(
                        "USD", Map.of("code", "USD", "symbol", "&#36;", "rate", String.format("%,.4f", usd),
                                "description", "United States Dollar", "rate_float", usd),
                        "EUR", Map.of("code", "EUR", "symbol", "&euro;", "rate", String.format("%,.4f", usd * 0.92),
                                "description", "Euro", "rate_float", usd * 0.92)));
    }
}
