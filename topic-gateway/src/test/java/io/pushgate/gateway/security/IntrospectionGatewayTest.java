package io.pushgate.gateway.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.pushgate.gateway.transport.GatewayTestBase;
import io.pushgate.protocol.CloseCodes;
import io.pushgate.testsupport.JsonWebSocket;
import io.pushgate.testsupport.SseClient;
import io.pushgate.testsupport.TestIssuer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Token introspection wired into the gateway, on every transport, against an introspection endpoint
 * on 127.0.0.1 that the test answers for (KeycloakTokenIT does the same with a real Keycloak). Two
 * issuers: tokens of {@code /realms/test} are introspected, tokens of {@code /realms/plain} are not.
 */
@QuarkusTest
@TestProfile(IntrospectionGatewayTest.Profile.class)
class IntrospectionGatewayTest extends GatewayTestBase {

    static final String CLIENT_ID = "pushgate-gateway";
    static final String SECRET = "test-only-secret";

    static TestIssuer introspected;
    static TestIssuer plain;
    static PublicJsonWebKey introspectedKey;
    static PublicJsonWebKey plainKey;
    static FakeIntrospectionServer endpoint;

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.security.anonymous-roles", "NOBODY");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Issuers.class));
        }
    }

    /** Starts both issuers and the introspection endpoint before the gateway, and points the gateway at them. */
    public static class Issuers implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            try {
                introspected = new TestIssuer("/realms/test");
                plain = new TestIssuer("/realms/plain");
                endpoint = new FakeIntrospectionServer(CLIENT_ID, SECRET);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            introspectedKey = introspected.addRsaKey("k1");
            plainKey = plain.addRsaKey("k2");
            return Map.of(
                    "gateway.security.issuers", introspected.issuer() + "," + plain.issuer(),
                    "gateway.security.introspection.test.issuer", introspected.issuer(),
                    "gateway.security.introspection.test.url", endpoint.url(),
                    "gateway.security.introspection.test.client-id", CLIENT_ID,
                    "gateway.security.introspection.test.client-secret", SECRET,
                    // every question reaches the endpoint, open sessions ask every second
                    "gateway.security.introspection.test.cache-ttl", "0s",
                    "gateway.security.introspection.test.recheck-interval", "1s",
                    "gateway.security.introspection.test.grace", "3s");
        }

        @Override
        public void stop() {
            for (AutoCloseable c : new AutoCloseable[] {introspected, plain, endpoint}) {
                try {
                    if (c != null) {
                        c.close();
                    }
                } catch (Exception ignored) {
                    // the next resource is closed anyway
                }
            }
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private String topic;

    /** A token of the introspected issuer whose own roles claim says ADMINISTRATOR: only the endpoint's answer counts. */
    private static String introspectedToken(String subject) {
        JwtClaims claims = introspected.claims(subject, System.currentTimeMillis());
        claims.setStringListClaim("roles", "ADMINISTRATOR");
        return TestIssuer.sign(claims, introspectedKey);
    }

    private static String plainToken(String subject, String... roles) {
        JwtClaims claims = plain.claims(subject, System.currentTimeMillis());
        claims.setStringListClaim("roles", roles);
        return TestIssuer.sign(claims, plainKey);
    }

    @BeforeEach
    void aTopic() {
        endpoint.down = false;
        topic = unique("prices") + "/btc";
        given().header("Authorization", "Bearer " + plainToken("publisher", "TOPIC_CONTROL")).contentType("application/json")
                .body("43000").when().put("/v1/topics/" + topic + "?type=DOUBLE").then().statusCode(200);
    }

    @AfterEach
    void up() {
        endpoint.down = false;
    }

    private JsonWebSocket socketWith(String token) {
        return JsonWebSocket.connect(base.toString().replaceFirst("^http", "ws") + "v1/ws", Map.of("Authorization", "Bearer " + token));
    }

    private int status(String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void restTakesTheRolesTheIssuerReturnsNowNotTheOnesInTheToken() {
        String token = introspectedToken("alice");
        endpoint.active(token, "alice", "CLIENT");
        given().header("Authorization", "Bearer " + token).when().get("/v1/topics/" + topic).then().statusCode(200);
        given().header("Authorization", "Bearer " + token).contentType("application/json").body("1")
                .when().put("/v1/topics/" + topic).then().statusCode(403).body("code", equalTo("PERMISSION_DENIED"));

        endpoint.active(token, "alice"); // the realm role is removed
        given().header("Authorization", "Bearer " + token).when().get("/v1/topics?selector=" + topic)
                .then().statusCode(200).body("results.size()", equalTo(0));

        endpoint.inactive(token);
        given().header("Authorization", "Bearer " + token).when().get("/v1/topics/" + topic)
                .then().statusCode(401).body("code", equalTo("UNAUTHENTICATED"));
    }

    @Test
    void withoutAnAnswerFromTheIssuerNewTokensAreRefusedWith503AndOtherIssuersAreNotAffected() throws Exception {
        String token = introspectedToken("alice");
        endpoint.active(token, "alice", "CLIENT");
        endpoint.down = true;
        given().header("Authorization", "Bearer " + token).when().get("/v1/topics/" + topic)
                .then().statusCode(503).body("code", equalTo("UNAVAILABLE"));
        assertThat(status("v1/ws", token)).as("WebSocket upgrade").isEqualTo(503);
        assertThat(status("v1/sse?selector=" + topic, token)).as("SSE").isEqualTo(503);
        given().header("Authorization", "Bearer " + plainToken("carol", "CLIENT")).when().get("/v1/topics/" + topic).then().statusCode(200);
        // a refused "auth" changes nothing: the session keeps what it had
        JsonWebSocket anonymous = connect();
        assertThat(anonymous.call(op("auth", "token", token)).path("code").asText()).isEqualTo("UNAVAILABLE");
        assertThat(anonymous.call(op("ping")).path("type").asText()).isEqualTo("pong");
        endpoint.down = false;
        given().header("Authorization", "Bearer " + token).when().get("/v1/topics/" + topic).then().statusCode(200);
    }

    @Test
    void anOpenWebSocketLosesItsTopicsOnceTheRoleIsRemovedAndIsClosedOnceTheTokenIsRevoked() throws Exception {
        String token = introspectedToken("bob");
        endpoint.active(token, "bob", "CLIENT");
        try (JsonWebSocket bob = socketWith(token)) {
            bob.call(op("subscribe", "selector", topic));
            assertThat(bob.awaitType("value").path("value").asDouble()).isEqualTo(43000);
            assertThat(bob.call(op("set", "topic", topic, "value", 1)).path("code").asText()).isEqualTo("PERMISSION_DENIED");

            endpoint.active(token, "bob");
            var unsubscribed = bob.await(m -> "unsubscribed".equals(m.path("type").asText()), Duration.ofSeconds(30));
            assertThat(unsubscribed.path("reason").asText()).isEqualTo("PERMISSION_DENIED");
            assertThat(bob.call(op("fetch", "selector", topic)).path("results")).isEmpty();

            endpoint.inactive(token);
            int[] closed = bob.closed().get(30, TimeUnit.SECONDS);
            assertThat(closed[0]).isEqualTo(CloseCodes.UNAUTHENTICATED);
        }
    }

    @Test
    void anOpenSseStreamLosesItsTopicsAndIsClosedTheSameWay() throws Exception {
        String token = introspectedToken("dave");
        endpoint.active(token, "dave", "CLIENT");
        try (SseClient dave = SseClient.connect(base + "v1/sse?selector=" + topic, Map.of("Authorization", "Bearer " + token))) {
            assertThat(dave.status()).isEqualTo(200);
            assertThat(dave.awaitEvent("value").data().path("value").asDouble()).isEqualTo(43000);
            endpoint.active(token, "dave");
            assertThat(dave.await(e -> "unsubscribed".equals(e.event()), Duration.ofSeconds(30)).data().path("reason").asText())
                    .isEqualTo("PERMISSION_DENIED");
            endpoint.inactive(token);
            assertThat(dave.await(e -> "close".equals(e.event()), Duration.ofSeconds(30)).data().path("code").asInt())
                    .isEqualTo(CloseCodes.UNAUTHENTICATED);
        }
    }

    @Test
    void whileTheIssuerCannotBeReachedOpenSessionsKeepTheirRolesForTheGraceTimeThenAreToldToTryAgainLater() throws Exception {
        String token = introspectedToken("erin");
        endpoint.active(token, "erin", "CLIENT");
        try (JsonWebSocket erin = socketWith(token)) {
            erin.call(op("subscribe", "selector", topic));
            erin.awaitType("value");
            int before = endpoint.calls.get();
            endpoint.down = true;
            // it keeps reading meanwhile: an update still reaches it
            given().header("Authorization", "Bearer " + plainToken("publisher", "TOPIC_CONTROL")).contentType("application/json")
                    .body("43001").when().put("/v1/topics/" + topic).then().statusCode(200);
            assertThat(erin.await(m -> m.path("type").asText().matches("value|delta"), Duration.ofSeconds(10))).isNotNull();
            int[] closed = erin.closed().get(60, TimeUnit.SECONDS);
            assertThat(closed[0]).isEqualTo(CloseCodes.TRY_AGAIN_LATER);
            assertThat(endpoint.calls.get()).as("the session kept asking").isGreaterThan(before + 1);
            assertThat(erin.drain()).noneMatch(m -> "unsubscribed".equals(m.path("type").asText()));
        }
    }
}
