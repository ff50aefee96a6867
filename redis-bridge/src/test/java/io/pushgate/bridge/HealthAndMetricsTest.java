package io.pushgate.bridge;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;

import io.pushgate.bridge.passthrough.PassthroughHub;
import io.pushgate.bridge.redis.ChannelName;
import io.pushgate.bridge.redis.RedisSubscriptions;
import io.pushgate.bridge.redis.SubscriptionKey;
import io.pushgate.bridge.support.FakeGatewayResource;
import io.pushgate.bridge.support.TestRedis;
import io.pushgate.testsupport.FrameWebSocket;
import io.pushgate.testsupport.RedisTestResource;
import io.pushgate.testsupport.TestIssuerResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(RedisTestResource.class)
@WithTestResource(FakeGatewayResource.class)
@WithTestResource(value = TestIssuerResource.class, initArgs = @ResourceArg(name = TestIssuerResource.PROPERTY, value = "bridge.security.issuers"))
class HealthAndMetricsTest {

    @TestHTTPResource("/")
    URL base;

    @Inject
    RedisDataSource dataSource;

    @Inject
    RedisSubscriptions subscriptions;

    @Inject
    PassthroughHub hub;

    @Test
    void readinessIsUpWithRedisAndThePubSubConnection() {
        await().until(subscriptions::isConnected);

        given().when().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("UP"))
                .body("checks.name", hasItem("redis-pubsub"));
    }

    @Test
    void metricsCountMessagesAndBytesPerChannelAndWhatWasForwarded() {
        TestRedis redis = new TestRedis(dataSource);
        String channel = TestRedis.unique("metrics");
        try (FrameWebSocket client = FrameWebSocket.connect(URI.create("ws://127.0.0.1:" + base.getPort() + "/v1/redis/" + channel),
                Map.of("Authorization", "Bearer " + TestIssuerResource.token("publisher", "TOPIC_CONTROL")))) {
            await().until(() -> subscriptions.isActive(SubscriptionKey.channel(channel)) && hub.clientCount(new ChannelName(channel)) == 1);
            redis.publish(channel, "0123456789");
            client.sendText("abc");
            await().until(() -> client.received().size() == 2);
            await().until(() -> subscriptions.isActive(SubscriptionKey.channel("fwd.channel")));
            redis.publish("fwd.channel", TestRedis.unique("metrics"));
            await().until(() -> metrics().contains("bridge_forward_messages_total{direction=\"out\",name=\"fwd.channel\",source=\"channel\"}"));

            String metrics = metrics();
            assertThat(metrics)
                    .contains("bridge_passthrough_messages_total{channel=\"" + channel + "\",direction=\"in\"} 2.0")
                    .contains("bridge_passthrough_messages_total{channel=\"" + channel + "\",direction=\"out\"} 2.0")
                    .contains("bridge_passthrough_messages_total{channel=\"" + channel + "\",direction=\"publish\"} 1.0")
                    .contains("bridge_passthrough_bytes_total{channel=\"" + channel + "\",direction=\"in\"} 13.0")
                    .contains("bridge_passthrough_bytes_total{channel=\"" + channel + "\",direction=\"publish\"} 3.0")
                    .containsPattern("bridge_passthrough_clients(\\{[^}]*\\})? [1-9]")
                    .contains("bridge_redis_connected 1.0")
                    .contains("bridge_forward_bytes_total{direction=\"in\",name=\"fwd.channel\",source=\"channel\"}")
                    .contains("bridge_gateway_buffered");
        }
    }

    private static String metrics() {
        return given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    }
}
