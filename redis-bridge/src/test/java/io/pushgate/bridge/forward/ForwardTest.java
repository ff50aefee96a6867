package io.pushgate.bridge.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pushgate.bridge.redis.RedisSubscriptions;
import io.pushgate.bridge.redis.SubscriptionKey;
import io.pushgate.bridge.support.FakeGatewayResource;
import io.pushgate.bridge.support.TestRedis;
import io.pushgate.testsupport.RedisTestResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Forwarding into the pipeline stream, as configured for tests: channel {@code fwd.channel},
 * pattern {@code fwd.pattern.*}, streams {@code fwd.stream} and {@code ack.stream}.
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
@WithTestResource(FakeGatewayResource.class)
class ForwardTest {

    @Inject
    RedisDataSource dataSource;

    @Inject
    RedisSubscriptions subscriptions;

    private TestRedis redis;

    @BeforeEach
    void setUp() {
        redis = new TestRedis(dataSource);
    }

    @Test
    void aMessageOnAConfiguredChannelIsForwarded() {
        await().until(() -> subscriptions.isActive(SubscriptionKey.channel("fwd.channel")));
        String payload = "{\"price\":\"" + TestRedis.unique("channel") + "\"}";
        Instant before = Instant.now().minusSeconds(1);

        redis.publish("fwd.channel", payload);

        await().until(() -> redis.forwarded(payload).size() == 1);
        Map<String, String> entry = redis.forwarded(payload).get(0);
        assertThat(entry).containsEntry("source", "channel").containsEntry("channel", "fwd.channel").doesNotContainKeys("id", "pattern");
        assertThat(Instant.parse(entry.get("receivedAt"))).isAfter(before).isBefore(Instant.now().plusSeconds(1));
    }

    @Test
    void aMessageOnAChannelMatchingAConfiguredPatternIsForwarded() {
        await().until(() -> subscriptions.isActive(SubscriptionKey.pattern("fwd.pattern.*")));
        String payload = TestRedis.unique("pattern");

        redis.publish("fwd.pattern.eth", payload);

        await().until(() -> redis.forwarded(payload).size() == 1);
        assertThat(redis.forwarded(payload).get(0))
                .containsEntry("source", "pattern")
                .containsEntry("channel", "fwd.pattern.eth")
                .containsEntry("pattern", "fwd.pattern.*");
    }

    @Test
    void aStreamEntryIsForwardedWithItsIdAndThenAcknowledged() {
        await().atMost(Duration.ofSeconds(10)).until(() -> redis.groupExists("fwd.stream"));
        String payload = "{\"bpi\":{\"USD\":{\"rate_float\":" + System.nanoTime() + "}}}";

        String id = redis.xadd("fwd.stream", Map.of("data", payload));

        await().until(() -> redis.forwarded(payload).size() == 1);
        assertThat(redis.forwarded(payload).get(0))
                .containsEntry("source", "stream")
                .containsEntry("channel", "fwd.stream")
                .containsEntry("id", id);
        await().until(() -> redis.pending("fwd.stream").isEmpty());
    }

    @Test
    void aStreamEntryWithoutTheDataFieldIsForwardedAsAJsonObjectOfItsFields() {
        await().atMost(Duration.ofSeconds(10)).until(() -> redis.groupExists("fwd.stream"));
        String marker = TestRedis.unique("m");
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        fields.put("symbol", "BTC");
        fields.put("marker", marker);

        redis.xadd("fwd.stream", fields);

        String expected = "{\"symbol\":\"BTC\",\"marker\":\"" + marker + "\"}";
        await().until(() -> redis.forwarded(expected).size() == 1);
    }
}
