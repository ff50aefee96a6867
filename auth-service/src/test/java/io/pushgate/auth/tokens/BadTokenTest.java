package io.pushgate.auth.tokens;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

/** The principals API trusts only tokens this service signed, unexpired, with its issuer. */
@QuarkusTest
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class BadTokenTest {

    @Inject
    SigningKeys keys;

    @Test
    void aTokenFromThisServiceIsAccepted() throws Exception {
        assertAccepted(sign(adminClaims(), keys.current(), AlgorithmIdentifiers.RSA_USING_SHA256));
    }

    @Test
    void aTokenSignedByAnotherKeyWithTheSameKidIsRefused() throws Exception {
        SigningKey stranger = SigningKey.generate();
        SigningKey impostor = new SigningKey(keys.current().kid(), stranger.privateKey(), stranger.publicKey());

        assertRefused(sign(adminClaims(), impostor, AlgorithmIdentifiers.RSA_USING_SHA256));
    }

    @Test
    void anUnsignedTokenIsRefused() throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(adminClaims().toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.NONE);
        jws.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);

        assertRefused(jws.getCompactSerialization());
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        JwtClaims claims = adminClaims();
        claims.setIssuedAt(NumericDate.fromSeconds(System.currentTimeMillis() / 1000 - 7200));
        claims.setExpirationTime(NumericDate.fromSeconds(System.currentTimeMillis() / 1000 - 3600));

        assertRefused(sign(claims, keys.current(), AlgorithmIdentifiers.RSA_USING_SHA256));
    }

    @Test
    void aTokenOfAnotherIssuerIsRefused() throws Exception {
        JwtClaims claims = adminClaims();
        claims.setIssuer("http://elsewhere.example");

        assertRefused(sign(claims, keys.current(), AlgorithmIdentifiers.RSA_USING_SHA256));
    }

    @Test
    void aTamperedTokenIsRefused() {
        String token = Api.token("alice", "alice-password");
        String[] parts = token.split("\\.");
        String forgedPayload = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"iss\":\"http://localhost:8081\",\"sub\":\"alice\",\"roles\":[\"ADMINISTRATOR\"],\"exp\":"
                        + (System.currentTimeMillis() / 1000 + 600) + ",\"iat\":" + System.currentTimeMillis() / 1000 + "}")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertRefused(parts[0] + "." + forgedPayload + "." + parts[2]);
    }

    @Test
    void anotherSchemeIsRefused() {
        Response response = io.restassured.RestAssured.given().header("Authorization", "Basic YWRtaW46YWRtaW4=")
                .get("/v1/principals/alice");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.jsonPath().getString("code")).isEqualTo("UNAUTHENTICATED");
    }

    private static JwtClaims adminClaims() {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer("http://localhost:8081");
        claims.setSubject("admin");
        claims.setStringListClaim("roles", List.of("ADMINISTRATOR"));
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(10);
        claims.setJwtId(UUID.randomUUID().toString());
        return claims;
    }

    private static String sign(JwtClaims claims, SigningKey key, String algorithm) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.privateKey());
        jws.setKeyIdHeaderValue(key.kid());
        jws.setAlgorithmHeaderValue(algorithm);
        return jws.getCompactSerialization();
    }

    private static void assertAccepted(String token) {
        Api.as(token).get("/v1/principals/alice").then().statusCode(200);
    }

    private static void assertRefused(String token) {
        Response response = Api.as(token).get("/v1/principals/alice");
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.jsonPath().getString("code")).isEqualTo("UNAUTHENTICATED");
        assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
    }
}
