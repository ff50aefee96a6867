package io.pushgate.auth;

import static io.pushgate.auth.Api.adminToken;
import static io.pushgate.auth.Api.as;
import static io.pushgate.auth.Api.createPrincipal;
import static io.pushgate.auth.Api.freshAddress;
import static io.pushgate.auth.Api.passwordGrant;
import static io.pushgate.auth.Api.token;
import static io.pushgate.auth.Api.uniqueName;
import static io.pushgate.auth.Api.unverifiedClaims;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pushgate.auth.keys.RedisKeyStore;
import io.pushgate.auth.keys.SigningKey;
import io.pushgate.auth.tokens.IssuedToken;
import io.pushgate.testsupport.RedisCluster;
import io.pushgate.testsupport.RedisClusterTestResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The auth-service unchanged on a real Redis Cluster (six redis-server processes, three masters
 * with a replica each), configured only with Quarkus' standard settings
 * ({@code quarkus.redis.client-type=cluster}, {@code quarkus.redis.hosts} listing the nodes):
 * sign-ins, clients, principals and their roles, token exchange, the signing key and the JWKS,
 * both failed-login limits, and a master killed under it. Principals and failure counters are
 * one key each, spread over the masters by their names; the test checks that they are.
 *
 * <p>The test profile's limits hold: 3 failures per name, 6 per address.
 */
