package io.pushgate.auth.tokens;

import static io.pushgate.auth.Api.clientGrant;
import static io.pushgate.auth.Api.freshAddress;
import static io.pushgate.auth.Api.passwordGrant;
import static io.pushgate.auth.Api.unverifiedClaims;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.pushgate.auth.Api;
import io.pushgate.testsupport.RedisTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class TokenEndpointTest {

    @Test
    void passwordGrantIssuesABearerTokenWithTheRoles() throws Exception {
        Response response = passwordGrant("alice", "alice-password", freshAddress());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.header("Cache-Control")).isEqualTo("no-store");
        assertThat(response.jsonPath().getString("token_type")).isEqualTo("Bearer");
        assertThat(response.jsonPath().getLong("expires_in")).isEqualTo(3600);
        JwtClaims claims = unverifiedClaims(response.jsonPath().getString("access_token"));
        assertThat(claims.getSubject()).isEqualTo("alice");
        assertThat(claims.getStringListClaimValue("roles")).containsExactly("CLIENT");
    }

    @Test
    void builtInAdminLogsInWithTheConfiguredPassword() throws Exception {
        Response response = passwordGrant("admin", "admin-test-password", freshAddress());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(unverifiedClaims(response.jsonPath().getString("access_token")).getStringListClaimValue("roles"))
                .containsExactly("ADMINISTRATOR");
    }

    @Test
    void wrongPasswordAndUnknownUserGetTheSameAnswer() {
        Response wrongPassword = passwordGrant("bob", "not-bobs-password", freshAddress());
        Response unknownUser = passwordGrant("nobody-by-this-name", "not-bobs-password", freshAddress());

        assertThat(wrongPassword.statusCode()).isEqualTo(401);
        assertThat(unknownUser.statusCode()).isEqualTo(401);
        assertThat(wrongPassword.jsonPath().getString("code")).isEqualTo("UNAUTHENTICATED");
        assertThat(wrongPassword.jsonPath().getString("error")).isEqualTo("invalid_grant");
        assertThat(unknownUser.asString()).isEqualTo(wrongPassword.asString());
        assertThat(unknownUser.header("WWW-Authenticate")).isEqualTo(wrongPassword.header("WWW-Authenticate"));
    }

    @Test
    void overlongPasswordsAreWrongAndNonAsciiPasswordsWork() {
        String name = Api.createPrincipal("unicode", "pässwörd-ü€", "CLIENT");

        assertThat(passwordGrant(name, "x".repeat(500), freshAddress()).statusCode()).isEqualTo(401);
        assertThat(passwordGrant(name, "passwörd-ü€", freshAddress()).statusCode()).isEqualTo(401);
        assertThat(passwordGrant(name, "pässwörd-ü€", freshAddress()).statusCode()).isEqualTo(200);
    }

    @Test
    void clientCredentialsGrantIssuesTheClientsRoles() throws Exception {
        Response response = clientGrant("backend-app", "backend-app-test-secret", freshAddress());

        assertThat(response.statusCode()).isEqualTo(200);
        JwtClaims claims = unverifiedClaims(response.jsonPath().getString("access_token"));
        assertThat(claims.getSubject()).isEqualTo("backend-app");
        assertThat(claims.getStringListClaimValue("roles")).containsExactly("TOPIC_CONTROL");
    }

    @Test
    void clientCredentialsMayComeInHttpBasic() throws Exception {
        Response response = given().contentType(ContentType.URLENC).header("X-Forwarded-For", freshAddress())
                .auth().preemptive().basic("reporter", "reporter-test-secret")
                .formParam("grant_type", "client_credentials")
                .post("/v1/token");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(unverifiedClaims(response.jsonPath().getString("access_token")).getStringListClaimValue("roles"))
                .containsExactly("CLIENT");
    }

    @Test
    void wrongSecretAndUnknownClientGetTheSameAnswer() {
        Response wrongSecret = clientGrant("backend-app", "not-the-secret", freshAddress());
        Response unknownClient = clientGrant("no-such-client", "not-the-secret", freshAddress());

        assertThat(wrongSecret.statusCode()).isEqualTo(401);
        assertThat(wrongSecret.jsonPath().getString("code")).isEqualTo("UNAUTHENTICATED");
        assertThat(wrongSecret.jsonPath().getString("error")).isEqualTo("invalid_client");
        assertThat(unknownClient.asString()).isEqualTo(wrongSecret.asString());
    }

    @Test
    void unknownGrantTypeAndMissingParametersAreInvalid() {
        Response unknownGrant = given().contentType(ContentType.URLENC).formParam("grant_type", "implicit").post("/v1/token");
        Response missingPassword = given().contentType(ContentType.URLENC).header("X-Forwarded-For", freshAddress())
                .formParam("grant_type", "password").formParam("username", "alice").post("/v1/token");

        assertThat(unknownGrant.statusCode()).isEqualTo(400);
        assertThat(unknownGrant.jsonPath().getString("code")).isEqualTo("INVALID");
        assertThat(unknownGrant.jsonPath().getString("error")).isEqualTo("unsupported_grant_type");
        assertThat(missingPassword.statusCode()).isEqualTo(400);
        assertThat(missingPassword.jsonPath().getString("error")).isEqualTo("invalid_request");
    }

    @Test
    void aJsonBodyIsRefusedWithTheErrorShape() {
        Response response = given().contentType(ContentType.JSON).body("{\"grant_type\":\"password\"}").post("/v1/token");

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(response.jsonPath().getString("code")).isEqualTo("INVALID");
        assertThat(response.jsonPath().getString("message")).isNotBlank();
    }
}
