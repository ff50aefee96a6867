package io.pushgate.bridge.redis;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pushgate.bridge.support.RestartableRedisResource;
import io.pushgate.bridge.support.TestRedis;
import io.pushgate.testsupport.FrameWebSocket;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Redis goes away and comes back (same port, data lost): readiness follows, and everything resumes. */
@QuarkusTest
@WithTestResource(value = RestartableRedisResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class RedisReconnectTest {

    @TestHTTPResource("/")
    URL base;

    @Inject
    RedisDataSource dataSource;

    @Inject
    RedisSubscriptions subscriptions;

    @Test
    void readinessFollowsRedisAndSubscriptionsAndStreamsResumeAfterARestart() {
        TestRedis redis = new TestRedis(dataSource);
        String channel = TestRedis.unique("reconnect");
        SubscriptionKey key = SubscriptionKey.channel(channel);
        try (FrameWebSocket client = FrameWebSocket.connect(URI.create("ws://127.0.0.1:" + base.getPort() + "/v1/redis/" + channel))) {
            await().until(() -> subscriptions.isActive(key));

            RestartableRedisResource.current().stop();
            await().atMost(Duration.ofSeconds(30)).until(() -> readiness() == 503);
            assertThat(subscriptions.isConnected()).isFalse();

            RestartableRedisResource.current().start();
            await().atMost(Duration.ofSeconds(30)).until(() -> readiness() == 200);
            await().until(() -> subscriptions.isActive(key));

            redis.publish(channel, "after the restart");
            await().until(() -> client.received().size() == 1);
            assertThat(client.received().get(0).asText()).isEqualTo("after the restart");
            assertThat(client.closeCode()).isNotDone();

            // the restarted Redis lost the stream and its group: the reader creates them again
            await().atMost(Duration.ofSeconds(30)).until(() -> redis.groupExists("fwd.stream"));
            String payload = TestRedis.unique("after-restart");
            redis.xadd("fwd.stream", Map.of("data", payload));
            await().until(() -> redis.forwarded(payload).size() == 1);
        }
    }

    private static int readiness() {
        return given().when().get("/q/health/ready").then().extract().statusCode();
    }
}
