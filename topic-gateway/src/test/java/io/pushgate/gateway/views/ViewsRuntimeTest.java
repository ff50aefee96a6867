package io.pushgate.gateway.views;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.gateway.transport.GatewayTestBase;
import io.pushgate.testsupport.JsonWebSocket;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Topic views running in the gateway, against a real Redis: the reference scenario and the rules. */
@QuarkusTest
class ViewsRuntimeTest extends GatewayTestBase {

    private void putView(String name, String text) {
        given().contentType("text/plain").body(text).when().put("/v1/views/" + name).then().statusCode(201);
    }

    @Test
    void theReferenceScenarioThrottlesTheUsdPriceAndSavesBytes() throws IOException {
        String root = unique("prices");
        String viewRoot = root + "-views";
        putView(unique("usd"), "map ?" + root + "/ to " + viewRoot + "/<path(1)>/usd as <value(/bpi/USD/rate_float)> throttle to 1 update every 1 second");
        JsonWebSocket feeder = connect();
        feeder.call(op("set", "topic", root + "/btc", "value", coindesk(43000.0), "spec", Map.of("type", "JSON")));

        JsonWebSocket viewReader = connect();
        JsonWebSocket rawReader = connect();
        viewReader.call(op("subscribe", "selector", viewRoot + "/btc/usd"));
        rawReader.call(op("subscribe", "selector", root + "/btc"));
        JsonNode first = viewReader.awaitType("value");
        assertThat(first.path("value").decimalValue().doubleValue()).isEqualTo(43000.0);
        rawReader.awaitType("value");
        long viewBytesBefore = viewReader.bytesReceived();
        long rawBytesBefore = rawReader.bytesReceived();

        double last = 0;
        long start = System.nanoTime();
        for (int i = 1; i <= 30; i++) {
            last = 43000.0 + i;
            feeder.call(op("set", "topic", root + "/btc", "value", coindesk(last)));
            long due = start + i * 100_000_000L;
            org.awaitility.Awaitility.await().pollInterval(Duration.ofMillis(5)).until(() -> System.nanoTime() >= due);
        }
        // Always ending on the latest value, at most one update per second.
        double latest = last;
        List<long[]> arrivals = new ArrayList<>();
        JsonNode m;
        do {
            m = viewReader.await(n -> n.has("seq"), Duration.ofSeconds(5));
            arrivals.add(new long[] {viewReader.receivedAt(m), m.path("seq").asLong()});
        } while (m.path("value").isMissingNode() || m.path("value").decimalValue().doubleValue() != latest);
        assertThat(arrivals.size()).as("updates in about 3 s of 30 source changes").isBetween(2, 5);
        for (int i = 1; i < arrivals.size(); i++) {
            assertThat((arrivals.get(i)[0] - arrivals.get(i - 1)[0]) / 1_000_000).as("ms between view updates").isGreaterThan(800);
        }
        rawReader.await(n -> n.path("seq").asLong() == 31, Duration.ofSeconds(5));
        long viewBytes = viewReader.bytesReceived() - viewBytesBefore;
        long rawBytes = rawReader.bytesReceived() - rawBytesBefore;
        String report = String.format(Locale.ROOT, "30 updates of a CoinDesk document in 3 s: subscriber to the document (json-patch deltas) %d bytes,"
                + " subscriber to the throttled USD view %d bytes (%d messages), %.1f%%%n", rawBytes, viewBytes, arrivals.size(), 100.0 * viewBytes / rawBytes);
        System.out.print(report);
        Files.writeString(Path.of("target", "view-bandwidth.txt"), report);
        assertThat(viewBytes * 10).isLessThan(rawBytes);
    }

