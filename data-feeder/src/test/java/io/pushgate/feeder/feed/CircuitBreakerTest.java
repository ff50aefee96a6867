package io.pushgate.feeder.feed;

import static io.pushgate.feeder.support.Operator.asOperator;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pushgate.feeder.support.FakePriceApi;
import io.pushgate.feeder.support.FakePriceApiResource;
import io.pushgate.testsupport.RedisTestResource;
import io.pushgate.testsupport.TestIssuerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retries, backoff and the circuit breaker against a local API that fails on demand. The
 * {@code %test} profile in application.properties sets 2 retries (3 attempts a poll), backoff
 * of 100 ms then 200 ms without jitter, an HTTP timeout of 500 ms, and a circuit that opens
 * when 6 attempts out of 6 failed; this class keeps it open 5 s, so that the checks made while
 * it is open finish well within that time even on a busy machine.
 */
@QuarkusTest
@TestProfile(CircuitBreakerTest.Profile.class)
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(FakePriceApiResource.class)
@QuarkusTestResource(value = TestIssuerResource.class, initArgs = @ResourceArg(name = TestIssuerResource.PROPERTY, value = "feeder.security.issuers"))
class CircuitBreakerTest {

    /**
     * Prices read as doubles: JsonPath's default reads a JSON number as a float where it fits, and
     * above 131072 a float cannot hold two decimals (134916.85 came back as 134916.84).
     */
    private static final JsonPathConfig DOUBLES = new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE);

    /** Its own Quarkus instance, so the breaker's state is not shared with other test classes. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("feeder.circuit-breaker.delay", "5s");
        }
    }

    private static final String USD = "BTC-USD";
    private static final int ATTEMPTS_TO_OPEN = 6;

    @Inject
    CircuitBreakerMaintenance circuits;

    private FakePriceApi api;

    @BeforeEach
    void healthyApiAndClosedCircuit() {
        asOperator().post("/v1/feed/stop").then().statusCode(200);
        api = FakePriceApiResource.current();
        api.mode(FakePriceApi.Mode.OK);
        api.clearRequests();
        circuits.reset(SourceGuard.CIRCUIT);
    }

    @AfterEach
    void stopFeed() {
        asOperator().post("/v1/feed/stop").then().statusCode(200);
        api.mode(FakePriceApi.Mode.OK);
        // SmallRye keeps a named breaker's state beyond this Quarkus instance: a test class run
        // after this one would otherwise start with the circuit still open.
        circuits.reset(SourceGuard.CIRCUIT);
    }

    @Test
    void aFailingApiIsRetriedWithBackoffThenTheCircuitOpensAndTheApiComingBackClosesIt() {
        api.mode(FakePriceApi.Mode.FAIL);
        long fetchFailuresBefore = failures("fetch");

        asOperator().post("/v1/feed/start").then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> "OPEN".equals(status().getString("circuit")));

        // Two polls of three attempts each, then the breaker refused the rest.
        List<FakePriceApi.Request> attempts = api.requests(USD);
        assertThat(attempts).hasSize(ATTEMPTS_TO_OPEN);
        await().atMost(Duration.ofSeconds(2)).until(() -> failures("fetch") == fetchFailuresBefore + 2);
        for (int poll = 0; poll < 2; poll++) {
            long firstGap = gapMillis(attempts, poll * 3);
            long secondGap = gapMillis(attempts, poll * 3 + 1);
            assertThat(firstGap).as("wait before the first retry").isGreaterThanOrEqualTo(95);
            assertThat(secondGap).as("wait before the second retry, twice as long").isGreaterThanOrEqualTo(195);
        }

        // While open, polls go on but the API is not called at all.
        long pollsWhenOpened = status().getLong("polls");
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> api.requests(USD).size() == ATTEMPTS_TO_OPEN);
        assertThat(status().getLong("polls")).isGreaterThan(pollsWhenOpened + 3);
        assertThat(failures("circuit-open")).isPositive();

        // The API is back: after the breaker's delay one trial call succeeds and closes it.
        String usd = api.randomPrices();
        api.mode(FakePriceApi.Mode.OK);
        // untilAsserted: a failure shows the status it last saw (this failed once in ~10 full runs).
        // The breaker closes a moment before the feed records the price of the trial call, so the
        // status may say CLOSED with no price yet: the price is read null-safely and waited for.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonPath now = status();
            assertThat(now.getString("circuit")).as("circuit, in %s", now.prettify()).isEqualTo("CLOSED");
            String price = now.getString("lastPrice.USD");
            assertThat(price).as("last USD price, in %s", now.prettify()).isNotNull();
            assertThat(Double.parseDouble(price)).as("last USD price, in %s", now.prettify()).isEqualTo(Double.parseDouble(usd));
        });
        assertThat(status().getString("lastSuccess")).isNotBlank();
    }

    @Test
    void aHangingApiTimesOutAndIsRetried() {
        api.mode(FakePriceApi.Mode.HANG);
        long fetchFailuresBefore = failures("fetch");

        asOperator().post("/v1/feed/start").then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> failures("fetch") > fetchFailuresBefore);

        // Each attempt gave up after the 500 ms timeout (which starts with the connection, a little
        // before the server sees the request), waited its backoff, and tried again.
        List<FakePriceApi.Request> attempts = api.requests(USD);
        assertThat(attempts).hasSizeGreaterThanOrEqualTo(3);
        assertThat(gapMillis(attempts, 0)).isGreaterThanOrEqualTo(500);
        assertThat(gapMillis(attempts, 1)).isGreaterThanOrEqualTo(500);
        assertThat(status().getString("lastError")).contains("HttpTimeoutException");
    }

    private static long gapMillis(List<FakePriceApi.Request> requests, int index) {
        return (requests.get(index + 1).nanos() - requests.get(index).nanos()) / 1_000_000;
    }

    private static long failures(String reason) {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        String prefix = "feeder_failures_total{reason=\"" + reason + "\"} ";
        return metrics.lines().filter(line -> line.startsWith(prefix))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(prefix.length()))).findFirst().orElseThrow();
    }

    private static JsonPath status() {
        return given().get("/v1/feed").then().statusCode(200).extract().jsonPath().using(DOUBLES);
    }
}
