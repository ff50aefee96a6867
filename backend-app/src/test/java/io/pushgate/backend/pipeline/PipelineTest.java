package io.pushgate.backend.pipeline;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.backend.core.Lifecycle;
import io.pushgate.protocol.Json;
import io.pushgate.testsupport.RedisTestResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamCommands;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * backend-app with a real Redis and a real gateway process: entries put on the bridge's pipeline
 * stream ({@code bridge.out}, as the redis-bridge writes them) become {@code prices/btc},
 * {@code prices/btc/raw} and history events; a restart of the consumer mid-stream, and entries
 * delivered again, neither lose nor duplicate history.
 */
@QuarkusTest
@QuarkusTestResource(value = RedisTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = GatewayProcessResource.class, restrictToAnnotatedClass = true)
class PipelineTest {

    private static final AtomicInteger DOCS = new AtomicInteger();
    private static final Instant T0 = Instant.parse("2026-11-22T20:00:00Z");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Inject
    RedisDataSource redis;

    @Inject
    Lifecycle lifecycle;

    /** A new document, 10 s after the previous one, at this USD price; put on the stream as the bridge does. */
    private String put(BigDecimal usd) {
        int n = DOCS.incrementAndGet();
        Instant time = T0.plusSeconds(10L * n);
        String doc = "{\"time\":{\"updated\":\"x\",\"updatedISO\":\"" + time.toString().replace("Z", "+00:00") + "\"},"
                + "\"disclaimer\":\"test document " + n + "\",\"chartName\":\"Bitcoin\","
                + "\"bpi\":{\"USD\":{\"code\":\"USD\",\"symbol\":\"&#36;\",\"rate\":\"x\",\"description\":\"United States Dollar\",\"rate_float\":" + usd + "},"
                + "\"EUR\":{\"code\":\"EUR\",\"rate_float\":" + usd.multiply(new BigDecimal("0.9")) + "}},\"source\":\"coindesk\"}";
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("source", "stream");
        fields.put("channel", "prices.btc.stream");
        fields.put("id", (1_000_000L + n) + "-0");
        fields.put("data", doc);
        fields.put("receivedAt", Instant.now().toString());
        stream().xadd("bridge.out", fields);
        return doc;
    }

    private StreamCommands<String, String, String> stream() {
        return redis.stream(String.class, String.class, String.class);
    }