    @Test
    void referenceTopicsFollowSourcesAndAreReadOnly() {
        String root = unique("sensors");
        String rooms = root + "-rooms";
        putView(unique("rooms"), "map ?" + root + "/ to " + rooms + "/<scalar(/room)>/<path(1)>");
        JsonWebSocket ws = connect();
        ws.call(op("subscribe", "selector", "?" + rooms + "//"));
        ws.call(op("set", "topic", root + "/t1", "value", Map.of("room", "kitchen", "c", 21), "spec", Map.of("type", "JSON")));
        JsonNode subscription = ws.awaitType("subscription");
        assertThat(subscription.path("topic").asText()).isEqualTo(rooms + "/kitchen/t1");
        assertThat(subscription.path("spec").path("properties").path("VIEW").isTextual()).isTrue();
        JsonNode refused = ws.call(op("set", "topic", rooms + "/kitchen/t1", "value", Map.of("c", 99)));
        assertThat(refused.path("code").asText()).isEqualTo("PERMISSION_DENIED");
        // The source moves room: the old reference goes, a new one comes.
        ws.call(op("set", "topic", root + "/t1", "value", Map.of("room", "hall", "c", 22)));
        assertThat(ws.awaitType("unsubscribed").path("reason").asText()).isEqualTo("REMOVED");
        assertThat(ws.awaitType("subscription").path("topic").asText()).isEqualTo(rooms + "/hall/t1");
        // The source goes: so does its reference.
        ws.call(op("remove", "selector", root + "/t1"));
        ws.await(n -> n.path("type").asText().equals("unsubscribed") && n.path("topic").asText().equals(rooms + "/hall/t1"), Duration.ofSeconds(5));
    }

    @Test
    void removingAViewRemovesItsReferenceTopics() {
        String root = unique("src");
        String name = unique("copy");
        putView(name, "map ?" + root + "// to " + root + "-copy/<path(0)>");
        JsonWebSocket ws = connect();
        ws.call(op("set", "topic", root + "/a", "value", "x", "spec", Map.of("type", "STRING")));
        ws.call(op("subscribe", "selector", "?" + root + "-copy//"));
        assertThat(ws.awaitType("subscription").path("topic").asText()).isEqualTo(root + "-copy/" + root + "/a");
        given().accept("application/json").when().get("/v1/views/" + name).then().statusCode(200)
                .body("referenceTopics[0]", equalTo(root + "-copy/" + root + "/a"));
        given().when().delete("/v1/views/" + name).then().statusCode(200);
        assertThat(ws.awaitType("unsubscribed").path("reason").asText()).isEqualTo("REMOVED");
        given().when().get("/v1/views/" + name).then().statusCode(404).body("code", equalTo("NOT_FOUND"));
    }

    @Test
    void aDelayedViewOfAChatRoomHoldsEventsBack() {
        String room = unique("chat") + "/lobby";
        putView(unique("moderated"), "map >" + room + " to " + room + "-moderated delay by 1 second");
        JsonWebSocket ws = connect();
        ws.call(op("add", "topic", room, "spec", Map.of("type", "TIME_SERIES", "eventType", "STRING")));
        ws.call(op("subscribe", "selector", room + "-moderated"));
        long sent = System.nanoTime();
        ws.call(op("append", "topic", room, "value", "hello"));
        JsonNode event = ws.awaitType("event");
        assertThat((ws.receivedAt(event) - sent) / 1_000_000).isGreaterThanOrEqualTo(950);
        assertThat(event.path("event").path("value").asText()).isEqualTo("hello");
    }

    @Test
    void anInvalidViewIsRefusedWithThePositionAndTheReason() {
        given().contentType("text/plain").body("map ?prices/ into views/x").when().put("/v1/views/" + unique("bad"))
                .then().statusCode(400).body("code", equalTo("INVALID")).body("message", containsString("line 1, column 14: expected 'to'"));
        given().contentType("text/plain").body("map ?a/ to b").when().put("/v1/views/bad name")
                .then().statusCode(400).body("code", equalTo("INVALID"));
    }

    static Map<String, Object> coindesk(double usd) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("time", Map.of("updated", "Nov 22, 2026 20:00:00 UTC", "updatedISO", "2026-11-22T20:00:00+00:00"));
        doc.put("disclaimer", "This data was produced from the CoinDesk Bitcoin Price Index (USD). Non-USD currency data converted using hourly conversion rate from openexchangerates.org");
        doc.put("chartName", "Bitcoin");
        doc.put("bpi", Map.of(
                "USD", Map.of("code", "USD", "symbol", "&#36;", "rate", String.format(Locale.US, "%,.4f", usd), "description", "United States Dollar", "rate_float", usd),
                "GBP", Map.of("code", "GBP", "symbol", "&pound;", "rate", String.format(Locale.US, "%,.4f", usd * 0.79), "description", "British Pound Sterling", "rate_float", usd * 0.79),
                "EUR", Map.of("code", "EUR", "symbol", "&euro;", "rate", String.format(Locale.US, "%,.4f", usd * 0.92), "description", "Euro", "rate_float", usd * 0.92)));
        return doc;
    }
}
