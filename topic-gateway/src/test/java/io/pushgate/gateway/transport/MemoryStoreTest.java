package io.pushgate.gateway.transport;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.pushgate.gateway.memory.MemoryStores;
import io.pushgate.gateway.store.Stores;
import io.pushgate.testsupport.JsonWebSocket;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code gateway.store=memory}: the gateway runs on the memory stores, ready without the Redis
 * client's check, and serves topics over REST and the WebSocket as with Redis.
 */
@QuarkusTest
@TestProfile(MemoryStoreTest.Memory.class)
class MemoryStoreTest extends GatewayTestBase {

    public static class Memory implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.store", "memory");
        }
    }

    @Inject
    Stores stores;

    @Test
    void theStoresAreTheMemoryOnesAndTheGatewayIsReadyWithoutTheRedisCheck() {
        assertThat(stores).isInstanceOf(MemoryStores.class);
        given().when().get("/q/health/ready").then().statusCode(200)
                .body(containsString("topic-store"))
                .body(not(containsString("Redis connection health check")));
    }

    @Test
    void aTopicSetOverRestReachesASubscriberAndReadsBack() {
        String path = unique("memory") + "/price";
        JsonWebSocket subscriber = connect();
        subscriber.call(op("subscribe", "selector", path));

        given().contentType("application/json").body("{\"price\": 1}").when().put("/v1/topics/" + path + "?type=JSON")
                .then().statusCode(200);

        subscriber.await(m -> "value".equals(m.path("type").asText()) && m.path("value").path("price").asInt() == 1,
                Duration.ofSeconds(10));
        given().when().get("/v1/topics/" + path).then().statusCode(200).body("seq", equalTo(1)).body("value.price", equalTo(1));
        assertThat(subscriber.call(op("fetch", "selector", path)).path("results").get(0).path("seq").asLong()).isEqualTo(1);
    }
}
