package io.pushgate.auth.tokens;

import static io.pushgate.auth.Api.freshAddress;
import static io.pushgate.auth.Api.unverifiedClaims;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pushgate.auth.Api;
import io.pushgate.auth.keys.SigningKey;
import io.pushgate.auth.keys.SigningKeys;
import io.pushgate.testsupport.RedisTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

/**
 * RFC 8693 token exchange renews a sign-in: a valid token of the password grant for a new one,
 * with the principal's current roles, never past {@code auth_time + auth.session-lifetime}
 * (12 h by default, which the test profile keeps).
 */
@QuarkusTest
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class TokenExchangeTest {

    private static final String SESSION_LIFETIME_SECONDS = "43200";

    @Inject
    SigningKeys keys;

    @Test
    void aSignInsTokenIsExchangedForAFreshOneOfTheSameSession() throws Exception {
        String first = Api.token("alice", "alice-password");
        JwtClaims firstClaims = unverifiedClaims(first);

        Response response = exchange(first);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.header("Cache-Control")).isEqualTo("no-store");
        assertThat(response.jsonPath().getString("token_type")).isEqualTo("Bearer");
        assertThat(response.jsonPath().getString("issued_token_type")).isEqualTo("urn:ietf:params:oauth:token-type:access_token");
        assertThat(response.jsonPath().getLong("expires_in")).isEqualTo(3600);
        String renewed = response.jsonPath().getString("access_token");
        JwtClaims claims = unverifiedClaims(renewed);
        assertThat(claims.getSubject()).isEqualTo("alice");
        assertThat(claims.getStringListClaimValue("roles")).containsExactly("CLIENT");
        assertThat(claims.getClaimValue("auth_time", Long.class)).as("the session's start is kept")
                .isEqualTo(firstClaims.getClaimValue("auth_time", Long.class));
        assertThat(claims.getJwtId()).isNotEqualTo(firstClaims.getJwtId());
        assertThat(claims.getExpirationTime().getValue()).isGreaterThanOrEqualTo(firstClaims.getExpirationTime().getValue());
        // the renewed token is as good as the first, and can itself be renewed
        Api.as(renewed).get("/v1/principals/alice").then().statusCode(200);
        assertThat(exchange(renewed).statusCode()).isEqualTo(200);
        assertThat(given().get("/q/metrics").asString()).containsPattern("auth_tokens_issued_total\\{[^}]*grant=\"token_exchange\"[^}]*} [1-9]");
    }

    @Test
    void onlyThePasswordGrantsTokensCarryAuthTime() throws Exception {
        JwtClaims signIn = unverifiedClaims(Api.token("bob", "bob-password"));
        JwtClaims client = unverifiedClaims(Api.clientGrant("backend-app", "backend-app-test-secret", freshAddress())
                .jsonPath().getString("access_token"));

        assertThat(signIn.getClaimValue("auth_time", Long.class)).isCloseTo(signIn.getIssuedAt().getValue(), within(1L));
        assertThat(client.hasClaim("auth_time")).isFalse();
    }

    @Test
    void theRenewedTokenHasThePrincipalsCurrentRoles() throws Exception {
        String name = Api.createPrincipal("promoted", "promoted-password", "CLIENT");
        String token = Api.token(name, "promoted-password");
        Api.as(Api.adminToken()).body("{\"roles\":[\"TOPIC_CONTROL\"]}").put("/v1/principals/" + name + "/roles").then().statusCode(200);

        Response response = exchange(token);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(unverifiedClaims(response.jsonPath().getString("access_token")).getStringListClaimValue("roles"))
                .containsExactly("TOPIC_CONTROL");
    }

    @Test
    void aDeletedPrincipalCannotRenew() {
        String name = Api.createPrincipal("leaver", "leaver-password", "CLIENT");
        String token = Api.token(name, "leaver-password");
        Api.as(Api.adminToken()).delete("/v1/principals/" + name).then().statusCode(204);

        assertRefused(exchange(token), "no longer exists");
    }

    @Test
    void aClientsTokenIsNotRenewedByExchange() {
        String token = Api.clientGrant("backend-app", "backend-app-test-secret", freshAddress()).jsonPath().getString("access_token");

        assertRefused(exchange(token), "only the token of a sign-in");
    }

    @Test
    void aTokenThatIsNotValidIsRefused() throws Exception {
        String alice = Api.token("alice", "alice-password");
        JwtClaims expired = aliceClaims(now() - 7200);
        expired.setIssuedAt(NumericDate.fromSeconds(now() - 7200));
        expired.setExpirationTime(NumericDate.fromSeconds(now() - 3600));

        assertRefused(exchange("not-a-token"), "not a valid token");
        assertRefused(exchange(alice.substring(0, alice.length() - 4) + "AAAA"), "not a valid token");
        assertRefused(exchange(sign(expired, SigningKey.generate())), "not a valid token");
        assertRefused(exchange(sign(expired, keys.current())), "not a valid token");
    }

    @Test
    void noSignInIsRenewedPastTheSessionLifetime() throws Exception {
        long lifetime = Long.parseLong(SESSION_LIFETIME_SECONDS);
        // signed in just over 12 h ago, with a token that is still valid: the session is over
        assertRefused(exchange(sign(aliceClaims(now() - lifetime - 5), keys.current())), "older than the session lifetime");

        // signed in 10 minutes short of 12 h ago: the renewed token lasts those 10 minutes, not an hour
        long authTime = now() - lifetime + 600;
        Response response = exchange(sign(aliceClaims(authTime), keys.current()));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.jsonPath().getLong("expires_in")).isBetween(595L, 600L);
        JwtClaims claims = unverifiedClaims(response.jsonPath().getString("access_token"));
        assertThat(claims.getExpirationTime().getValue()).isEqualTo(authTime + lifetime);
        assertThat(claims.getClaimValue("auth_time", Long.class)).isEqualTo(authTime);
    }

    @Test
    void missingOrUnknownParametersAreInvalidRequests() {
        String alice = Api.token("alice", "alice-password");

        Response noToken = given().contentType(Api.FORM_UTF8).formParam("grant_type", TokenService.TOKEN_EXCHANGE)
                .formParam("subject_token_type", IssuedToken.ACCESS_TOKEN_TYPE).post("/v1/token");
        Response noType = given().contentType(Api.FORM_UTF8).formParam("grant_type", TokenService.TOKEN_EXCHANGE)
                .formParam("subject_token", alice).post("/v1/token");
        Response otherType = given().contentType(Api.FORM_UTF8).formParam("grant_type", TokenService.TOKEN_EXCHANGE)
                .formParam("subject_token", alice).formParam("subject_token_type", "urn:ietf:params:oauth:token-type:saml2")
                .post("/v1/token");

        for (Response response : List.of(noToken, noType, otherType)) {
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.jsonPath().getString("code")).isEqualTo("INVALID");
            assertThat(response.jsonPath().getString("error")).isEqualTo("invalid_request");
        }
        assertThat(noToken.jsonPath().getString("message")).contains("subject_token");
        assertThat(otherType.jsonPath().getString("message")).contains("subject_token_type");
    }

    private static Response exchange(String token) {
        return given().contentType(Api.FORM_UTF8)
                .formParam("grant_type", TokenService.TOKEN_EXCHANGE)
                .formParam("subject_token", token)
                .formParam("subject_token_type", IssuedToken.ACCESS_TOKEN_TYPE)
                .post("/v1/token");
    }

    private static void assertRefused(Response response, String why) {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(400);
        assertThat(response.jsonPath().getString("code")).isEqualTo("INVALID");
        assertThat(response.jsonPath().getString("error")).isEqualTo("invalid_request");
        assertThat(response.jsonPath().getString("message")).contains(why);
        assertThat(response.asString()).doesNotContain("access_token");
    }

    /** A valid token of alice's sign-in at {@code authTime}, issued now for 10 minutes. */
    private static JwtClaims aliceClaims(long authTime) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer("http://localhost:8081");
        claims.setSubject("alice");
        claims.setStringListClaim("roles", List.of("CLIENT"));
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(10);
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setClaim("auth_time", authTime);
        return claims;
    }

    private static String sign(JwtClaims claims, SigningKey key) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.privateKey());
        jws.setKeyIdHeaderValue(key.kid());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        return jws.getCompactSerialization();
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }
}
