package io.pushgate.gateway.security;

import io.pushgate.protocol.GlobalPermission;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import io.pushgate.jwt.TokenVerifier;
import io.pushgate.jwt.VerifiedToken;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.ProtocolException;
import io.pushgate.testsupport.KeycloakServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real Keycloak (the Maven Central distribution, no Docker) with the realm of
 * {@code deploy/keycloak/pushgate-realm.json}: its tokens pass {@link TokenVerifier}, and the realm
 * roles they carry decide what {@link SecurityModel} grants. Skipped with {@code -DskipKeycloak}.
 */
class KeycloakTokenIT {

    private static final String REALM = "pushgate";
    private static final String CLIENT_ID = "pushgate-web";
    /** The confidential client the gateway introspects with; its secret is the realm export's demo value. */
    private static final String GATEWAY_CLIENT_ID = "pushgate-gateway";
    private static final String GATEWAY_CLIENT_SECRET = "pushgate-gateway-demo-secret";

    private static KeycloakServer keycloak;
    private static List<Long> pids;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startKeycloak() {
        Optional<Path> zip = KeycloakServer.findDistribution();
        if (KeycloakServer.distributionConfigured()) {
            assertThat(zip).as("the Keycloak distribution named by -D" + KeycloakServer.DISTRIBUTION_PROPERTY).isPresent();
        }
        Assumptions.assumeTrue(zip.isPresent(), "no Keycloak distribution (built with -DskipKeycloak?)");
        keycloak = KeycloakServer.builder(zip.get())
                .realm(KeycloakServer.findUpwards("deploy/keycloak/pushgate-realm.json"))
                .build()
                .start();
        pids = keycloak.pids();
        System.out.printf("Keycloak %s ready on port %d in %d ms (pids %s)%n", KeycloakServer.VERSION, keycloak.port(),
                keycloak.startupTime().toMillis(), pids);
    }

    @AfterAll
    static void stopKeycloak() {
        if (keycloak != null) {
            long t0 = System.nanoTime();
            keycloak.stop();
            System.out.printf("Keycloak stopped in %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            for (long pid : pids) {
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("process %d", pid).isNotEqualTo(Optional.of(true));
            }
        }
    }

    private static TokenVerifier verifier() {
        return TokenVerifier.builder(HTTP).issuer(keycloak.issuer(REALM)).build();
    }

