package io.pushgate.feeder.feed;

import static io.pushgate.feeder.support.Operator.asOperator;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pushgate.feeder.sources.BpiDocuments;
import io.pushgate.feeder.support.ChannelRecorder;
import io.pushgate.feeder.support.FakePriceApi;
import io.pushgate.feeder.support.FakePriceApiResource;
import io.pushgate.testsupport.RedisTestResource;
import io.pushgate.testsupport.TestIssuerResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The feed against a real Redis and a local Coinbase-like API. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(FakePriceApiResource.class)
@QuarkusTestResource(value = TestIssuerResource.class, initArgs = @ResourceArg(name = TestIssuerResource.PROPERTY, value = "feeder.security.issuers"))
class CoinbaseFeedTest {

    /**
     * Prices read as doubles: JsonPath's default reads a JSON number as a float where it fits, and
     * above 131072 a float cannot hold two decimals (134916.85 came back as 134916.84).
     */
    private static final JsonPathConfig DOUBLES = new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE);

    private static final String CHANNEL = "prices.btc";
    private static final String STREAM = "prices.btc.stream";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Inject
    RedisDataSource redis;

    @Inject
    CircuitBreakerMaintenance circuits;

    private FakePriceApi api;

    @BeforeEach
    void freshPrices() {
        api = FakePriceApiResource.current();
        api.mode(FakePriceApi.Mode.OK);
        // A closed circuit whatever ran before: SmallRye keeps a named breaker's state across
        // Quarkus restarts in one JVM, and CircuitBreakerTest ends with it open.
        circuits.reset(SourceGuard.CIRCUIT);
    }

    @AfterEach
    void stopFeed() {
        asOperator().post("/v1/feed/stop").then().statusCode(200);
    }

    @Test
    void aPollPublishesToTheChannelAndAppendsToTheStream() throws Exception {
        String usd = api.randomPrices();
        try (ChannelRecorder channel = ChannelRecorder.subscribe(redis, CHANNEL)) {
            asOperator().post("/v1/feed/start").then().statusCode(200).body("running", is(true));

            await().atMost(Duration.ofSeconds(10)).until(() -> !channel.messages().isEmpty());

            String message = channel.messages().get(0);
            JsonNode doc = MAPPER.readTree(message);
            assertThat(doc.path("source").asText()).isEqualTo("coinbase");
            assertThat(doc.path("chartName").asText()).isEqualTo("Bitcoin");
            assertThat(doc.path("bpi").path("USD").path("rate_float").asDouble()).isEqualTo(Double.parseDouble(usd));
            assertThat(doc.path("bpi").path("USD").path("rate").asText()).isEqualTo(BpiDocuments.formatRate(new BigDecimal(usd)));
            assertThat(doc.path("bpi").path("EUR").path("symbol").asText()).isEqualTo("&euro;");
            List<StreamMessage<String, String, String>> entries = redis.stream(String.class).xrange(STREAM, StreamRange.of("-", "+"));
            assertThat(entries).extracting(entry -> entry.payload().get("data")).contains(message);
        }
    }

    @Test
    void anUnchangedDocumentIsNotRepublished() {
        api.randomPrices();
        try (ChannelRecorder channel = ChannelRecorder.subscribe(redis, CHANNEL)) {
            long streamBefore = redis.stream(String.class).xlen(STREAM);
            asOperator().post("/v1/feed/start").then().statusCode(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> channel.messages().size() == 1);
            JsonPath afterFirst = status();
            long pollsAfterFirst = afterFirst.getLong("polls");
            long unchangedBefore = afterFirst.getLong("unchanged");

            // At least four more polls end, seeing the same prices (with a newer time each); one more may be under way.
            await().atMost(Duration.ofSeconds(10)).until(() -> status().getLong("polls") >= pollsAfterFirst + 6);

            assertThat(channel.messages()).hasSize(1);
            assertThat(redis.stream(String.class).xlen(STREAM)).isEqualTo(streamBefore + 1);
            assertThat(status().getLong("unchanged")).isGreaterThanOrEqualTo(unchangedBefore + 4);

            api.randomPrices();
            await().atMost(Duration.ofSeconds(10)).until(() -> channel.messages().size() == 2);
            assertThat(redis.stream(String.class).xlen(STREAM)).isEqualTo(streamBefore + 2);
        }
    }

    @Test
    void theControlEndpointStartsStopsAndReports() {
        String usd = api.randomPrices();
        given().get("/v1/feed").then().statusCode(200)
                .body("running", is(false))
                .body("mode", is("coinbase"))
                .body("source", is("coinbase"))
                .body("circuit", is("CLOSED"));

        asOperator().post("/v1/feed/start").then().statusCode(200).body("running", is(true));
        asOperator().post("/v1/feed/start").then().statusCode(200).body("running", is(true));
        // Seen once in a full build: no new price within 10 s and nothing logged (a circuit-open
        // poll logs at DEBUG); the failure now says what the feed reported.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            String now = given().get("/v1/feed").then().statusCode(200).extract().asString();
            // getString: before the first price there is none, and getDouble would throw (not retried)
            assertThat(JsonPath.from(now).using(DOUBLES).getString("lastPrice.USD")).as("the feed's status: %s (the API had %s requests)",
                    now, api.requests("BTC-").size()).isNotNull()
                    .satisfies(price -> assertThat(Double.parseDouble(price)).isEqualTo(Double.parseDouble(usd)));
        });

        JsonPath running = status();
        assertThat(running.getString("lastSuccess")).isNotBlank();
        assertThat(running.getLong("polls")).isPositive();
        assertThat(running.getLong("failures")).isZero();

        asOperator().post("/v1/feed/stop").then().statusCode(200).body("running", is(false));
        long polls = status().getLong("polls");
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> status().getLong("polls") == polls);
    }

    @Test
    void stoppingAndStartingMidPollNeverBreaksPublishing() {
        long failuresBefore = status().getLong("failures");
        // A hanging API, so that every stop interrupts a fetch under way: an interrupted fetch is
        // neither a failure nor an attempt that counts towards opening the circuit.
        api.mode(FakePriceApi.Mode.HANG);
        for (int i = 0; i < 15; i++) {
            asOperator().post("/v1/feed/start").then().statusCode(200);
            await().atMost(Duration.ofSeconds(5)).until(() -> api.requests("BTC-USD").size() > 0);
            api.clearRequests();
            asOperator().post("/v1/feed/stop").then().statusCode(200);
        }
        assertThat(status().getString("circuit")).isEqualTo("CLOSED");
        api.mode(FakePriceApi.Mode.OK);
        for (int i = 0; i < 15; i++) {
            api.randomPrices();
            asOperator().post("/v1/feed/start").then().statusCode(200);
            asOperator().post("/v1/feed/stop").then().statusCode(200);
        }

        // A stop never interrupts a Redis transaction, so the connection pool stays usable.
        String usd = api.randomPrices();
        try (ChannelRecorder channel = ChannelRecorder.subscribe(redis, CHANNEL)) {
            asOperator().post("/v1/feed/start").then().statusCode(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> channel.messages().stream()
                    .anyMatch(message -> message.contains("\"rate_float\":" + Double.parseDouble(usd) + "}")));
        }
        assertThat(status().getLong("failures")).isEqualTo(failuresBefore);
    }

    @Test
    void metricsAndReadinessAreExposed() {
        String usd = api.randomPrices();
        asOperator().post("/v1/feed/start").then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> status().getLong("published") > 0
                && status().getDouble("lastPrice.USD") == Double.parseDouble(usd));

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics)
                .contains("feeder_polls_total ")
                .contains("feeder_published_total ")
                .contains("feeder_unchanged_total ")
                .contains("feeder_failures_total{reason=\"fetch\"}")
                .contains("feeder_failures_total{reason=\"circuit-open\"}")
                .contains("feeder_failures_total{reason=\"publish\"}")
                .contains("feeder_last_success_time_seconds ")
                .contains("feeder_last_price{currency=\"USD\"} " + Double.parseDouble(usd))
                .contains("feeder_circuit_open 0.0");

        given().get("/q/health/ready").then().statusCode(200)
                .body("status", is("UP"))
                .body("checks.name", hasItem(containsString("Redis")));
    }

    private static JsonPath status() {
        return given().get("/v1/feed").then().statusCode(200).extract().jsonPath().using(DOUBLES);
    }
}
