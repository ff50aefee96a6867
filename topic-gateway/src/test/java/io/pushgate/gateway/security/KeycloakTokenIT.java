package io.pushgate.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import io.pushgate.gateway.security.jwt.TokenVerifier;
import io.pushgate.gateway.security.jwt.VerifiedToken;
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
        String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        return Json.parse(payload).path(name).asText();
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
     * next token reads nothing. (A token issued before the change keeps its roles until it
     * expires: tokens are verified offline. See docs/security-model.md.)
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
}