@QuarkusTest
@WithTestResource(value = RedisClusterTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuthServiceOnClusterTest {

    private static final Logger LOG = Logger.getLogger(AuthServiceOnClusterTest.class);
    private static final int PER_PRINCIPAL = 3;
    private static final int PER_ADDRESS = 6;
    private static final String PRINCIPAL_PREFIX = "auth:principal:";

    @Inject
    RedisDataSource redis;

    @Inject
    ObjectMapper json;

    @Test
    @Order(1)
    void theServiceIsOnTheClusterAndReady() throws Exception {
        assertThat(ConfigProvider.getConfig().getValue("quarkus.redis.client-type", String.class)).isEqualTo("cluster");
        assertThat(ConfigProvider.getConfig().getValue("quarkus.redis.hosts", String.class).split(",")).hasSize(6);
        assertThat(cluster().masters()).hasSize(3);

        given().get("/q/health/ready").then().statusCode(200);
        // the demo principals were created at start, through the cluster
        assertThat(unverifiedClaims(token("alice", "alice-password")).getSubject()).isEqualTo("alice");
    }

    @Test
    @Order(2)
    void principalsSpreadOverTheMastersAndLiveTheirWholeLifeThere() throws Exception {
        Map<String, String> ownerOf = new LinkedHashMap<>();
        for (int i = 0; i < 12; i++) {
            String name = createPrincipal("spread", "spread-password", i % 2 == 0 ? "CLIENT" : "TOPIC_CONTROL");
            ownerOf.put(name, ClusterKeys.ownerOf(cluster(), PRINCIPAL_PREFIX + name));
        }
        // one key per principal, in the slot of its name: twelve names fall on more than one master
        assertThat(Set.copyOf(ownerOf.values())).as("masters holding the principals %s", ownerOf).hasSizeGreaterThan(1);
        assertThat(cluster().keysPerMaster().stream().filter(n -> n > 0).count()).isGreaterThan(1);

        // two principals on two different masters, each through sign-in, roles, renewal and deletion
        List<String> names = new ArrayList<>(ownerOf.keySet());
        String first = names.get(0);
        String second = names.stream().filter(n -> !ownerOf.get(n).equals(ownerOf.get(first))).findFirst().orElseThrow();
        for (String name : List.of(first, second)) {
            String admin = adminToken();
            String signIn = token(name, "spread-password");
            List<String> roles = unverifiedClaims(signIn).getStringListClaimValue("roles");
            assertThat(as(admin).get("/v1/principals/" + name).jsonPath().getList("roles", String.class)).isEqualTo(roles);

            Response changed = as(admin).body("{\"roles\":[\"CLIENT\",\"SECURITY_MANAGER\"]}").put("/v1/principals/" + name + "/roles");
            assertThat(changed.statusCode()).isEqualTo(200);
            assertThat(as(admin).get("/v1/principals/" + name).jsonPath().getList("roles", String.class))
                    .containsExactly("CLIENT", "SECURITY_MANAGER");

            // token exchange: the same session with the current roles
            Response renewed = exchange(signIn);
            assertThat(renewed.statusCode()).isEqualTo(200);
            JwtClaims renewedClaims = unverifiedClaims(renewed.jsonPath().getString("access_token"));
            assertThat(renewedClaims.getSubject()).isEqualTo(name);
            assertThat(renewedClaims.getStringListClaimValue("roles")).containsExactly("CLIENT", "SECURITY_MANAGER");
            assertThat(renewedClaims.getClaimValue("auth_time", Long.class))
                    .isEqualTo(unverifiedClaims(signIn).getClaimValue("auth_time", Long.class));

            as(admin).delete("/v1/principals/" + name).then().statusCode(204);
            as(admin).get("/v1/principals/" + name).then().statusCode(404);
            assertThat(ClusterKeys.holders(cluster(), PRINCIPAL_PREFIX + name)).isEmpty();
            assertThat(passwordGrant(name, "spread-password", freshAddress()).statusCode()).isEqualTo(401);
            Response refused = exchange(signIn);
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.jsonPath().getString("message")).contains("no longer exists");
        }

        // a name is taken once, whichever master holds it (SET NX in its slot)
        String taken = names.get(names.size() - 1);
        as(adminToken()).body(Api.principalJson(taken, "other-password", "CLIENT")).post("/v1/principals").then().statusCode(409);
        // self sign-up and the client-credentials grant
        String self = uniqueName("self");
        Api.anonymous().body("{\"name\":\"" + self + "\",\"password\":\"self-password\"}").post("/v1/principals").then().statusCode(201);
        assertThat(unverifiedClaims(token(self, "self-password")).getStringListClaimValue("roles")).containsExactly("CLIENT");
        Response client = Api.clientGrant("backend-app", "backend-app-test-secret", freshAddress());
        assertThat(client.statusCode()).isEqualTo(200);
        assertThat(unverifiedClaims(client.jsonPath().getString("access_token")).getStringListClaimValue("roles"))
                .containsExactly("TOPIC_CONTROL");
    }

    @Test
    @Order(3)
    void theSigningKeyIsHeldInTheClusterAndTheJwksVerifiesTokens() throws Exception {
        String jwksJson = given().get("/v1/jwks").then().statusCode(200).extract().asString();
        JsonWebKeySet jwks = new JsonWebKeySet(jwksJson);
        assertThat(jwks.getJsonWebKeys()).hasSize(1);
        String servedKid = jwks.getJsonWebKeys().get(0).getKeyId();

        // the generated key sits on the one master owning its slot, and it is the one served
        String stored = redis.value(String.class).get(RedisKeyStore.DEFAULT_KEY);
        assertThat(json.readTree(stored).path("kid").asText()).isEqualTo(servedKid);
        assertThat(ClusterKeys.holders(cluster(), RedisKeyStore.DEFAULT_KEY)).hasSize(1);

        // replicas restarting read the same key through the cluster, and generate none
        SigningKey one = new RedisKeyStore(redis, json, RedisKeyStore.DEFAULT_KEY).loadOrCreate(AuthServiceOnClusterTest::mustNotGenerate);
        SigningKey other = new RedisKeyStore(redis, json, RedisKeyStore.DEFAULT_KEY).loadOrCreate(AuthServiceOnClusterTest::mustNotGenerate);
        assertThat(one.kid()).isEqualTo(servedKid).isEqualTo(other.kid());
        assertThat(one.publicKey()).isEqualTo(other.publicKey());

        // two replicas starting together on an empty store agree on one key (SET NX on its master)
        String fresh = "test:signing-key:" + UUID.randomUUID();
        CyclicBarrier together = new CyclicBarrier(2);
        List<CompletableFuture<SigningKey>> replicas = List.of(1, 2).stream()
                .map(i -> CompletableFuture.supplyAsync(() -> new RedisKeyStore(redis, json, fresh).loadOrCreate(() -> {
                    SigningKey key = SigningKey.generate();
                    await(together);
                    return key;
                })))
                .toList();
        assertThat(replicas.get(0).get().kid()).isEqualTo(replicas.get(1).get().kid());
        redis.key(String.class).del(fresh);

        // what a verifier does: the JWKS verifies a token of the service
        JwtClaims claims = new JwtConsumerBuilder()
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(jwks.getJsonWebKeys()))
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.RSA_USING_SHA256)
                .setExpectedIssuer("http://localhost:8081")
                .setRequireExpirationTime()
                .setSkipDefaultAudienceValidation()
                .build()
                .processToClaims(token("carol", "carol-password"));
        assertThat(claims.getSubject()).isEqualTo("carol");
        assertThat(claims.getStringListClaimValue("roles")).containsExactly("TOPIC_CONTROL");
    }

    @Test
    @Order(4)
    void bothFailedLoginLimitsHoldWithTheirCountersOnDifferentMasters() {
        // per name, from many addresses: every later try is refused, the right password too
        String guessed = createPrincipal("guessed", "right-password", "CLIENT");
        for (int i = 0; i < PER_PRINCIPAL; i++) {
            assertThat(passwordGrant(guessed, "guess-" + i, freshAddress()).statusCode()).isEqualTo(401);
        }
        for (int i = 0; i < 5; i++) {
            Response blocked = passwordGrant(guessed, "right-password", freshAddress());
            assertThat(blocked.statusCode()).as("sign-in %s after the limit, with the right password", i).isEqualTo(429);
            assertThat(blocked.jsonPath().getString("code")).isEqualTo("RATE_LIMITED");
        }
        assertThat(passwordGrant("bob", "bob-password", freshAddress()).statusCode()).isEqualTo(200);

        // per address, across names
        String address = freshAddress();
        for (int i = 0; i < PER_ADDRESS; i++) {
            assertThat(passwordGrant(uniqueName("sprayed"), "some-password", address).statusCode()).isEqualTo(401);
        }
        for (int i = 0; i < 5; i++) {
            assertThat(passwordGrant("bob", "bob-password", address).statusCode()).isEqualTo(429);
        }
        assertThat(passwordGrant("bob", "bob-password", freshAddress()).statusCode()).isEqualTo(200);

        // the client-credentials grant is limited per client id
        for (int i = 0; i < PER_PRINCIPAL; i++) {
            assertThat(Api.clientGrant("limited", "wrong-" + i, freshAddress()).statusCode()).isEqualTo(401);
        }
        assertThat(Api.clientGrant("limited", "limited-test-secret", freshAddress()).statusCode()).isEqualTo(429);

        // one counter per name and per address, each in its own slot: they sit on more than one master
        List<Long> counters = cluster().masters().stream()
                .map(master -> ClusterKeys.countMatching(master, "auth:failed-logins:*")).toList();
        // at least: the guessed name and its addresses, the sprayed names and their address, the client and its addresses
        long written = 1 + PER_PRINCIPAL + PER_ADDRESS + 1 + 1 + PER_PRINCIPAL;
        assertThat(counters.stream().mapToLong(Long::longValue).sum()).isGreaterThanOrEqualTo(written);
        assertThat(counters.stream().filter(n -> n > 0).count()).as("failure counters per master %s", counters).isGreaterThan(1);
    }

    @Test
    @Order(5)
    void whenAMasterDiesItsReplicaTakesOverAndTheServiceWorksAgain() throws Exception {
        String survivor = createPrincipal("survivor", "survivor-password", "TOPIC_CONTROL");
        String kid = given().get("/v1/jwks").then().statusCode(200).extract().jsonPath().getString("keys[0].kid");
        RedisCluster.Node master = cluster().masters().stream()
                .filter(n -> ClusterKeys.holds(n, PRINCIPAL_PREFIX + survivor)).findFirst().orElseThrow();
        RedisCluster.Node replica = cluster().replicaOf(master);
        // a principal on another master, to see what the service answers for it before the replica takes over
        String elsewhere = createPrincipal("elsewhere", "elsewhere-password", "CLIENT");
        for (int i = 0; i < 20 && ClusterKeys.holds(master, PRINCIPAL_PREFIX + elsewhere); i++) {
            elsewhere = createPrincipal("elsewhere", "elsewhere-password", "CLIENT");
        }
        // replication is asynchronous: kill the master only once its replica has every write
        ClusterKeys.awaitReplicated(master, replica, Duration.ofSeconds(10));

        long killedAt = System.nanoTime();
        cluster().kill(master);
        int duringFailover = passwordGrant(elsewhere, "elsewhere-password", freshAddress()).statusCode();
        Duration promoted = cluster().awaitPromoted(replica, Duration.ofSeconds(30));

        // the service finds the new topology by itself and signs in the principal the dead master held
        Response signIn = awaitOk(() -> passwordGrant(survivor, "survivor-password", freshAddress()), Duration.ofSeconds(30));
        Duration recovered = Duration.ofNanos(System.nanoTime() - killedAt);
        LOG.infof("master %s killed: a sign-in held by another master answered %d right after; replica promoted after %d ms,"
                + " the service signed in again %d ms after the kill", master.port(), duringFailover, promoted.toMillis(), recovered.toMillis());
        assertThat(ClusterKeys.holds(replica, PRINCIPAL_PREFIX + survivor)).isTrue();
        assertThat(unverifiedClaims(signIn.jsonPath().getString("access_token")).getStringListClaimValue("roles"))
                .containsExactly("TOPIC_CONTROL");
        assertThat(given().get("/v1/jwks").then().statusCode(200).extract().jsonPath().getString("keys[0].kid")).isEqualTo(kid);

        // writes in every slot work again: new principals, renewals, failure counts
        for (int i = 0; i < 6; i++) {
            String name = createPrincipal("after", "after-password", "CLIENT");
            assertThat(exchange(token(name, "after-password")).statusCode()).isEqualTo(200);
        }
        assertThat(passwordGrant(survivor, "wrong-password", freshAddress()).statusCode()).isEqualTo(401);
        awaitOk(() -> given().get("/q/health/ready"), Duration.ofSeconds(10));
    }

    /** RFC 8693 token exchange of a sign-in's access token. */
    private static Response exchange(String accessToken) {
        return given().contentType(Api.FORM_UTF8)
                .formParam("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange")
                .formParam("subject_token", accessToken)
                .formParam("subject_token_type", IssuedToken.ACCESS_TOKEN_TYPE)
                .post("/v1/token");
    }

    private static Response awaitOk(java.util.function.Supplier<Response> call, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Response last = null;
        while (System.nanoTime() < deadline) {
            last = call.get();
            if (last.statusCode() == 200) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no 200 within " + timeout + "; last answer " + (last == null ? null : last.statusCode() + " " + last.asString()));
    }

    private static RedisCluster cluster() {
        return RedisClusterTestResource.current();
    }

    private static SigningKey mustNotGenerate() {
        throw new AssertionError("the key held in the cluster should have been used");
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Where keys are, asked of the nodes themselves (a master answers MOVED for a key it does not own). */
    static final class ClusterKeys {

        private ClusterKeys() {
        }

        /** True when the master {@code node} holds {@code key} (a master not owning its slot answers MOVED). */
        static boolean holds(RedisCluster.Node node, String key) {
            return ":1".equals(node.server().command("EXISTS " + key));
        }

        /** The running masters holding {@code key}, by port. */
        static List<Integer> holders(RedisCluster cluster, String key) {
            return cluster.masters().stream().filter(n -> holds(n, key)).map(RedisCluster.Node::port).toList();
        }

        /** The port of the one master holding {@code key}. */
        static String ownerOf(RedisCluster cluster, String key) {
            List<Integer> holders = holders(cluster, key);
            assertThat(holders).as("masters holding %s", key).hasSize(1);
            return String.valueOf(holders.get(0));
        }

        /** Keys matching {@code pattern} on one node (the length of its KEYS answer; a test cluster is small). */
        static long countMatching(RedisCluster.Node node, String pattern) {
            String head = node.server().command("KEYS " + pattern);
            assertThat(head).startsWith("*");
            return Long.parseLong(head.substring(1));
        }

        /** Waits until {@code replica} has applied everything {@code master} has written. */
        static void awaitReplicated(RedisCluster.Node master, RedisCluster.Node replica, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                long written = offset(master.server().bulkCommand("INFO replication"), "master_repl_offset:");
                long applied = offset(replica.server().bulkCommand("INFO replication"), "slave_repl_offset:");
                if (applied >= written && written > 0) {
                    return;
                }
                Thread.sleep(20);
            }
            throw new AssertionError("the replica " + replica.port() + " did not catch up with " + master.port() + " within " + timeout);
        }

        private static long offset(String info, String field) {
            return info.lines().filter(l -> l.startsWith(field)).map(l -> Long.parseLong(l.substring(field.length()).trim()))
                    .findFirst().orElse(-1L);
        }
    }
}
