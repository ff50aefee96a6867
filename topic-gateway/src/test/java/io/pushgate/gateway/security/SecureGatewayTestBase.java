package io.pushgate.gateway.security;

import static io.restassured.RestAssured.given;

import io.pushgate.gateway.transport.GatewayTestBase;
import io.pushgate.testsupport.JsonWebSocket;
import java.util.Map;

/**
 * Shared plumbing of the tests that run the gateway with {@link SecureProfile}: tokens of the
 * profile's issuer, WebSocket sessions holding them, and roles defined through the REST API.
 */
abstract class SecureGatewayTestBase extends GatewayTestBase {

    /** A fresh token of an ADMINISTRATOR (fresh, so that a long test never holds an expired one). */
    static String admin() {
        return SecureProfile.token("root", "ADMINISTRATOR");
    }

    /** A WebSocket session authenticated with the token (header {@code Authorization: Bearer}). */
    JsonWebSocket as(String token) {
        return connectWith(Map.of("Authorization", "Bearer " + token));
    }

    /** Creates or replaces a role, as an ADMINISTRATOR, through {@code PUT /v1/security/roles/{role}}. */
    static String role(String name, String json) {
        return given().header("Authorization", "Bearer " + admin()).contentType("application/json").body(json)
                .when().put("/v1/security/roles/" + name).then().statusCode(200).extract().asString();
    }
}
