package io.pushgate.feeder.control;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

import io.pushgate.feeder.support.FakePriceApiResource;
import io.pushgate.testsupport.RedisTestResource;
import io.pushgate.testsupport.TestIssuerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code feeder.control.roles} chooses the roles (here one of the operator's own instead of the
 * defaults), and the web app, served from another origin, may call start and stop with an
 * Authorization header when CORS is on as {@code run.sh} turns it on.
 */
@QuarkusTest
@TestProfile(FeedControlConfigTest.Profile.class)
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(FakePriceApiResource.class)
@QuarkusTestResource(value = TestIssuerResource.class, initArgs = @ResourceArg(name = TestIssuerResource.PROPERTY, value = "feeder.security.issuers"))
class FeedControlConfigTest {

    private static final String WEB_APP = "http://localhost:18385";

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("feeder.control.roles", "FEED_OPERATOR",
                    "quarkus.http.cors.enabled", "true",
                    "quarkus.http.cors.origins", "/.*/");
        }
    }

    @Test
    void theConfiguredRolesAreTheOnlyOnes() {
        given().auth().oauth2(TestIssuerResource.token("carol", "TOPIC_CONTROL")).post("/v1/feed/start").then().statusCode(403)
                .body("message", is("starting the feed needs the role FEED_OPERATOR; the token of 'carol' has only TOPIC_CONTROL"));
        given().auth().oauth2(TestIssuerResource.token("dave", "FEED_OPERATOR")).post("/v1/feed/start").then().statusCode(200)
                .body("running", is(true));
        given().auth().oauth2(TestIssuerResource.token("dave", "FEED_OPERATOR")).post("/v1/feed/stop").then().statusCode(200)
                .body("running", is(false));
    }

    @Test
    void aPreflightFromTheWebAppMaySendAuthorization() {
        given().header("Origin", WEB_APP)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization")
                .options("/v1/feed/start")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", WEB_APP)
                .header("Access-Control-Allow-Methods", containsString("POST"))
                .header("Access-Control-Allow-Headers", containsString("authorization"));
    }

    @Test
    void theWebAppCanReadARefusal() {
        // the CORS headers are on a 401 too, so the page can show the JSON error rather than a network failure
        given().header("Origin", WEB_APP).post("/v1/feed/start").then().statusCode(401)
                .header("Access-Control-Allow-Origin", WEB_APP)
                .body("code", is("UNAUTHENTICATED"))
                .body("message", notNullValue());
        given().header("Origin", WEB_APP).auth().oauth2(TestIssuerResource.token("dave", "FEED_OPERATOR"))
                .post("/v1/feed/stop").then().statusCode(200)
                .header("Access-Control-Allow-Origin", WEB_APP);
    }
}
