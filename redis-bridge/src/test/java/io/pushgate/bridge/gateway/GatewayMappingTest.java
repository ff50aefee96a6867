package io.pushgate.bridge.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pushgate.bridge.redis.RedisSubscriptions;
import io.pushgate.bridge.redis.SubscriptionKey;
import io.pushgate.testsupport.FakeRestGateway;
import io.pushgate.bridge.support.FakeGatewayResource;
import io.pushgate.bridge.support.TestRedis;
import io.pushgate.testsupport.RedisTestResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code bridge.gateway-mappings."gw.*"=redis/<channel>} against a fake gateway on 127.0.0.1. */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
@WithTestResource(FakeGatewayResource.class)
class GatewayMappingTest {

    @Inject
    RedisDataSource dataSource;

    @Inject
    RedisSubscriptions subscriptions;

    private TestRedis redis;
    private FakeRestGateway gateway;

    @BeforeEach
    void setUp() {
        redis = new TestRedis(dataSource);
        gateway = FakeGatewayResource.current();
        await().until(() -> subscriptions.isActive(SubscriptionKey.pattern("gw.*")));
    }

    @Test
    void aJsonPayloadSetsAJsonTopicWithTheBearerToken() {
        String channel = TestRedis.unique("gw.prices");
        String payload = "{\"bpi\":{\"USD\":{\"rate_float\":43123.45}},\"source\":\"replay\"}";

        redis.publish(channel, payload);

        await().until(() -> gateway.requestsFor("redis/" + channel).size() == 1);
        FakeRestGateway.Request put = gateway.requestsFor("redis/" + channel).get(0);
        assertThat(put.method()).isEqualTo("PUT");
        assertThat(put.query()).isEqualTo("type=JSON");
        assertThat(put.contentType()).isEqualTo("application/json");
        assertThat(put.authorization()).isEqualTo("Bearer test-token");
        assertThat(put.body()).isEqualTo(payload.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aPayloadThatIsNotJsonSetsAStringTopic() {
        String channel = TestRedis.unique("gw.notes");

        redis.publish(channel, "BTC at 43,123.45 €");

        await().until(() -> gateway.requestsFor("redis/" + channel).size() == 1);
        FakeRestGateway.Request put = gateway.requestsFor("redis/" + channel).get(0);
        assertThat(put.query()).isEqualTo("type=STRING");
        assertThat(put.contentType()).startsWith("text/plain");
        assertThat(put.bodyText()).isEqualTo("BTC at 43,123.45 €");
    }

    @Test
    void anUnavailableGatewayIsRetriedWithBackoffUntilItTakesTheUpdate() {
        String channel = TestRedis.unique("gw.retry");
        gateway.failNext(2);

        redis.publish(channel, "{\"n\":1}");

        await().until(() -> gateway.requestsFor("redis/" + channel).size() == 3);
        assertThat(gateway.requestsFor("redis/" + channel)).extracting(FakeRestGateway.Request::answered).containsExactly(503, 503, 200);
        assertThat(gateway.requestsFor("redis/" + channel)).extracting(FakeRestGateway.Request::bodyText).containsOnly("{\"n\":1}");
    }

    @Test
    void updatesOfOneTopicArriveInOrder() {
        String channel = TestRedis.unique("gw.order");

        for (int i = 1; i <= 20; i++) {
            redis.publish(channel, "{\"n\":" + i + "}");
        }

        // waiting updates of one topic may be replaced by newer ones, never reordered
        await().until(() -> gateway.requestsFor("redis/" + channel).stream().anyMatch(r -> r.bodyText().equals("{\"n\":20}")));
        assertThat(gateway.requestsFor("redis/" + channel))
                .extracting(r -> Integer.parseInt(r.bodyText().replaceAll("\\D", "")))
                .isSorted();
    }
}
