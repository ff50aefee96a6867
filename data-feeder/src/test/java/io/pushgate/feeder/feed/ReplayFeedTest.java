package io.pushgate.feeder.feed;

import static io.pushgate.feeder.support.Operator.asOperator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pushgate.feeder.sources.PriceDocument;
import io.pushgate.feeder.sources.ReplayFile;
import io.pushgate.feeder.support.ChannelRecorder;
import io.pushgate.feeder.support.FakePriceApiResource;
import io.pushgate.testsupport.RedisTestResource;
import io.pushgate.testsupport.TestIssuerResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code feeder.source=replay}: recorded documents go out marked as replay, stamped now. */
@QuarkusTest
@TestProfile(ReplayFeedTest.Profile.class)
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(FakePriceApiResource.class)
@QuarkusTestResource(value = TestIssuerResource.class, initArgs = @ResourceArg(name = TestIssuerResource.PROPERTY, value = "feeder.security.issuers"))
class ReplayFeedTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("feeder.source", "replay");
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Inject
    RedisDataSource redis;

    @Test
    void replayPublishesRecordedDocumentsMarkedAsReplay() throws Exception {
        List<PriceDocument> recording = ReplayFile.load(MAPPER, "replay/btc-bpi.jsonl");
        try (ChannelRecorder channel = ChannelRecorder.subscribe(redis, "prices.btc")) {
            Instant started = Instant.now();
            asOperator().post("/v1/feed/start").then().statusCode(200).body("source", is("replay"));
            await().atMost(Duration.ofSeconds(10)).until(() -> channel.messages().size() >= 3);
            asOperator().post("/v1/feed/stop").then().statusCode(200);

            for (int i = 0; i < 3; i++) {
                JsonNode doc = MAPPER.readTree(channel.messages().get(i));
                assertThat(doc.path("source").asText()).isEqualTo("replay");
                Instant updated = OffsetDateTime.parse(doc.path("time").path("updatedISO").asText()).toInstant();
                assertThat(updated).isBetween(started.minusSeconds(2), Instant.now().plusSeconds(1));
                // In the recording's order, from its first document.
                assertThat(doc.path("bpi").path("USD").path("rate_float").asDouble())
                        .isEqualTo(recording.get(i).prices().get("USD"));
            }
        }
        assertThat(FakePriceApiResource.current().requests("/")).isEmpty();
    }
}
