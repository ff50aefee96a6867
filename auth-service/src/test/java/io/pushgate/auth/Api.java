package io.pushgate.auth;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;

/**
 * What the tests say to the service, in one place. Every login comes from a fresh
 * {@code X-Forwarded-For} address (the test profile trusts it), so that the per-address limit
 * of one test never blocks another.
 */
public final class Api {

    public static final String ADMIN_PASSWORD = "admin-test-password";
    /** RestAssured would encode form fields in ISO-8859-1 otherwise. */
    public static final String FORM_UTF8 = "application/x-www-form-urlencoded; charset=UTF-8";

    private Api() {
    }

    /** A random address in 10/8: the address the service sees for a request that sends it. */
    public static String freshAddress() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(1, 255);
    }

    public static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static Response passwordGrant(String username, String password, String address) {
        return given().contentType(FORM_UTF8).header("X-Forwarded-For", address)
                .formParam("grant_type", "password")
                .formParam("username", username)
                .formParam("password", password)
                .post("/v1/token");
    }

    public static Response clientGrant(String clientId, String secret, String address) {
        return given().contentType(FORM_UTF8).header("X-Forwarded-For", address)
                .formParam("grant_type", "client_credentials")
                .formParam("client_id", clientId)
                .formParam("client_secret", secret)
                .post("/v1/token");
    }

    /** A token for a principal that exists with this password. */
    public static String token(String username, String password) {
        Response response = passwordGrant(username, password, freshAddress());
        if (response.statusCode() != 200) {
            throw new AssertionError("login of " + username + " failed: " + response.asString());
        }
        return response.jsonPath().getString("access_token");
    }

    public static String adminToken() {
        return token("admin", ADMIN_PASSWORD);
    }

    public static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
    }

    public static RequestSpecification anonymous() {
        return given().contentType(ContentType.JSON);
    }

    public static String principalJson(String name, String password, String... roles) {
        StringBuilder json = new StringBuilder("{\"name\":\"" + name + "\",\"password\":\"" + password + "\",\"roles\":[");
        for (int i = 0; i < roles.length; i++) {
            json.append(i == 0 ? "" : ",").append('"').append(roles[i]).append('"');
        }
        return json.append("]}").toString();
    }

    /** Creates a principal as admin and returns its name. */
    public static String createPrincipal(String prefix, String password, String... roles) {
        String name = uniqueName(prefix);
        as(adminToken()).body(principalJson(name, password, roles)).post("/v1/principals").then().statusCode(201);
        return name;
    }

    /** The claims of a token, read without verification (the tests that verify do it themselves). */
    public static JwtClaims unverifiedClaims(String jwt) {
        try {
            return new JwtConsumerBuilder().setSkipAllValidators().setDisableRequireSignature()
                    .setSkipSignatureVerification().build().processToClaims(jwt);
        } catch (InvalidJwtException e) {
            throw new AssertionError("not a JWT: " + jwt, e);
        }
    }
}
