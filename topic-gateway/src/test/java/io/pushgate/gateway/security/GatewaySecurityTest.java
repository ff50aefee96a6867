package io.pushgate.gateway.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.protocol.CloseCodes;
import io.pushgate.testsupport.JsonWebSocket;
import io.pushgate.testsupport.SseClient;
import io.pushgate.testsupport.TestIssuer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tokens, roles and path permissions on every transport, with a real issuer and a real Redis. */
@QuarkusTest
@TestProfile(SecureProfile.class)
class GatewaySecurityTest extends SecureGatewayTestBase {

    private static final String ADMIN = admin();

    @BeforeEach
    void roles() {
        // Anonymous sessions read; signed-in CLIENTs also post in chat rooms and edit their own messages.
        role("ANONYMOUS", "{\"defaultPathPermissions\":[\"SELECT_TOPIC\",\"READ_TOPIC\"],\"pathPermissions\":{\"secret\":[]}}");
        role("CLIENT", "{\"defaultPathPermissions\":[\"SELECT_TOPIC\",\"READ_TOPIC\"],\"pathPermissions\":{\"secret\":[],"
                + "\"chat\":[\"SELECT_TOPIC\",\"READ_TOPIC\",\"UPDATE_TOPIC\",\"EDIT_OWN_TIME_SERIES_EVENTS\"]}}");
    }

