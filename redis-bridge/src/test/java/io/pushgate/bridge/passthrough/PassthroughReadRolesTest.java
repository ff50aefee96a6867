package io.pushgate.bridge.passthrough;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pushgate.bridge.redis.ChannelName;
import io.pushgate.bridge.redis.RedisSubscriptions;
import io.pushgate.bridge.support.FakeGatewayResource;
import io.pushgate.bridge.support.RawRedisSubscriber;
import io.pushgate.bridge.support.TestRedis;
import io.pushgate.testsupport.FrameWebSocket;
import io.pushgate.testsupport.RedisTestResource;
import io.pushgate.testsupport.TestIssuer;
import io.pushgate.testsupport.TestIssuerResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code bridge.passthrough.read-roles} and {@code publish-roles} set to roles of one's own: reading
 * then needs a token too (refused before the upgrade, 401 without one, 403 without the role), and
 * a reading connection ends with 4100 when its token expires.
 */
@QuarkusTest
@TestProfile(PassthroughReadRolesTest.Profile.class)
@WithTestResource(RedisTestResource.class)
@WithTestResource(FakeGatewayResource.class)
@WithTestResource(value = TestIssuerResource.class, initArgs = @ResourceArg(name = TestIssuerResource.PROPERTY, value = "bridge.security.issuers"))
class PassthroughReadRolesTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bridge.passthrough.read-roles", "READER,WRITER",
                    "bridge.passthrough.publish-roles", "WRITER");
        }
    }

    @TestHTTPResource("/")
    URL base;

    @Inject
    RedisDataSource dataSource;

    @Inject
    RedisSubscriptions subscriptions;

    @Inject
    PassthroughHub hub;

    private String channel;

    @BeforeEach
    void setUp() {
        await().atMost(Duration.ofSeconds(10)).until(subscriptions::isConnected);
        channel = TestRedis.unique("private");
    }

    private URI uri() {
        return URI.create("ws://127.0.0.1:" + base.getPort() + "/v1/redis/" + channel);
    }

    private static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    private FrameWebSocket connect(String token) {
        FrameWebSocket client = FrameWebSocket.connect(uri(), bearer(token));
        await().until(() -> hub.clientCount(new ChannelName(channel)) > 0 && subscriptions.isActive(new ChannelName(channel).subscriptionKey()));
        return client;
    }

    @Test
    void withoutATokenTheUpgradeIs401() {
        FrameWebSocket.Refusal refusal = FrameWebSocket.refusal(uri(), Map.of());
        assertThat(refusal.status()).isEqualTo(401);
        assertThat(refusal.wwwAuthenticate()).isEqualTo("Bearer realm=\"redis-bridge\", error_description=\"reading " + channel
                + " needs a bearer token with one of the roles READER, WRITER; none was presented\"");
    }

    @Test
    void aTokenWithoutTheRoleIs403() {
        FrameWebSocket.Refusal refusal = FrameWebSocket.refusal(uri(), bearer(TestIssuerResource.token("alice", "CLIENT", "TOPIC_CONTROL")));
        assertThat(refusal.status()).isEqualTo(403);
        assertThat(refusal.wwwAuthenticate()).isEqualTo("Bearer realm=\"redis-bridge\", error=\"insufficient_scope\", error_description=\"reading "
                + channel + " needs one of the roles READER, WRITER; the token of 'alice' has only CLIENT, TOPIC_CONTROL\"");
    }

    @Test
    void aReaderReadsAndOnlyAWriterPublishes() throws Exception {
        try (RawRedisSubscriber published = new RawRedisSubscriber(RedisTestResource.current().port(), channel);
             FrameWebSocket reader = connect(TestIssuerResource.token("rita", "READER"));
             FrameWebSocket writer = connect(TestIssuerResource.token("will", "WRITER"))) {
            await().until(published::isSubscribed);
            await().until(() -> hub.clientCount(new ChannelName(channel)) == 2);

            reader.sendText("from the reader");
            await().until(() -> reader.received().size() == 1);
            assertThat(reader.received().get(0).asText()).contains("\"code\":\"PERMISSION_DENIED\"")
                    .contains("needs the role WRITER; the token of 'rita' has only READER");

            writer.sendText("from the writer");
            await().until(() -> published.payloads().size() == 1 && reader.received().size() == 2);
            assertThat(new String(published.payloads().get(0), StandardCharsets.UTF_8)).isEqualTo("from the writer");
            assertThat(reader.received().get(1).asText()).isEqualTo("from the writer");
        }
    }

    @Test
    void aReadingConnectionEndsWith4100WhenItsTokenExpires() throws Exception {
        // %test sets bridge.security.clock-skew=0s, so that the expiry shows within seconds
        JwtClaims claims = TestIssuerResource.current().claims("rita", System.currentTimeMillis());
        claims.setStringListClaim("roles", "READER");
        claims.setExpirationTime(NumericDate.fromMilliseconds(System.currentTimeMillis() + 3_000));
        try (FrameWebSocket reader = connect(TestIssuer.sign(claims, TestIssuerResource.key()))) {
            assertThat(reader.closeCode().get(15, TimeUnit.SECONDS)).isEqualTo(CloseCodes.TOKEN_EXPIRED);
        }
        await().until(() -> hub.clientCount(new ChannelName(channel)) == 0);
    }
}