    private static VerifiedToken verify(TokenVerifier verifier, String token) throws Exception {
        return verifier.verify(token).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static String claim(String token, String name) {
        return payload(token).path(name).asText();
    }

    private static JsonNode payload(String token) {
        return Json.parse(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
    }

    @Test
    void aliceReadsWithHerRealmRoleAndNoLongerOnceItIsRemoved() throws Exception {
        TokenVerifier verifier = verifier();
        SecurityModel model = SecurityModel.builtIn();

        String token = keycloak.passwordGrant(REALM, CLIENT_ID, "alice", "alice-password");
        assertThat(claim(token, "iss")).isEqualTo("http://127.0.0.1:" + keycloak.port() + "/realms/pushgate");
        VerifiedToken verified = verify(verifier, token);
        assertThat(verified.principal()).isEqualTo("alice");
        assertThat(verified.subject()).isNotEqualTo("alice"); // Keycloak's sub is the user's id
        assertThat(verified.roles()).contains("CLIENT").doesNotContain("TOPIC_CONTROL");
        assertThat(verified.issuer()).isEqualTo(keycloak.issuer(REALM));

        Access access = model.accessFor(verified.principal(), verified.roles());
        assertThat(access.canSelect("prices/btc")).isTrue();
        assertThat(access.canRead("prices/btc")).isTrue();
        assertThat(access.canUpdate("prices/btc")).isFalse();
        assertThat(access.canModify("prices/btc")).isFalse();

        keycloak.removeRealmRole(REALM, "alice", "CLIENT");
        try {
            assertThat(keycloak.realmRoles(REALM, "alice")).doesNotContain("CLIENT");
            String fresh = keycloak.passwordGrant(REALM, CLIENT_ID, "alice", "alice-password");
            VerifiedToken after = verify(verifier, fresh);
            assertThat(after.principal()).isEqualTo("alice");
            assertThat(after.roles()).doesNotContain("CLIENT");
            Access reduced = model.accessFor(after.principal(), after.roles());
            assertThat(reduced.canRead("prices/btc")).isFalse();
            assertThat(reduced.canSelect("prices/btc")).isFalse();

            // a JWT is verified offline: the token issued before the change still carries CLIENT until it expires
            assertThat(verify(verifier, token).roles()).contains("CLIENT");
        } finally {
            keycloak.addRealmRole(REALM, "alice", "CLIENT");
        }
    }

    /**
     * What Keycloak itself does (the experiment behind token introspection in the gateway): the
     * introspection endpoint runs the realm's protocol mappers again when asked, so a realm role
     * removed after a token was issued is gone from {@code realm_access} in the answer about that
     * same token, which stays {@code active}; the token's own claims of course still carry it. Ending
     * the user's sessions makes the token inactive.
     */
    @Test
    void keycloaksIntrospectionAnswersWithTheRolesOfNowForATokenIssuedBefore() throws Exception {
        String token = keycloak.passwordGrant(REALM, CLIENT_ID, "alice", "alice-password");
        JsonNode before = keycloak.introspect(REALM, GATEWAY_CLIENT_ID, GATEWAY_CLIENT_SECRET, token);
        assertThat(before.path("active").asBoolean()).isTrue();
        assertThat(before.path("username").asText()).isEqualTo("alice");
        assertThat(before.path("realm_access").path("roles").toString()).contains("\"CLIENT\"");

        keycloak.removeRealmRole(REALM, "alice", "CLIENT");
        try {
            JsonNode after = keycloak.introspect(REALM, GATEWAY_CLIENT_ID, GATEWAY_CLIENT_SECRET, token);
            System.out.printf("introspection after the role was removed: %s%n", after);
            assertThat(after.path("active").asBoolean()).as("a role change does not revoke the token").isTrue();
            assertThat(after.path("realm_access").path("roles").toString()).doesNotContain("\"CLIENT\"");
            assertThat(payload(token).path("realm_access").toString()).as("the token itself is unchanged").contains("\"CLIENT\"");
            assertThat(verify(verifier(), token).roles()).as("so offline verification still sees the role").contains("CLIENT");
        } finally {
            keycloak.addRealmRole(REALM, "alice", "CLIENT");
        }
        assertThat(keycloak.introspect(REALM, GATEWAY_CLIENT_ID, GATEWAY_CLIENT_SECRET, token).path("realm_access").path("roles").toString())
                .as("and given back, it is back").contains("\"CLIENT\"");

        keycloak.logout(REALM, "alice");
        assertThat(keycloak.introspect(REALM, GATEWAY_CLIENT_ID, GATEWAY_CLIENT_SECRET, token).path("active").asBoolean())
                .as("once her sessions are ended").isFalse();
        assertThat(keycloak.introspect(REALM, GATEWAY_CLIENT_ID, GATEWAY_CLIENT_SECRET, "not.a.token").path("active").asBoolean()).isFalse();
    }

    @Test
    void eachDemoUsersRealmRolesDecide() throws Exception {
        TokenVerifier verifier = verifier();
        SecurityModel model = SecurityModel.builtIn();

        VerifiedToken carol = verify(verifier, keycloak.passwordGrant(REALM, CLIENT_ID, "carol", "carol-password"));
        Access control = model.accessFor(carol.principal(), carol.roles());
        assertThat(carol.principal()).isEqualTo("carol");
        assertThat(control.canUpdate("prices/btc")).isTrue();
        assertThat(control.canModify("chat/rooms/new")).isTrue();
        assertThat(control.hasGlobal(GlobalPermission.MODIFY_SECURITY)).isFalse();

        VerifiedToken admin = verify(verifier, keycloak.passwordGrant(REALM, CLIENT_ID, "admin-user", "admin-user-password"));
        Access administrator = model.accessFor(admin.principal(), admin.roles());
        assertThat(administrator.hasGlobal(GlobalPermission.MODIFY_SECURITY)).isTrue();
        assertThat(administrator.canEditTimeSeries("chat/history")).isTrue();
    }

    @Test
    void theIssuerFollowsTheHostKeycloakIsCalledBy() throws Exception {
        String viaLocalhost = keycloak.passwordGrant("http://localhost:" + keycloak.port(), REALM, CLIENT_ID, "bob", "bob-password");
        assertThat(claim(viaLocalhost, "iss")).isEqualTo("http://localhost:" + keycloak.port() + "/realms/pushgate");
        try {
            verify(verifier(), viaLocalhost);
            throw new AssertionError("a token of http://localhost:... passed a verifier trusting http://127.0.0.1:...");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOfSatisfying(ProtocolException.class, p -> {
                assertThat(p.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
                assertThat(p.getMessage()).contains("is not trusted");
            });
        }
    }

    @Test
    void keycloaksOtherTokensAreNotAccessTokens() throws Exception {
        // Keycloak signs refresh tokens with HS512 and ID tokens carry typ ID: neither is accepted
        String form = "grant_type=password&client_id=" + CLIENT_ID + "&username=bob&password=bob-password&scope=openid";
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(keycloak.tokenEndpoint(REALM)))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = Json.parse(response.body());
        TokenVerifier verifier = verifier();
        assertThat(verify(verifier, body.path("access_token").asText()).principal()).isEqualTo("bob");
        for (String other : List.of("id_token", "refresh_token")) {
            try {
                verify(verifier, body.path(other).asText());
                throw new AssertionError(other + " accepted as an access token");
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(ProtocolException.class);
                System.out.printf("%s refused: %s%n", other, e.getCause().getMessage());
            }
        }
    }

    /**
     * The same, end to end: a gateway process trusting the realm accepts Alice's Keycloak token
     * on a WebSocket, lets her read and refuses her updates; once her realm role is removed, her
     * next token reads nothing. (Without token introspection, the default, a token issued before the
     * change keeps its roles until it expires: it is verified offline. With it, see
     * {@link #theGatewayRefusesTheSameTokenOnceTheRealmRoleIsRemovedInKeycloak}.)
     */
    @Test
    void theGatewayTakesKeycloakTokensWithTheirRealmRoles() throws Exception {
        try (io.pushgate.testsupport.RedisServer redis = new io.pushgate.testsupport.RedisServer().start();
             io.pushgate.testsupport.ServiceProcess gateway = new io.pushgate.testsupport.ServiceProcess("kc-gateway",
                     io.pushgate.testsupport.ServiceProcess.jarOf("topic-gateway"), io.pushgate.testsupport.RedisServer.freePort(),
                     java.util.Map.of("quarkus.redis.hosts", redis.uri(),
                             "gateway.security.issuers", keycloak.issuer(REALM),
                             // the anonymous writer of this test publishes the price
                             "gateway.security.anonymous-roles", "TOPIC_CONTROL")).start()) {
            String ws = gateway.wsUrl() + "/v1/ws";
            try (io.pushgate.testsupport.JsonWebSocket publisher = io.pushgate.testsupport.JsonWebSocket.connect(ws)) {
                assertThat(publisher.call(java.util.Map.of("op", "set", "topic", "prices/btc", "value", 43000,
                        "spec", java.util.Map.of("type", "DOUBLE"))).path("type").asText()).isEqualTo("ok");
            }
            String token = keycloak.passwordGrant(REALM, CLIENT_ID, "bob", "bob-password");
            try (io.pushgate.testsupport.JsonWebSocket bob = io.pushgate.testsupport.JsonWebSocket.connect(ws,
                    java.util.Map.of("Authorization", "Bearer " + token))) {
                bob.call(java.util.Map.of("op", "subscribe", "selector", "prices/btc"));
                assertThat(bob.awaitType("value").path("value").asDouble()).isEqualTo(43000);
                assertThat(bob.call(java.util.Map.of("op", "set", "topic", "prices/btc", "value", 1)).path("code").asText())
                        .isEqualTo("PERMISSION_DENIED");
            }
            keycloak.removeRealmRole(REALM, "bob", "CLIENT");
            try {
                String fresh = keycloak.passwordGrant(REALM, CLIENT_ID, "bob", "bob-password");
                try (io.pushgate.testsupport.JsonWebSocket bob = io.pushgate.testsupport.JsonWebSocket.connect(ws,
                        java.util.Map.of("Authorization", "Bearer " + fresh))) {
                    assertThat(bob.call(java.util.Map.of("op", "fetch", "selector", "prices/btc")).path("results")).isEmpty();
                }
            } finally {
                keycloak.addRealmRole(REALM, "bob", "CLIENT");
            }
            HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(URI.create(gateway.httpUrl() + "/v1/topics"))
                    .header("Authorization", "Bearer " + token.substring(0, token.length() - 4) + "AAAA").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(401);
        }
    }

    /**
     * Issue 4, end to end: a gateway process with token introspection on for the realm (its client
     * secret from the environment) accepts Alice's token with her realm role, lets her read and
     * refuses her updates. Then her realm role is removed through Keycloak's admin API, and the SAME
     * token, still unexpired, is refused the read: over REST, on a new WebSocket and through
     * {@code auth}, while her already-open WebSocket loses its subscription (PERMISSION_DENIED).
     * Then her sessions are ended in Keycloak and the same token is refused outright (401,
     * UNAUTHENTICATED) and the open WebSocket is closed with 4100, as for an expired token.
     */
    @Test
    void theGatewayRefusesTheSameTokenOnceTheRealmRoleIsRemovedInKeycloak() throws Exception {
        try (io.pushgate.testsupport.RedisServer redis = new io.pushgate.testsupport.RedisServer().start();
             io.pushgate.testsupport.ServiceProcess gateway = new io.pushgate.testsupport.ServiceProcess("kc-introspecting-gateway",
                     io.pushgate.testsupport.ServiceProcess.jarOf("topic-gateway"), io.pushgate.testsupport.RedisServer.freePort(),
                     java.util.Map.of("quarkus.redis.hosts", redis.uri(),
                             "gateway.security.issuers", keycloak.issuer(REALM),
                             "gateway.security.anonymous-roles", "TOPIC_CONTROL",
                             "gateway.security.introspection.keycloak.issuer", keycloak.issuer(REALM),
                             "gateway.security.introspection.keycloak.url", keycloak.introspectionEndpoint(REALM),
                             "gateway.security.introspection.keycloak.client-id", GATEWAY_CLIENT_ID,
                             "gateway.security.introspection.keycloak.cache-ttl", "1s",
                             "gateway.security.introspection.keycloak.recheck-interval", "1s"))
                     .environment(java.util.Map.of("GATEWAY_SECURITY_INTROSPECTION_KEYCLOAK_CLIENT_SECRET", GATEWAY_CLIENT_SECRET))
                     .start()) {
            assertThat(java.nio.file.Files.readString(gateway.log())).contains("are introspected").doesNotContain(GATEWAY_CLIENT_SECRET);
            String ws = gateway.wsUrl() + "/v1/ws";
            String topicUrl = gateway.httpUrl() + "/v1/topics/prices/btc";
            try (io.pushgate.testsupport.JsonWebSocket publisher = io.pushgate.testsupport.JsonWebSocket.connect(ws)) {
                assertThat(publisher.call(java.util.Map.of("op", "set", "topic", "prices/btc", "value", 43000,
                        "spec", java.util.Map.of("type", "DOUBLE"))).path("type").asText()).isEqualTo("ok");
            }
            String token = keycloak.passwordGrant(REALM, CLIENT_ID, "alice", "alice-password");
            assertThat(get(topicUrl, token).statusCode()).isEqualTo(200);
            assertThat(put(topicUrl, token, "1").statusCode()).isEqualTo(403);

            io.pushgate.testsupport.JsonWebSocket open = io.pushgate.testsupport.JsonWebSocket.connect(ws,
                    java.util.Map.of("Authorization", "Bearer " + token));
            try {
                open.call(java.util.Map.of("op", "subscribe", "selector", "prices/btc"));
                assertThat(open.awaitType("value").path("value").asDouble()).isEqualTo(43000);
                assertThat(open.call(java.util.Map.of("op", "set", "topic", "prices/btc", "value", 1)).path("code").asText())
                        .isEqualTo("PERMISSION_DENIED");

                keycloak.removeRealmRole(REALM, "alice", "CLIENT");
                try {
                    // the open session learns of it at its next re-check (1 s, answers cached 1 s)
                    JsonNode unsubscribed = open.await(m -> "unsubscribed".equals(m.path("type").asText()), Duration.ofSeconds(30));
                    assertThat(unsubscribed.path("topic").asText()).isEqualTo("prices/btc");
                    assertThat(unsubscribed.path("reason").asText()).isEqualTo("PERMISSION_DENIED");
                    assertThat(open.call(java.util.Map.of("op", "fetch", "selector", "prices/btc")).path("results")).isEmpty();

                    // the same token over REST: the topic is out of its reach (404, as for any topic it may not select)
                    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                            .until(() -> get(topicUrl, token).statusCode() == 404);
                    assertThat(Json.parse(get(topicUrl, token).body()).path("code").asText()).isEqualTo("NOT_FOUND");
                    assertThat(Json.parse(get(gateway.httpUrl() + "/v1/topics?selector=prices/btc", token).body()).path("results")).isEmpty();
                    assertThat(put(topicUrl, token, "1").statusCode()).isEqualTo(403);

                    // on a new WebSocket, with the token in the upgrade and through "auth"
                    try (io.pushgate.testsupport.JsonWebSocket again = io.pushgate.testsupport.JsonWebSocket.connect(ws,
                            java.util.Map.of("Authorization", "Bearer " + token))) {
                        again.call(java.util.Map.of("op", "subscribe", "selector", "prices/btc"));
                        assertThat(again.call(java.util.Map.of("op", "fetch", "selector", "prices/btc")).path("results")).isEmpty();
                        assertThat(again.drain()).noneMatch(m -> "value".equals(m.path("type").asText()));
                    }
                    try (io.pushgate.testsupport.JsonWebSocket viaAuth = io.pushgate.testsupport.JsonWebSocket.connect(ws)) {
                        JsonNode ok = viaAuth.call(java.util.Map.of("op", "auth", "token", token));
                        assertThat(ok.path("type").asText()).isEqualTo("ok");
                        assertThat(ok.path("principal").asText()).isEqualTo("alice");
                        assertThat(ok.path("roles").toString()).doesNotContain("CLIENT");
                        assertThat(viaAuth.call(java.util.Map.of("op", "fetch", "selector", "prices/btc")).path("results")).isEmpty();
                    }

                    // her sessions ended in Keycloak: the token itself is refused, the open session closed
                    keycloak.logout(REALM, "alice");
                    int[] closed = open.closed().get(30, TimeUnit.SECONDS);
                    assertThat(closed[0]).isEqualTo(io.pushgate.protocol.CloseCodes.UNAUTHENTICATED);
                    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                            .until(() -> get(topicUrl, token).statusCode() == 401);
                    assertThat(Json.parse(get(topicUrl, token).body()).path("code").asText()).isEqualTo("UNAUTHENTICATED");
                    assertThat(get(ws.replaceFirst("^ws", "http"), token).statusCode()).as("the WebSocket upgrade").isEqualTo(401);
                    try (io.pushgate.testsupport.JsonWebSocket viaAuth = io.pushgate.testsupport.JsonWebSocket.connect(ws)) {
                        assertThat(viaAuth.call(java.util.Map.of("op", "auth", "token", token)).path("code").asText())
                                .isEqualTo("UNAUTHENTICATED");
                    }
                } finally {
                    keycloak.addRealmRole(REALM, "alice", "CLIENT");
                }
            } finally {
                open.close();
            }
            // a fresh token, with the role given back, reads again
            String fresh = keycloak.passwordGrant(REALM, CLIENT_ID, "alice", "alice-password");
            assertThat(get(topicUrl, fresh).statusCode()).isEqualTo(200);
        }
    }

    private static HttpResponse<String> get(String url, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> put(String url, String token, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
