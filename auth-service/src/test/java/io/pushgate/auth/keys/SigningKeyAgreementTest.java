package io.pushgate.auth.keys;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pushgate.testsupport.RedisTestResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Replicas and restarts sign with the key held in Redis, so that one JWKS verifies them all. */
@QuarkusTest
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class SigningKeyAgreementTest {

    @Inject
    RedisDataSource redis;

    @Inject
    ObjectMapper json;

    @Test
    void twoLoadsAgreeWithTheKeyTheServiceServes() {
        String servedKid = given().get("/v1/jwks").then().statusCode(200).extract().jsonPath().getString("keys[0].kid");

        // as two restarted replicas would: new stores over the same Redis, which must not generate
        SigningKey first = new RedisKeyStore(redis, json, RedisKeyStore.DEFAULT_KEY).loadOrCreate(SigningKeyAgreementTest::mustNotGenerate);
        SigningKey second = new RedisKeyStore(redis, json, RedisKeyStore.DEFAULT_KEY).loadOrCreate(SigningKeyAgreementTest::mustNotGenerate);

        assertThat(first.kid()).isEqualTo(servedKid).isEqualTo(second.kid());
        assertThat(first.publicKey()).isEqualTo(second.publicKey());
        assertThat(first.privateKey().getPrivateExponent()).isEqualTo(second.privateKey().getPrivateExponent());
    }

    @Test
    void replicasStartingTogetherOnAnEmptyRedisAgreeOnOneKey() throws Exception {
        String redisKey = "test:signing-key:" + UUID.randomUUID();
        CyclicBarrier together = new CyclicBarrier(2);
        AtomicInteger generated = new AtomicInteger();
        List<CompletableFuture<SigningKey>> replicas = List.of(1, 2).stream()
                .map(i -> CompletableFuture.supplyAsync(() -> new RedisKeyStore(redis, json, redisKey).loadOrCreate(() -> {
                    SigningKey key = SigningKey.generate();
                    generated.incrementAndGet();
                    await(together);
                    return key;
                })))
                .toList();

        SigningKey one = replicas.get(0).get();
        SigningKey other = replicas.get(1).get();

        assertThat(generated).hasValue(2);
        assertThat(one.kid()).isEqualTo(other.kid());
        assertThat(one.publicKey()).isEqualTo(other.publicKey());
    }

    private static SigningKey mustNotGenerate() {
        throw new AssertionError("the key held in Redis should have been used");
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
