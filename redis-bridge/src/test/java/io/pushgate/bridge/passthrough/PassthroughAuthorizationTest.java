package io.pushgate.bridge.passthrough;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who may publish through the passthrough, with the defaults: anyone reads; a message is PUBLISHed
 * only for a token with {@code TOPIC_CONTROL} or {@code ADMINISTRATOR}. Tokens come from a real
 * local OIDC issuer (discovery and JWKS over HTTP); clients are real WebSockets; what reached
 * Redis is read by a raw Redis subscriber. A refused message gets an error frame on its own
 * connection, which stays open and goes on reading.
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
@WithTestResource(FakeGatewayResource.class)
@WithTestResource(value = TestIssuerResource.class, initArgs = @ResourceArg(name = TestIssuerResource.PROPERTY, value = "bridge.security.issuers"))
class PassthroughAuthorizationTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TestHTTPResource("/")
    URL base;

    @Inject
    RedisDataSource dataSource;

    @Inject
    RedisSubscriptions subscriptions;

    @Inject
    PassthroughHub hub;

    private TestRedis redis;
    private String channel;
    private RawRedisSubscriber published;
    private final List<FrameWebSocket> clients = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        redis = new TestRedis(dataSource);
        await().atMost(Duration.ofSeconds(10)).until(subscriptions::isConnected);
        channel = TestRedis.unique("prices.btc");
        published = new RawRedisSubscriber(RedisTestResource.current().port(), channel);
        await().until(published::isSubscribed);
    }

    @AfterEach
    void closeClients() throws Exception {
        clients.forEach(FrameWebSocket::close);
        clients.clear();
        published.close();
    }

    private URI uri(String query) {
        return URI.create("ws://127.0.0.1:" + base.getPort() + "/v1/redis/" + channel + query);
    }

    private static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    /** Connects with these headers and waits until the client joined and the channel is subscribed. */
    private FrameWebSocket connect(String query, Map<String, String> headers) {
        ChannelName name = new ChannelName(channel);
        int before = hub.clientCount(name);
        FrameWebSocket client = FrameWebSocket.connect(uri(query), headers);
        clients.add(client);
        await().until(() -> hub.clientCount(name) > before && subscriptions.isActive(name.subscriptionKey()));
        return client;
    }

    private FrameWebSocket connect(Map<String, String> headers) {
        return connect("", headers);
    }

    private static JsonNode json(FrameWebSocket.Frame frame) throws Exception {
        assertThat(frame.text()).isTrue();
        return MAPPER.readTree(frame.asText());
    }

    /**
     * After the refused messages, a message published by Redis still reaches the client (the
     * connection is open and reading) and is the first and only one the raw subscriber saw: none of
     * the refused ones reached Redis.
     */
    private void assertStillReadingAndNothingWasPublished(FrameWebSocket client, int framesBefore) {
        redis.publish(channel, "{\"bpi\":{\"USD\":{\"rate_float\":43123.45}}}");
        await().until(() -> client.received().size() == framesBefore + 1);
        assertThat(client.received().get(framesBefore).asText()).isEqualTo("{\"bpi\":{\"USD\":{\"rate_float\":43123.45}}}");
        assertThat(client.closeCode()).isNotDone();
        await().until(() -> published.payloads().size() == 1);
        assertThat(new String(published.payloads().get(0), StandardCharsets.UTF_8)).contains("43123.45");
    }

    @Test
    void anAnonymousClientReadsButItsPublishIsRefusedWithAnErrorFrameOnItsOwnConnection() throws Exception {
        FrameWebSocket anonymous = connect(Map.of());
        FrameWebSocket reader = connect(Map.of());

        anonymous.sendText("{\"bpi\":{\"USD\":{\"rate_float\":1.0}}}");
        anonymous.sendBinary(new byte[] {1, 2, 3});

        await().until(() -> anonymous.received().size() == 2);
        for (FrameWebSocket.Frame frame : anonymous.received()) {
            JsonNode error = json(frame);
            assertThat(error.path("type").asText()).isEqualTo("error");
            assertThat(error.path("code").asText()).isEqualTo("UNAUTHENTICATED");
            assertThat(error.path("message").asText()).isEqualTo("publishing on " + channel
                    + " needs a bearer token with one of the roles TOPIC_CONTROL, ADMINISTRATOR; none was presented");
        }
        assertStillReadingAndNothingWasPublished(anonymous, 2);
        // the other reader of the channel got neither the fake price nor the error
        assertThat(reader.received()).hasSize(1);
    }

    @Test
    void aTokenWithoutTheRoleReadsButItsPublishIsRefused() throws Exception {
        FrameWebSocket alice = connect(bearer(TestIssuerResource.token("alice", "CLIENT")));

        alice.sendText("{\"bpi\":{\"USD\":{\"rate_float\":1.0}}}");

        await().until(() -> alice.received().size() == 1);
        JsonNode error = json(alice.received().get(0));
        assertThat(error.path("code").asText()).isEqualTo("PERMISSION_DENIED");
        assertThat(error.path("message").asText()).isEqualTo("publishing on " + channel
                + " needs one of the roles TOPIC_CONTROL, ADMINISTRATOR; the token of 'alice' has only CLIENT");
        assertStillReadingAndNothingWasPublished(alice, 1);
        assertThat(metrics()).contains("bridge_passthrough_publish_refused_total{code=\"PERMISSION_DENIED\"}");
    }

    @Test
    void aTokenWithTheRolePublishesExactlyWhatItSends() {
        FrameWebSocket carol = connect(bearer(TestIssuerResource.token("carol", "TOPIC_CONTROL")));
        FrameWebSocket reader = connect(Map.of());
        byte[] binary = {0, (byte) 0xFF, (byte) 0xC3, 0x28};

        carol.sendText("{\"bpi\":{\"USD\":{\"rate_float\":43000.5}}}");
        carol.sendBinary(binary);

        await().until(() -> published.payloads().size() == 2);
        assertThat(new String(published.payloads().get(0), StandardCharsets.UTF_8)).isEqualTo("{\"bpi\":{\"USD\":{\"rate_float\":43000.5}}}");
        assertThat(published.payloads().get(1)).isEqualTo(binary);
        // every reader, and the publisher itself (it is subscribed), gets the messages, not an error
        await().until(() -> reader.received().size() == 2 && carol.received().size() == 2);
        assertThat(carol.received().get(0).asText()).isEqualTo("{\"bpi\":{\"USD\":{\"rate_float\":43000.5}}}");
        assertThat(reader.received().get(1).bytes()).isEqualTo(binary);
    }

    @Test
    void anAdministratorPublishesWithTheTokenAsAccessTokenParameter() {
        String token = TestIssuerResource.token("root", "ADMINISTRATOR");
        FrameWebSocket admin = connect("?access_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8), Map.of());

        admin.sendText("from a browser");

        await().until(() -> published.payloads().size() == 1);
        assertThat(new String(published.payloads().get(0), StandardCharsets.UTF_8)).isEqualTo("from a browser");
    }

    @Test
    void aTokenThatIsNotValidIsRefusedWith401BeforeTheUpgrade() throws Exception {
        TestIssuer issuer = TestIssuerResource.current();
        JwtClaims expired = issuer.claims("carol", System.currentTimeMillis() - 600_000);
        expired.setStringListClaim("roles", "TOPIC_CONTROL");
        expired.setExpirationTime(NumericDate.fromMilliseconds(System.currentTimeMillis() - 300_000));
        try (TestIssuer stranger = new TestIssuer("/stranger")) {
            Map<String, String> reasons = Map.of(
                    "not-a-jwt", "not a signed JWT in compact form",
                    // the issuer's key id, but a key the issuer never published
                    TestIssuer.sign(issuer.claims("carol", System.currentTimeMillis()), TestIssuer.rsaKey("test-key")), "bad signature",
                    TestIssuer.sign(expired, TestIssuerResource.key()), "token expired at",
                    stranger.token(stranger.addRsaKey("k"), "carol", "TOPIC_CONTROL"), "is not trusted");
            for (Map.Entry<String, String> bad : reasons.entrySet()) {
                FrameWebSocket.Refusal refusal = FrameWebSocket.refusal(uri(""), bearer(bad.getKey()));
                assertThat(refusal.status()).as(bad.getValue()).isEqualTo(401);
                assertThat(refusal.wwwAuthenticate()).startsWith("Bearer realm=\"redis-bridge\", error=\"invalid_token\", error_description=\"")
                        .contains(bad.getValue());
            }
        }
        FrameWebSocket.Refusal basic = FrameWebSocket.refusal(uri(""), Map.of("Authorization", "Basic Y2Fyb2w6c2VjcmV0"));
        assertThat(basic.status()).isEqualTo(401);
        assertThat(basic.wwwAuthenticate()).contains("the Authorization header must be 'Bearer <token>', not basic");
        assertThat(hub.clientCount(new ChannelName(channel))).isZero();
    }

    @Test
    void aTokenThatExpiresWhileConnectedPublishesNoMoreButTheConnectionGoesOnReading() throws Exception {
        // %test sets bridge.security.clock-skew=0s, so that the expiry shows within seconds
        JwtClaims claims = TestIssuerResource.current().claims("carol", System.currentTimeMillis());
        claims.setStringListClaim("roles", "TOPIC_CONTROL");
        Instant expiry = Instant.now().plusSeconds(3);
        claims.setExpirationTime(NumericDate.fromSeconds(expiry.getEpochSecond()));
        FrameWebSocket carol = connect(bearer(TestIssuer.sign(claims, TestIssuerResource.key())));
        carol.sendText("while valid");
        await().until(() -> published.payloads().size() == 1);

        await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(Instant.ofEpochSecond(expiry.getEpochSecond()).plusMillis(200)));
        carol.sendText("after expiry");

        await().until(() -> carol.received().size() == 2);
        assertThat(carol.received().get(0).asText()).isEqualTo("while valid");
        JsonNode error = json(carol.received().get(1));
        assertThat(error.path("code").asText()).isEqualTo("UNAUTHENTICATED");
        assertThat(error.path("message").asText()).contains("the token of 'carol' expired at").contains("connect again with a fresh one");
        redis.publish(channel, "still reading");
        await().until(() -> carol.received().size() == 3);
        assertThat(carol.received().get(2).asText()).isEqualTo("still reading");
        assertThat(published.payloads()).hasSize(2); // "while valid" and "still reading", not "after expiry"
        assertThat(carol.closeCode()).isNotDone();
    }

    private static String metrics() {
        return io.restassured.RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString();
    }
}
