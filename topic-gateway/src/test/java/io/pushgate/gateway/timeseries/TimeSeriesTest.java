package io.pushgate.gateway.timeseries;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.gateway.transport.GatewayTestBase;
import io.pushgate.testsupport.JsonWebSocket;
import io.pushgate.testsupport.SseClient;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Time series topics over WebSocket, SSE and REST, against a real Redis. */
@QuarkusTest
class TimeSeriesTest extends GatewayTestBase {

    private static Map<String, Object> series(String eventType, Map<String, String> properties) {
        return Map.of("type", "TIME_SERIES", "eventType", eventType, "properties", properties);
    }

    private String chatRoom(JsonWebSocket ws, Map<String, String> properties) {
        String path = unique("chat") + "/room";
        assertThat(ws.call(op("add", "topic", path, "spec", series("JSON", properties))).path("result").asText()).isEqualTo("CREATED");
        return path;
    }

    @Test
    void appendsGetSeqsAndANewSubscriberGetsTheLastEventThenLiveOnes() {
        JsonWebSocket ws = connect();
        String room = chatRoom(ws, Map.of());
        for (int i = 1; i <= 3; i++) {
            assertThat(ws.call(op("append", "topic", room, "value", Map.of("text", "m" + i))).path("seq").asLong()).isEqualTo(i);
        }
        JsonWebSocket reader = connect();
        reader.call(op("subscribe", "selector", room));
        reader.awaitType("subscription");
        JsonNode last = reader.awaitType("event");
        assertThat(last.path("event").path("seq").asLong()).isEqualTo(3);
        assertThat(last.path("event").path("author").asText()).isEqualTo("anonymous");
        assertThat(last.path("event").path("value").path("text").asText()).isEqualTo("m3");
        assertThat(Instant.parse(last.path("event").path("time").asText())).isBefore(Instant.now().plusSeconds(5));
        ws.call(op("append", "topic", room, "value", Map.of("text", "m4")));
        assertThat(reader.awaitType("event").path("event").path("seq").asLong()).isEqualTo(4);
    }

    @Test
    void theSubscriptionRangeDecidesHowMuchHistoryANewSubscriberGets() {
        JsonWebSocket ws = connect();
        String room = chatRoom(ws, Map.of("TIME_SERIES_SUBSCRIPTION_RANGE", "limit 20"));
        for (int i = 1; i <= 30; i++) {
            ws.request(op("append", "topic", room, "value", Map.of("n", i)));
        }
        ws.await(m -> m.path("seq").asLong() == 30, Duration.ofSeconds(10));
        JsonWebSocket reader = connect();
        reader.call(op("subscribe", "selector", room));
        List<Long> seqs = events(reader, 20);
        assertThat(seqs).containsExactlyElementsOf(range(11, 30));
    }

    @Test
    void editsAreEventsAndRangesShowLatestValuesOrEveryEdit() {
        JsonWebSocket ws = connect();
        String room = chatRoom(ws, Map.of());
        ws.call(op("append", "topic", room, "value", Map.of("text", "hello")));
        ws.call(op("append", "topic", room, "value", Map.of("text", "wrold")));
        JsonNode edit = ws.call(op("edit", "topic", room, "seq", 2, "value", Map.of("text", "world")));
        assertThat(edit.path("seq").asLong()).isEqualTo(3);

        JsonNode values = ws.call(op("range", "topic", room, "fromLast", 10));
        assertThat(values.path("type").asText()).isEqualTo("range");
        assertThat(values.path("events")).hasSize(2);
        assertThat(values.path("events").get(1).path("seq").asLong()).isEqualTo(2);
        assertThat(values.path("events").get(1).path("value").path("text").asText()).isEqualTo("world");

        JsonNode edits = ws.call(op("range", "topic", room, "from", 1, "view", "edits"));
        assertThat(edits.path("events")).hasSize(3);
        assertThat(edits.path("events").get(2).path("editOf").asLong()).isEqualTo(2);
    }