    @Test
    void everyBadTokenIsRefusedWithUnauthenticatedAndNothingElseHappens() throws Exception {
        JwtClaims expired = SecureProfile.claims("eve");
        expired.setExpirationTime(NumericDate.fromMilliseconds(System.currentTimeMillis() - 120_000));
        JwtClaims otherIssuer = SecureProfile.claims("eve");
        otherIssuer.setIssuer("http://127.0.0.1:1/realms/other");
        Map<String, String> bad = Map.of(
                "no signature", unsigned(SecureProfile.claims("eve").toJson(), "RS256"),
                "alg none", unsigned(SecureProfile.claims("eve").toJson(), "none"),
                "untrusted key", TestIssuer.sign(SecureProfile.claims("eve"), TestIssuer.rsaKey("k1")),
                "expired", TestIssuer.sign(expired, SecureProfile.key),
                "wrong issuer", TestIssuer.sign(otherIssuer, SecureProfile.key),
                "HS256 with the public key", TestIssuer.sign(SecureProfile.claims("eve"), SecureProfile.key, AlgorithmIdentifiers.HMAC_SHA256,
                        jws -> jws.setKey(new org.jose4j.keys.HmacKey(SecureProfile.key.getPublicKey().getEncoded()))),
                "garbage", "not.a.token");
        HttpClient http = HttpClient.newHttpClient();
        for (Map.Entry<String, String> e : bad.entrySet()) {
            // WebSocket handshake: 401 before any session exists.
            HttpResponse<String> ws = http.send(HttpRequest.newBuilder(URI.create(base + "v1/ws"))
                    .header("Authorization", "Bearer " + e.getValue()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ws.statusCode()).as(e.getKey()).isEqualTo(401);
            assertThat(ws.body()).as(e.getKey()).contains("\"code\":\"UNAUTHENTICATED\"");
            // SSE and REST the same.
            HttpResponse<String> sse = http.send(HttpRequest.newBuilder(URI.create(base + "v1/sse?selector=a&access_token=" + e.getValue()))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(sse.statusCode()).as(e.getKey()).isEqualTo(401);
            given().header("Authorization", "Bearer " + e.getValue()).when().get("/v1/topics")
                    .then().statusCode(401).body("code", equalTo("UNAUTHENTICATED"));
            // The auth op: an error, and the session stays what it was.
            JsonWebSocket anonymous = connect();
            JsonNode reply = anonymous.call(op("auth", "token", e.getValue()));
            assertThat(reply.path("code").asText()).as(e.getKey()).isEqualTo("UNAUTHENTICATED");
            assertThat(anonymous.call(op("ping")).path("type").asText()).isEqualTo("pong");
            assertThat(anonymous.call(op("set", "topic", "chat/x", "value", 1)).path("code").asText()).isEqualTo("PERMISSION_DENIED");
        }
    }

    @Test
    void aTopicNeverLeaksToASessionThatMayNotSelectIt() throws Exception {
        String secret = "secret/" + unique("plan");
        String open = unique("open") + "/news";
        try (JsonWebSocket admin = as(ADMIN)) {
            admin.call(op("set", "topic", secret, "value", "launch codes", "spec", Map.of("type", "STRING")));
            admin.call(op("set", "topic", open, "value", "hello", "spec", Map.of("type", "STRING")));
        }
        for (JsonWebSocket session : List.of(connect(), as(SecureProfile.token("alice", "CLIENT")))) {
            session.call(op("subscribe", "selector", "*.*"));
            session.call(op("subscribe", "selector", ">" + secret));
            JsonNode fetch = session.call(op("fetch", "selector", "*.*"));
            List<String> fetched = new ArrayList<>();
            fetch.path("results").forEach(r -> fetched.add(r.path("topic").asText()));
            assertThat(fetched).contains(open).noneMatch(t -> t.startsWith("secret/"));
            assertThat(session.call(op("set", "topic", secret, "value", "x")).path("code").asText()).isEqualTo("PERMISSION_DENIED");
            assertThat(session.call(op("range", "topic", secret, "fromLast", 1)).path("code").asText()).isEqualTo("NOT_FOUND");
            session.call(op("ping"));
            assertThat(session.drain()).noneMatch(m -> m.toString().contains("secret/"));
            session.close();
        }
        given().when().get("/v1/topics/" + secret).then().statusCode(404);
        given().queryParam("selector", "?secret//").when().get("/v1/topics").then().statusCode(200).body("results.size()", equalTo(0));
        try (SseClient sse = SseClient.connect(base + "v1/sse?selector=" + java.net.URLEncoder.encode("?secret//", "UTF-8") + "&selector=" + open)) {
            assertThat(sse.awaitEvent("subscription").data().path("topic").asText()).isEqualTo(open);
            assertThat(sse.awaitEvent("value").data().toString()).doesNotContain("launch");
        }
    }

    @Test
    void theChatScenario() {
        String room = "chat/" + unique("room");
        // A TOPIC_CONTROL service creates the room; anonymous and CLIENT sessions may not.
        try (JsonWebSocket service = as(SecureProfile.token("backend", "TOPIC_CONTROL"))) {
            assertThat(connect().call(op("add", "topic", room, "spec", Map.of("type", "TIME_SERIES", "eventType", "STRING")))
                    .path("code").asText()).isEqualTo("PERMISSION_DENIED");
            assertThat(service.call(op("add", "topic", room, "spec", Map.of("type", "TIME_SERIES", "eventType", "STRING")))
                    .path("result").asText()).isEqualTo("CREATED");
        }
        JsonWebSocket anonymous = connect();
        anonymous.call(op("subscribe", "selector", room));
        assertThat(anonymous.awaitType("subscription").path("topic").asText()).isEqualTo(room);
        assertThat(anonymous.call(op("append", "topic", room, "value", "hi")).path("code").asText()).isEqualTo("PERMISSION_DENIED");

        JsonWebSocket alice = as(SecureProfile.token("alice", "CLIENT"));
        JsonNode posted = alice.call(op("append", "topic", room, "value", "hello from alice"));
        assertThat(posted.path("type").asText()).isEqualTo("ok");
        JsonNode seen = anonymous.awaitType("event");
        assertThat(seen.path("event").path("author").asText()).isEqualTo("alice");
        // Alice edits her own message, not bob's.
        JsonWebSocket bob = as(SecureProfile.token("bob", "CLIENT"));
        long bobs = bob.call(op("append", "topic", room, "value", "bob here")).path("seq").asLong();
        assertThat(alice.call(op("edit", "topic", room, "seq", posted.path("seq").asLong(), "value", "hello (edited)")).path("type").asText()).isEqualTo("ok");
        assertThat(alice.call(op("edit", "topic", room, "seq", bobs, "value", "bob was here")).path("code").asText()).isEqualTo("PERMISSION_DENIED");

        // An ADMINISTRATOR takes posting away from CLIENT: open sessions feel it at once.
        role("CLIENT", "{\"defaultPathPermissions\":[\"SELECT_TOPIC\",\"READ_TOPIC\"],\"pathPermissions\":{\"secret\":[]}}");
        assertThat(alice.call(op("append", "topic", room, "value", "still here?")).path("code").asText()).isEqualTo("PERMISSION_DENIED");
        // And reading: the open subscription ends with PERMISSION_DENIED.
        alice.call(op("subscribe", "selector", room));
        alice.awaitType("subscription");
        role("CLIENT", "{\"defaultPathPermissions\":[\"SELECT_TOPIC\",\"READ_TOPIC\"],\"pathPermissions\":{\"secret\":[],\"chat\":[]}}");
        assertThat(alice.awaitType("unsubscribed").path("reason").asText()).isEqualTo("PERMISSION_DENIED");
    }

    @Test
    void aPrincipalOverrideTakesOneUsersRightToPostInOneRoom() {
        String room = "chat/" + unique("muted");
        try (JsonWebSocket admin = as(ADMIN)) {
            admin.call(op("add", "topic", room, "spec", Map.of("type", "TIME_SERIES", "eventType", "STRING")));
        }
        JsonWebSocket mallory = as(SecureProfile.token("mallory", "CLIENT"));
        assertThat(mallory.call(op("append", "topic", room, "value", "spam")).path("type").asText()).isEqualTo("ok");
        given().header("Authorization", "Bearer " + ADMIN).contentType("application/json")
                .body("{\"pathPermissions\":{\"" + room + "\":[\"SELECT_TOPIC\",\"READ_TOPIC\"]}}")
                .when().put("/v1/security/principals/mallory").then().statusCode(200);
        given().header("Authorization", "Bearer " + ADMIN).when().get("/v1/security/principals/mallory").then().statusCode(200)
                .body("pathPermissions.size()", equalTo(1));
        assertThat(mallory.call(op("append", "topic", room, "value", "more spam")).path("code").asText()).isEqualTo("PERMISSION_DENIED");
        JsonWebSocket alice = as(SecureProfile.token("alice", "CLIENT"));
        assertThat(alice.call(op("append", "topic", room, "value", "fine")).path("type").asText()).isEqualTo("ok");
    }

    @Test
    void anExpiredTokenEndsTheSessionUnlessAFreshOneCameInTime() throws Exception {
        JsonWebSocket lapsing = as(SecureProfile.token("carol", 2, "CLIENT"));
        JsonWebSocket renewed = as(SecureProfile.token("dave", 2, "CLIENT"));
        assertThat(renewed.call(op("auth", "token", SecureProfile.token("dave", 300, "CLIENT"))).path("principal").asText()).isEqualTo("dave");
        int[] code = lapsing.closed().get(10, TimeUnit.SECONDS);
        assertThat(code[0]).isEqualTo(CloseCodes.UNAUTHENTICATED);
        assertThat(renewed.call(op("ping")).path("type").asText()).isEqualTo("pong");
    }

    @Test
    void securityEndpointsNeedTheirPermissions() {
        given().when().get("/v1/security/roles/CLIENT").then().statusCode(401).body("code", equalTo("UNAUTHENTICATED"));
        given().header("Authorization", "Bearer " + SecureProfile.token("alice", "CLIENT")).when().get("/v1/security/roles/CLIENT")
                .then().statusCode(403).body("code", equalTo("PERMISSION_DENIED"));
        given().header("Authorization", "Bearer " + ADMIN).when().get("/v1/security/roles/ADMINISTRATOR")
                .then().statusCode(200).body("name", equalTo("ADMINISTRATOR"));
        given().header("Authorization", "Bearer " + ADMIN).contentType("application/json").body("{\"globalPermissions\":[\"FLY\"]}")
                .when().put("/v1/security/roles/BAD").then().statusCode(400).body("code", equalTo("INVALID"));
        given().contentType("text/plain").body("map ?a/ to b/<path(1)>").when().put("/v1/views/anon")
                .then().statusCode(403).body("code", equalTo("PERMISSION_DENIED"));
    }

    private static String unsigned(String payload, String alg) {
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString(("{\"alg\":\"" + alg + "\",\"kid\":\"k1\"}").getBytes()) + "." + b64.encodeToString(payload.getBytes()) + ".";
    }
}
