package io.pushgate.feeder.control;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import io.pushgate.feeder.support.FakePriceApiResource;
import io.pushgate.testsupport.RedisTestResource;
import io.pushgate.testsupport.TestIssuer;
import io.pushgate.testsupport.TestIssuerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Who may start and stop the feed: tokens of a real local OIDC issuer (discovery document and JWKS
 * over HTTP, as the auth-service serves them), verified by the running feeder. Without a token or
 * with a bad one: 401; a valid token without {@code TOPIC_CONTROL} or {@code ADMINISTRATOR}: 403;
 * each as JSON {@code {code, message}}, and the feed is left as it was. The state stays open.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(FakePriceApiResource.class)
@QuarkusTestResource(value = TestIssuerResource.class, initArgs = @ResourceArg(name = TestIssuerResource.PROPERTY, value = "feeder.security.issuers"))
class FeedAuthorizationTest {

    private static RequestSpecification withToken(String token) {
        return given().auth().oauth2(token);
    }

    private static String token(String subject, String... roles) {
        return TestIssuerResource.token(subject, roles);
    }

    private static void assertRunning(boolean running) {
        given().get("/v1/feed").then().statusCode(200).body("running", is(running));
    }

    @AfterEach
    void stopFeed() {
        withToken(token("admin", "ADMINISTRATOR")).post("/v1/feed/stop").then().statusCode(200);
    }

    @Test
    void theStateIsOpenToAnyone() {
        given().get("/v1/feed").then().statusCode(200).body("running", is(false));
        // even with a token that is not valid: reading the state needs none, so none is looked at
        withToken("not-a-token").get("/v1/feed").then().statusCode(200);
    }

    @Test
    void withoutATokenStartAndStopAre401() {
        for (String action : List.of("start", "stop")) {
            given().post("/v1/feed/" + action).then().statusCode(401)
                    .header("WWW-Authenticate", startsWith("Bearer"))
                    .contentType("application/json")
                    .body("code", is("UNAUTHENTICATED"))
                    .body("message", is((action.equals("start") ? "starting" : "stopping")
                            + " the feed needs a bearer token with one of the roles TOPIC_CONTROL, ADMINISTRATOR; none was presented"));
        }
        assertRunning(false);
    }

    @Test
    void aTokenThatIsNotValidIs401WithTheReason() {
        TestIssuer issuer = TestIssuerResource.current();
        JwtClaims expired = issuer.claims("operator", System.currentTimeMillis() - 600_000);
        expired.setStringListClaim("roles", "TOPIC_CONTROL");
        expired.setExpirationTime(NumericDate.fromMilliseconds(System.currentTimeMillis() - 300_000));
        Map<String, String> reasons = Map.of(
                "not-a-jwt", "not a signed JWT in compact form",
                // the issuer's key id, but a key the issuer never published
                TestIssuer.sign(issuer.claims("operator", System.currentTimeMillis()), TestIssuer.rsaKey("test-key")), "bad signature",
                TestIssuer.sign(expired, TestIssuerResource.key()), "token expired at");
        reasons.forEach((token, reason) -> {
            withToken(token).post("/v1/feed/start").then().statusCode(401)
                    .body("code", is("UNAUTHENTICATED"))
                    .body("message", containsString(reason));
        });
        assertRunning(false);
    }

    @Test
    void aTokenOfAnIssuerThatIsNotTrustedIs401() throws Exception {
        try (TestIssuer stranger = new TestIssuer("/stranger")) {
            String token = stranger.token(stranger.addRsaKey("k"), "operator", "TOPIC_CONTROL");
            withToken(token).post("/v1/feed/start").then().statusCode(401)
                    .body("code", is("UNAUTHENTICATED"))
                    .body("message", containsString("is not trusted"));
        }
        assertRunning(false);
    }

    @Test
    void anotherAuthorizationSchemeIs401() {
        given().header("Authorization", "Basic b3BlcmF0b3I6c2VjcmV0").post("/v1/feed/start").then().statusCode(401)
                .body("code", is("UNAUTHENTICATED"))
                .body("message", is("the Authorization header must be 'Bearer <token>', not basic"));
        assertRunning(false);
    }

    @Test
    void aValidTokenWithoutTheRoleIs403() {
        withToken(token("alice", "CLIENT")).post("/v1/feed/start").then().statusCode(403)
                .contentType("application/json")
                .body("code", is("PERMISSION_DENIED"))
                .body("message", is("starting the feed needs one of the roles TOPIC_CONTROL, ADMINISTRATOR; the token of 'alice' has only CLIENT"));
        withToken(token("nobody")).post("/v1/feed/start").then().statusCode(403)
                .body("message", containsString("the token of 'nobody' has no role"));
        assertRunning(false);
    }

    @Test
    void topicControlStartsAndAnAdministratorStops() {
        withToken(token("carol", "CLIENT", "TOPIC_CONTROL")).post("/v1/feed/start").then().statusCode(200).body("running", is(true));

        // stopping is refused to the same callers as starting, and the feed goes on
        given().post("/v1/feed/stop").then().statusCode(401);
        withToken("not-a-jwt").post("/v1/feed/stop").then().statusCode(401);
        withToken(token("alice", "CLIENT")).post("/v1/feed/stop").then().statusCode(403).body("code", is("PERMISSION_DENIED"));
        assertRunning(true);

        withToken(token("root", "ADMINISTRATOR")).post("/v1/feed/stop").then().statusCode(200).body("running", is(false));
    }

    @Test
    void theTokenMayComeAsAccessTokenParameter() {
        given().queryParam("access_token", token("carol", "TOPIC_CONTROL")).post("/v1/feed/start").then().statusCode(200)
                .body("running", is(true));
        given().queryParam("access_token", token("alice", "CLIENT")).post("/v1/feed/stop").then().statusCode(403);
        assertRunning(true);
    }

    @Test
    void keycloakRealmRolesCount() {
        TestIssuer issuer = TestIssuerResource.current();
        JwtClaims claims = issuer.claims("3f2a9c1e-keycloak-uuid", System.currentTimeMillis());
        claims.unsetClaim("roles");
        claims.setClaim("preferred_username", "carol");
        claims.setClaim("realm_access", Map.of("roles", List.of("offline_access", "TOPIC_CONTROL")));
        withToken(TestIssuer.sign(claims, TestIssuerResource.key())).post("/v1/feed/start").then().statusCode(200)
                .body("running", is(true));
    }
}