    @Test
    void rangeQueriesByFromToLimitAndTime() {
        JsonWebSocket ws = connect();
        String room = chatRoom(ws, Map.of());
        for (int i = 1; i <= 10; i++) {
            ws.call(op("append", "topic", room, "value", Map.of("n", i)));
        }
        assertThat(seqsOf(ws.call(op("range", "topic", room, "from", 3, "to", 6)))).containsExactly(3L, 4L, 5L, 6L);
        assertThat(seqsOf(ws.call(op("range", "topic", room, "from", 3, "limit", 2)))).containsExactly(3L, 4L);
        assertThat(seqsOf(ws.call(op("range", "topic", room, "fromLast", 3)))).containsExactly(8L, 9L, 10L);
        String timeOfFifth = ws.call(op("range", "topic", room, "from", 5, "limit", 1)).path("events").get(0).path("time").asText();
        List<Long> fromTime = seqsOf(ws.call(op("range", "topic", room, "fromTime", timeOfFifth)));
        assertThat(fromTime).contains(5L, 10L).doesNotContain(1L);
    }

    @Test
    void badInputIsRefusedAndNothingIsStored() {
        JsonWebSocket ws = connect();
        String room = chatRoom(ws, Map.of());
        ws.call(op("append", "topic", room, "value", Map.of("text", "one")));
        String plain = unique("plain");
        ws.call(op("set", "topic", plain, "value", "x", "spec", Map.of("type", "STRING")));
        assertThat(ws.call(op("append", "topic", plain, "value", "y")).path("code").asText()).isEqualTo("INVALID");
        assertThat(ws.call(op("set", "topic", room, "value", Map.of())).path("code").asText()).isEqualTo("INVALID");
        String numbers = unique("numbers");
        ws.call(op("add", "topic", numbers, "spec", series("INT64", Map.of())));
        assertThat(ws.call(op("append", "topic", numbers, "value", "not a number")).path("code").asText()).isEqualTo("INVALID");
        assertThat(ws.call(op("edit", "topic", room, "seq", 99, "value", Map.of())).path("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(ws.call(op("range", "topic", room, "from", 5, "to", 2)).path("code").asText()).isEqualTo("INVALID");
        assertThat(ws.call(op("range", "topic", room)).path("code").asText()).isEqualTo("INVALID");
        assertThat(ws.call(op("append", "topic", unique("missing"), "value", 1)).path("code").asText()).isEqualTo("NOT_FOUND");
        JsonNode state = ws.call(op("fetch", "selector", room)).path("results").get(0);
        assertThat(state.path("seq").asLong()).isEqualTo(1);
        assertThat(ws.call(op("fetch", "selector", numbers)).path("results").get(0).path("seq").asLong()).isZero();
    }

    @Test
    void aReconnectingClientGetsExactlyWhatItMissed() {
        JsonWebSocket writer = connect();
        String room = chatRoom(writer, Map.of());
        writer.call(op("append", "topic", room, "value", Map.of("n", 0)));
        JsonWebSocket reader = connect();
        reader.call(op("subscribe", "selector", room));
        long lastSeen = reader.awaitType("event").path("event").path("seq").asLong();
        reader.close();
        for (int i = 1; i <= 50; i++) {
            writer.request(op("append", "topic", room, "value", Map.of("n", i)));
        }
        writer.await(m -> m.path("seq").asLong() == 51, Duration.ofSeconds(10));
        JsonWebSocket again = connect();
        again.call(op("subscribe", "selector", room, "since", Map.of(room, lastSeen)));
        assertThat(events(again, 50)).containsExactlyElementsOf(range(lastSeen + 1, lastSeen + 50));
        writer.call(op("append", "topic", room, "value", Map.of("n", 51)));
        assertThat(again.awaitType("event").path("event").path("seq").asLong()).isEqualTo(lastSeen + 51);
        again.call(op("ping"));
        assertThat(again.drain()).noneMatch(m -> m.path("type").asText().equals("event"));
    }

    @Test
    void missedEventsThatAreNoLongerRetainedAreReportedAsAGap() {
        JsonWebSocket writer = connect();
        String room = chatRoom(writer, Map.of("TIME_SERIES_RETAINED_RANGE", "limit 10"));
        for (int i = 1; i <= 30; i++) {
            writer.call(op("append", "topic", room, "value", Map.of("n", i)));
        }
        JsonWebSocket again = connect();
        again.call(op("subscribe", "selector", room, "since", Map.of(room, 5)));
        JsonNode gap = again.awaitType("gap");
        assertThat(gap.path("from").asLong()).isEqualTo(6);
        assertThat(gap.path("to").asLong()).isEqualTo(20);
        assertThat(events(again, 10)).containsExactlyElementsOf(range(21, 30));
    }

    @Test
    void theRetainedRangeTrimsByLimitAndByAge() {
        JsonWebSocket ws = connect();
        String byLimit = chatRoom(ws, Map.of("TIME_SERIES_RETAINED_RANGE", "limit 5"));
        for (int i = 1; i <= 12; i++) {
            ws.call(op("append", "topic", byLimit, "value", Map.of("n", i)));
        }
        assertThat(seqsOf(ws.call(op("range", "topic", byLimit, "from", 1)))).containsExactly(8L, 9L, 10L, 11L, 12L);

        String byAge = chatRoom(ws, Map.of("TIME_SERIES_RETAINED_RANGE", "last 1s"));
        ws.call(op("append", "topic", byAge, "value", Map.of("n", "old")));
        Awaitility.await().pollDelay(Duration.ofMillis(1100)).atMost(Duration.ofSeconds(5)).until(() -> true);
        ws.call(op("append", "topic", byAge, "value", Map.of("n", "new")));
        assertThat(seqsOf(ws.call(op("range", "topic", byAge, "from", 1)))).containsExactly(2L);
    }

    @Test
    void sseResumesFromLastEventId() {
        JsonWebSocket writer = connect();
        String room = chatRoom(writer, Map.of());
        writer.call(op("append", "topic", room, "value", Map.of("n", 1)));
        String url = base + "v1/sse?selector=" + URLEncoder.encode(room, StandardCharsets.UTF_8);
        String lastId;
        try (SseClient sse = SseClient.connect(url)) {
            SseClient.Event first = sse.awaitEvent("event");
            assertThat(first.id()).isEqualTo(room + "=1");
            lastId = first.id();
        }
        for (int i = 2; i <= 51; i++) {
            writer.request(op("append", "topic", room, "value", Map.of("n", i)));
        }
        writer.await(m -> m.path("seq").asLong() == 51, Duration.ofSeconds(10));
        try (SseClient sse = SseClient.connect(url, Map.of("Last-Event-ID", lastId))) {
            List<Long> seqs = new ArrayList<>();
            while (seqs.size() < 50) {
                seqs.add(sse.awaitEvent("event").data().path("event").path("seq").asLong());
            }
            assertThat(seqs).containsExactlyElementsOf(range(2, 51));
        }
    }

    @Test
    void restAppendsRangesAndEdits() {
        JsonWebSocket ws = connect();
        String room = chatRoom(ws, Map.of());
        given().contentType("application/json").body("{\"text\":\"hi\"}").when().post("/v1/topics/" + room)
                .then().statusCode(200).body("seq", equalTo(1));
        given().contentType("application/json").body("{\"text\":\"there\"}").when().post("/v1/topics/" + room)
                .then().statusCode(200).body("seq", equalTo(2));
        given().contentType("application/json").body("{\"text\":\"THERE\"}").when().put("/v1/timeseries/" + room + "/2")
                .then().statusCode(200).body("seq", equalTo(3)).body("editOf", equalTo(2));
        given().when().get("/v1/timeseries/" + room + "?fromLast=10")
                .then().statusCode(200).body("events", hasSize(2)).body("events[1].value.text", equalTo("THERE"));
        given().contentType("application/json").body("{}").when().put("/v1/topics/" + room)
                .then().statusCode(400).body("code", equalTo("INVALID"));
        given().when().get("/v1/timeseries/" + room + "?from=5&to=1")
                .then().statusCode(400).body("code", equalTo("INVALID"));
    }

    private static List<Long> events(JsonWebSocket ws, int count) {
        List<Long> seqs = new ArrayList<>();
        while (seqs.size() < count) {
            seqs.add(ws.awaitType("event").path("event").path("seq").asLong());
        }
        return seqs;
    }

    private static List<Long> seqsOf(JsonNode reply) {
        assertThat(reply.path("type").asText()).as("%s", reply).isEqualTo("range");
        List<Long> seqs = new ArrayList<>();
        reply.path("events").forEach(e -> seqs.add(e.path("seq").asLong()));
        return seqs;
    }

    private static List<Long> range(long from, long to) {
        List<Long> list = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            list.add(i);
        }
        return list;
    }
}
