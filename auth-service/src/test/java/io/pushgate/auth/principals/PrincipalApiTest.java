package io.pushgate.auth.principals;

import static io.pushgate.auth.Api.adminToken;
import static io.pushgate.auth.Api.anonymous;
import static io.pushgate.auth.Api.as;
import static io.pushgate.auth.Api.createPrincipal;
import static io.pushgate.auth.Api.principalJson;
import static io.pushgate.auth.Api.token;
import static io.pushgate.auth.Api.uniqueName;
import static io.pushgate.auth.Api.unverifiedClaims;
import static org.assertj.core.api.Assertions.assertThat;

import io.pushgate.auth.Api;
import io.pushgate.testsupport.RedisTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class PrincipalApiTest {

    @Test
    void withoutATokenTheApiAnswers401() {
        assertCode(anonymous().get("/v1/principals/alice"), 401, "UNAUTHENTICATED");
        assertCode(anonymous().delete("/v1/principals/alice"), 401, "UNAUTHENTICATED");
        assertCode(anonymous().body("[\"CLIENT\"]").put("/v1/principals/alice/roles"), 401, "UNAUTHENTICATED");
    }

    @Test
    void aClientTokenIsRefused403() {
        String alice = token("alice", "alice-password");

        assertCode(as(alice).get("/v1/principals/bob"), 403, "PERMISSION_DENIED");
        assertCode(as(alice).delete("/v1/principals/bob"), 403, "PERMISSION_DENIED");
        assertCode(as(alice).body("[\"CLIENT\"]").put("/v1/principals/bob/roles"), 403, "PERMISSION_DENIED");
        assertCode(as(alice).body(principalJson(uniqueName("new"), "long-enough", "CLIENT")).post("/v1/principals"),
                403, "PERMISSION_DENIED");
    }

    @Test
    void aPrincipalReadsItself() {
        Response response = as(token("alice", "alice-password")).get("/v1/principals/alice");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.jsonPath().getString("name")).isEqualTo("alice");
        assertThat(response.jsonPath().getList("roles", String.class)).containsExactly("CLIENT");
    }

    @Test
    void adminCreatesReadsChangesAndDeletesAPrincipal() throws Exception {
        String admin = adminToken();
        String name = uniqueName("service");

        Response created = as(admin).body(principalJson(name, "service-password", "TOPIC_CONTROL")).post("/v1/principals");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.header("Location")).endsWith("/v1/principals/" + name);
        assertThat(created.jsonPath().getList("roles", String.class)).containsExactly("TOPIC_CONTROL");
        assertThat(unverifiedClaims(token(name, "service-password")).getStringListClaimValue("roles"))
                .containsExactly("TOPIC_CONTROL");

        as(admin).get("/v1/principals/" + name).then().statusCode(200);
        Response changed = as(admin).body("{\"roles\":[\"CLIENT\",\"TOPIC_CONTROL\"]}").put("/v1/principals/" + name + "/roles");
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(unverifiedClaims(token(name, "service-password")).getStringListClaimValue("roles"))
                .containsExactly("CLIENT", "TOPIC_CONTROL");

        as(admin).delete("/v1/principals/" + name).then().statusCode(204);
        assertCode(as(admin).get("/v1/principals/" + name), 404, "NOT_FOUND");
        assertCode(Api.passwordGrant(name, "service-password", Api.freshAddress()), 401, "UNAUTHENTICATED");
    }

    @Test
    void rolesMayBeSetWithAnObjectOrABareArray() {
        String admin = adminToken();
        String name = createPrincipal("shape", "shape-password", "CLIENT");

        Response asArray = as(admin).body("[\"TOPIC_CONTROL\"]").put("/v1/principals/" + name + "/roles");
        assertThat(asArray.jsonPath().getList("roles", String.class)).containsExactly("TOPIC_CONTROL");
        Response asObject = as(admin).body("{\"roles\":[\"CLIENT\"]}").put("/v1/principals/" + name + "/roles");
        assertThat(asObject.jsonPath().getList("roles", String.class)).containsExactly("CLIENT");
        assertCode(as(admin).body("{\"rolez\":[]}").put("/v1/principals/" + name + "/roles"), 400, "INVALID");
        assertCode(as(admin).body("[\"CLIENT\"]").put("/v1/principals/" + uniqueName("missing") + "/roles"), 404, "NOT_FOUND");
    }

    @Test
    void selfSignUpCreatesOnlyClientPrincipals() throws Exception {
        String name = uniqueName("self");
        Response noRoles = anonymous().body("{\"name\":\"" + name + "\",\"password\":\"self-password\"}").post("/v1/principals");
        assertThat(noRoles.statusCode()).isEqualTo(201);
        assertThat(noRoles.jsonPath().getList("roles", String.class)).containsExactly("CLIENT");
        assertThat(unverifiedClaims(token(name, "self-password")).getStringListClaimValue("roles")).containsExactly("CLIENT");

        anonymous().body(principalJson(uniqueName("self"), "self-password", "CLIENT")).post("/v1/principals")
                .then().statusCode(201);
        assertCode(anonymous().body(principalJson(uniqueName("self"), "self-password", "TOPIC_CONTROL")).post("/v1/principals"),
                403, "PERMISSION_DENIED");
        assertCode(anonymous().body(principalJson(uniqueName("self"), "self-password", "CLIENT", "ADMINISTRATOR"))
                .post("/v1/principals"), 403, "PERMISSION_DENIED");
    }

    @Test
    void aPrincipalNeverGrantsRolesItDoesNotHold() {
        String managerName = createPrincipal("manager", "manager-password", "SECURITY_MANAGER", "CLIENT");
        String manager = token(managerName, "manager-password");

        // what it holds, it may grant
        as(manager).body(principalJson(uniqueName("granted"), "granted-password", "CLIENT")).post("/v1/principals")
                .then().statusCode(201);
        // what it does not hold, it may not
        assertCode(as(manager).body(principalJson(uniqueName("escalated"), "escalated-password", "TOPIC_CONTROL"))
                .post("/v1/principals"), 403, "PERMISSION_DENIED");
        assertCode(as(manager).body("[\"SECURITY_MANAGER\",\"CLIENT\",\"ADMINISTRATOR\"]")
                .put("/v1/principals/" + managerName + "/roles"), 403, "PERMISSION_DENIED");
        // nor touch a principal above it
        assertCode(as(manager).body("[\"CLIENT\"]").put("/v1/principals/carol/roles"), 403, "PERMISSION_DENIED");
        assertCode(as(manager).delete("/v1/principals/carol"), 403, "PERMISSION_DENIED");
        assertCode(as(manager).delete("/v1/principals/admin"), 403, "PERMISSION_DENIED");
        assertThat(as(adminToken()).get("/v1/principals/" + managerName).jsonPath().getList("roles", String.class))
                .containsExactly("SECURITY_MANAGER", "CLIENT");
    }

    @Test
    void theBuiltInAdminIsNotManagedThroughTheApi() {
        String admin = adminToken();

        assertCode(as(admin).delete("/v1/principals/admin"), 403, "PERMISSION_DENIED");
        assertCode(as(admin).body("[\"CLIENT\"]").put("/v1/principals/admin/roles"), 403, "PERMISSION_DENIED");
        assertCode(as(admin).body(principalJson("admin", "another-password", "CLIENT")).post("/v1/principals"), 409, "CONFLICT");
    }

    @Test
    void aTakenNameIsAConflict() {
        String name = createPrincipal("twice", "twice-password", "CLIENT");

        assertCode(as(adminToken()).body(principalJson(name, "other-password", "CLIENT")).post("/v1/principals"), 409, "CONFLICT");
        assertCode(anonymous().body(principalJson(name, "other-password", "CLIENT")).post("/v1/principals"), 409, "CONFLICT");
    }

    @Test
    void badNamesPasswordsAndBodiesAreInvalid() {
        String admin = adminToken();

        assertCode(as(admin).body(principalJson("has space", "long-enough", "CLIENT")).post("/v1/principals"), 400, "INVALID");
        assertCode(as(admin).body(principalJson("x".repeat(65), "long-enough", "CLIENT")).post("/v1/principals"), 400, "INVALID");
        assertCode(as(admin).body(principalJson(uniqueName("short"), "short", "CLIENT")).post("/v1/principals"), 400, "INVALID");
        assertCode(as(admin).body(principalJson(uniqueName("long"), "p".repeat(73), "CLIENT")).post("/v1/principals"), 400, "INVALID");
        assertCode(as(admin).body(principalJson(uniqueName("role"), "long-enough", "NOT A ROLE")).post("/v1/principals"), 400, "INVALID");
        assertCode(as(admin).body("{not json").post("/v1/principals"), 400, "INVALID");
    }

    @Test
    void thePasswordHashIsNeverInAResponse() {
        String admin = adminToken();
        String name = uniqueName("secretive");
        List<Response> responses = new ArrayList<>();

        responses.add(as(admin).body(principalJson(name, "secretive-password", "CLIENT")).post("/v1/principals"));
        responses.add(as(admin).get("/v1/principals/" + name));
        responses.add(as(admin).body("[\"CLIENT\"]").put("/v1/principals/" + name + "/roles"));
        responses.add(as(token(name, "secretive-password")).get("/v1/principals/" + name));
        responses.add(anonymous().body(principalJson(uniqueName("self"), "secretive-password", "CLIENT")).post("/v1/principals"));
        responses.add(as(admin).get("/v1/principals/admin"));

        for (Response response : responses) {
            assertThat(response.statusCode()).isBetween(200, 201);
            assertThat(response.asString()).doesNotContain("$2", "passwordHash", "password", "secretive-password");
            assertThat(response.jsonPath().getMap("$").keySet()).containsExactlyInAnyOrder("name", "roles");
        }
    }

    private static void assertCode(Response response, int status, String code) {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(status);
        assertThat(response.jsonPath().getString("code")).isEqualTo(code);
        assertThat(response.jsonPath().getString("message")).isNotBlank();
    }
}
