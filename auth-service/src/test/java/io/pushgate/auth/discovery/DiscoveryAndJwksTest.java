package io.pushgate.auth.discovery;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.pushgate.auth.Api;
import io.pushgate.testsupport.RedisTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.util.List;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.Test;

/** What an OIDC library does with the service: discovery, then the JWKS, then verify a token. */
@QuarkusTest
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class DiscoveryAndJwksTest {

    private static final String ISSUER = "http://localhost:8081";

    @Test
    void discoveryDescribesTheIssuerAndItsEndpoints() {
        JsonPath discovery = given().get("/.well-known/openid-configuration").then().statusCode(200).extract().jsonPath();

        assertThat(discovery.getString("issuer")).isEqualTo(ISSUER);
        assertThat(discovery.getString("jwks_uri")).isEqualTo(ISSUER + "/v1/jwks");
        assertThat(discovery.getString("token_endpoint")).isEqualTo(ISSUER + "/v1/token");
        assertThat(discovery.getList("grant_types_supported", String.class)).containsExactlyInAnyOrder("password", "client_credentials",
                "urn:ietf:params:oauth:grant-type:token-exchange");
        assertThat(discovery.getList("id_token_signing_alg_values_supported", String.class)).containsExactly("RS256");
        assertThat(discovery.getList("subject_types_supported", String.class)).contains("public");
        assertThat(discovery.getList("response_types_supported", String.class)).isNotEmpty();
    }

    @Test
    void aTokenVerifiesAgainstTheJwksThatDiscoveryPointsTo() throws Exception {
        JsonPath discovery = given().get("/.well-known/openid-configuration").then().extract().jsonPath();
        // the issuer is the public URL (port 8081); the test server listens on a random port, so fetch the path
        String jwksPath = URI.create(discovery.getString("jwks_uri")).getPath();
        String jwksJson = given().get(jwksPath).then().statusCode(200).extract().asString();
        JsonWebKeySet jwks = new JsonWebKeySet(jwksJson);
        long before = System.currentTimeMillis() / 1000;
        String token = Api.token("carol", "carol-password");

        JwtConsumer consumer = new JwtConsumerBuilder()
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(jwks.getJsonWebKeys()))
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.RSA_USING_SHA256)
                .setExpectedIssuer(discovery.getString("issuer"))
                .setRequireSubject()
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .setRequireJwtId()
                .setSkipDefaultAudienceValidation()
                .build();
        JwtContext context = consumer.process(token);
        JwtClaims claims = context.getJwtClaims();

        String kid = context.getJoseObjects().get(0).getKeyIdHeaderValue();
        assertThat(kid).isNotBlank();
        assertThat(jwks.getJsonWebKeys()).extracting(JsonWebKey::getKeyId).contains(kid);
        assertThat(context.getJoseObjects().get(0).getAlgorithmHeaderValue()).isEqualTo("RS256");
        assertThat(claims.getIssuer()).isEqualTo(ISSUER);
        assertThat(claims.getSubject()).isEqualTo("carol");
        assertThat(claims.getStringListClaimValue("roles")).isEqualTo(List.of("TOPIC_CONTROL"));
        assertThat(claims.getIssuedAt().getValue()).isBetween(before - 1, before + 60);
        assertThat(claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue()).isEqualTo(3600);
        assertThat(claims.getJwtId()).isNotBlank();
        assertThat(claims.getAudience()).isEmpty();
    }

    @Test
    void theJwksHoldsOnlyPublicKeyMaterial() {
        JsonPath jwks = given().get("/v1/jwks").then().statusCode(200).extract().jsonPath();

        assertThat(jwks.getList("keys")).hasSize(1);
        assertThat(jwks.getString("keys[0].kty")).isEqualTo("RSA");
        assertThat(jwks.getString("keys[0].use")).isEqualTo("sig");
        assertThat(jwks.getString("keys[0].alg")).isEqualTo("RS256");
        assertThat(jwks.getString("keys[0].n")).isNotBlank();
        assertThat(jwks.getString("keys[0].d")).isNull();
        assertThat(jwks.getString("keys[0].p")).isNull();
    }
}