    private static JsonNode gateway(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(GatewayProcessResource.gateway().httpUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? Json.parse(r.body()) : null;
    }

    private static List<BigDecimal> history() throws Exception {
        JsonNode range = gateway("/v1/timeseries/prices/btc/history?fromLast=10000");
        List<BigDecimal> values = new ArrayList<>();
        if (range != null) {
            range.path("events").forEach(e -> values.add(e.path("value").decimalValue()));
        }
        return values;
    }

    private static BigDecimal usd(int i) {
        return new BigDecimal("43000.25").add(BigDecimal.valueOf(i * 7L, 2));
    }

    @Test
    void aDocumentOnTheBridgesStreamBecomesThePriceItsRawDocumentAndAHistoryEvent() throws Exception {
        List<BigDecimal> before = history();
        put(new BigDecimal("43000.5"));
        String second = put(new BigDecimal("43123.45"));

        await().atMost(Duration.ofSeconds(20)).until(() -> history().size() == before.size() + 2);
        assertThat(history().subList(before.size(), before.size() + 2)).usingElementComparator(BigDecimal::compareTo).containsExactly(new BigDecimal("43000.5"), new BigDecimal("43123.45"));

        JsonNode price = gateway("/v1/topics/prices/btc");
        assertThat(price.path("spec").path("type").asText()).isEqualTo("JSON");
        JsonNode value = price.path("value");
        assertThat(value.path("bpi").path("USD").path("rate_float").decimalValue()).isEqualByComparingTo("43123.45");
        assertThat(value.has("disclaimer")).isFalse();
        assertThat(value.path("change").path("currency").asText()).isEqualTo("USD");
        assertThat(value.path("change").path("previous").decimalValue()).isEqualByComparingTo("43000.5");
        assertThat(value.path("change").path("absolute").decimalValue()).isEqualByComparingTo("122.95");
        assertThat(value.path("change").path("percent").decimalValue()).isEqualByComparingTo("0.2859");
        assertThat(value.path("pipeline").path("channel").asText()).isEqualTo("prices.btc.stream");

        JsonNode raw = gateway("/v1/topics/prices/btc/raw").path("value");
        assertThat(raw).isEqualTo(Json.parse(second));

        JsonNode history = gateway("/v1/topics/prices/btc/history");
        assertThat(history.path("spec").path("type").asText()).isEqualTo("TIME_SERIES");
        assertThat(history.path("spec").path("eventType").asText()).isEqualTo("DOUBLE");

        // every entry was acknowledged once the gateway had it
        await().atMost(Duration.ofSeconds(5)).until(() -> stream().xpending("bridge.out", "backend-app").getPendingCount() == 0);
    }

    @Test
    void aRestartOfTheConsumerMidStreamNeitherLosesNorDuplicatesHistory() throws Exception {
        List<BigDecimal> before = history();
        List<BigDecimal> expected = new ArrayList<>(before);
        for (int i = 0; i < 40; i++) {
            expected.add(usd(i));
            put(usd(i));
        }
        // stop as soon as part of the stream is written: what was read and not written stays pending
        await().atMost(Duration.ofSeconds(20)).until(() -> history().size() >= before.size() + 5);
        int unwritten = lifecycle.stopConsumer();
        long pending = stream().xpending("bridge.out", "backend-app").getPendingCount();
        System.out.printf("consumer stopped with %d entries in the history of 40, %d read and not written, %d pending%n",
                history().size() - before.size(), unwritten, pending);
        for (int i = 40; i < 60; i++) {
            expected.add(usd(i));
            put(usd(i));
        }
        lifecycle.startConsumer();

        await().atMost(Duration.ofSeconds(30)).until(() -> history().size() >= expected.size()
                && stream().xpending("bridge.out", "backend-app").getPendingCount() == 0);
        assertThat(history()).usingElementComparator(BigDecimal::compareTo).containsExactlyElementsOf(expected);
    }

    @Test
    void entriesDeliveredAgainAreNotWrittenAgain() throws Exception {
        put(usd(100));
        await().atMost(Duration.ofSeconds(20)).until(() -> !history().isEmpty() && history().get(history().size() - 1).compareTo(usd(100)) == 0
                && stream().xpending("bridge.out", "backend-app").getPendingCount() == 0);
        List<BigDecimal> before = history();

        // the whole stream is delivered again, as after a lost acknowledgement or a group reset
        lifecycle.stopConsumer();
        stream().xgroupSetId("bridge.out", "backend-app", "0");
        lifecycle.startConsumer();
        put(usd(101));

        await().atMost(Duration.ofSeconds(20)).until(() -> history().size() > before.size());
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> history().size() == before.size() + 1);
        assertThat(history().get(before.size())).isEqualByComparingTo(usd(101));
    }

    @Test
    void anEntryThatIsNotAPriceIsAcknowledgedAndSkipped() throws Exception {
        List<BigDecimal> before = history();
        stream().xadd("bridge.out", Map.of("source", "channel", "channel", "other.channel", "data", "hello"));
        stream().xadd("bridge.out", Map.of("source", "channel", "channel", "prices.btc", "data", "not json"));
        put(usd(200));
        await().atMost(Duration.ofSeconds(20)).until(() -> history().size() == before.size() + 1
                && stream().xpending("bridge.out", "backend-app").getPendingCount() == 0);
    }

    @Test
    void isReadyAndCounts() {
        given().get("/q/health/ready").then().statusCode(200).body(containsString("pipeline"));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("backend_stream_entries_read_total"))
                .body(containsString("backend_buffered"))
                .body(containsString("backend_gateway_connected 1.0"));
    }
}
