package io.pushgate.auth.health;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.pushgate.auth.Api;
import io.pushgate.testsupport.RedisTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class HealthAndMetricsTest {

    @Test
    void readinessIncludesRedisAndTheSigningKey() {
        String body = given().get("/q/health/ready").then().statusCode(200).extract().asString();

        assertThat(body).contains("\"status\": \"UP\"").contains("Redis connection health check").contains("signing key");
    }

    @Test
    void metricsCountIssuedTokensAndFailedLogins() {
        Api.token("bob", "bob-password");
        Api.passwordGrant(Api.uniqueName("nobody"), "wrong-password", Api.freshAddress());

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();

        assertThat(metrics).containsPattern("auth_tokens_issued_total\\{[^}]*grant=\"password\"[^}]*} [1-9]");
        assertThat(metrics).containsPattern("auth_logins_failed_total\\{[^}]*grant=\"password\"[^}]*reason=\"credentials\"[^}]*} [1-9]");
    }
}
