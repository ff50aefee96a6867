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
import io.pushgate.testsupport.TestIssuerResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The raw WebSocket endpoint against a real Redis, with real WebSocket clients. */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
@WithTestResource(FakeGatewayResource.class)
@WithTestResource(value = TestIssuerResource.class, initArgs = @ResourceArg(name = TestIssuerResource.PROPERTY, value = "bridge.security.issuers"))
class PassthroughTest {

    @TestHTTPResource("/")
    URL base;

    @Inject
    RedisDataSource dataSource;

    @Inject
    RedisSubscriptions subscriptions;

    @Inject
    PassthroughHub hub;

    private TestRedis redis;
    private final List<FrameWebSocket> clients = new ArrayList<>();

    @BeforeEach
    void setUp() {
        redis = new TestRedis(dataSource);
        await().atMost(Duration.ofSeconds(10)).until(subscriptions::isConnected);
    }

    @AfterEach
    void closeClients() {
        clients.forEach(FrameWebSocket::close);
        clients.clear();
    }

    private URI uri(String channel) {
        return URI.create("ws://127.0.0.1:" + base.getPort() + "/v1/redis/" + channel);
    }

    /** Connects and waits until the client joined and Redis confirmed the channel's subscription. */
    private FrameWebSocket connect(String channel) {
        return connect(channel, Map.of());
    }

    /** Connects as a publisher: with a token that has {@code TOPIC_CONTROL}, which publishing needs. */
    private FrameWebSocket connectAsPublisher(String channel) {
        return connect(channel, Map.of("Authorization", "Bearer " + TestIssuerResource.token("publisher", "TOPIC_CONTROL")));
    }

    private FrameWebSocket connect(String channel, Map<String, String> headers) {
        ChannelName name = new ChannelName(channel);
        int before = hub.clientCount(name);
        FrameWebSocket client = FrameWebSocket.connect(uri(channel), headers);
        clients.add(client);
        await().until(() -> hub.clientCount(name) > before && subscriptions.isActive(name.subscriptionKey()));
        return client;
    }

    @Test
    void twoClientsOnOneChannelShareOneSubscriptionAndBothReceiveTheExactPayload() {
        String channel = TestRedis.unique("pt.two");
        FrameWebSocket first = connect(channel);
        FrameWebSocket second = connect(channel);
        await().until(() -> hub.clientCount(new ChannelName(channel)) == 2);
        assertThat(redis.subscribers(channel)).as("one Redis subscription for both clients").isEqualTo(1);

        String payload = "{\"bpi\":{\"USD\":{\"rate_float\":43123.45},\"EUR\":{\"symbol\":\"&euro;\",\"rate\":\"€ 39,608.89\"}},\"ok\":\"✓\"}";
        redis.publish(channel, payload);

        await().until(() -> first.received().size() == 1 && second.received().size() == 1);
        for (FrameWebSocket client : List.of(first, second)) {
            FrameWebSocket.Frame frame = client.received().get(0);
            assertThat(frame.text()).isTrue();
            assertThat(frame.bytes()).isEqualTo(payload.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void theChannelIsUnsubscribedWhenItsLastClientLeaves() {
        String channel = TestRedis.unique("pt.leave");
        FrameWebSocket first = connect(channel);
        FrameWebSocket second = connect(channel);

        first.close();
        await().until(() -> hub.clientCount(new ChannelName(channel)) == 1);
        assertThat(redis.subscribers(channel)).isEqualTo(1);

        second.close();
        await().until(() -> redis.subscribers(channel) == 0);
        assertThat(hub.clientCount(new ChannelName(channel))).isZero();
    }

    @Test
    void whatAClientSendsIsPublishedToTheChannel() throws Exception {
        String channel = TestRedis.unique("pt.pub");
        try (RawRedisSubscriber raw = new RawRedisSubscriber(RedisTestResource.current().port(), channel)) {
            await().until(raw::isSubscribed);
            FrameWebSocket client = connectAsPublisher(channel);
            byte[] binary = {0, (byte) 0xFF, (byte) 0xC3, 0x28};

            client.sendText("hello € ✓");
            client.sendBinary(binary);

            await().until(() -> raw.payloads().size() == 2);
            assertThat(raw.payloads().get(0)).isEqualTo("hello € ✓".getBytes(StandardCharsets.UTF_8));
            assertThat(raw.payloads().get(1)).isEqualTo(binary);
            // the sender is subscribed too, so it gets both back, as a raw Redis client would
            await().until(() -> client.received().size() == 2);
            assertThat(client.received().get(0).asText()).isEqualTo("hello € ✓");
            assertThat(client.received().get(1).text()).isFalse();
            assertThat(client.received().get(1).bytes()).isEqualTo(binary);
        }
    }

    @Test
    void aPatternReceivesEveryMatchingChannelAndIsReadOnly() throws Exception {
        String prefix = TestRedis.unique("pt.pat");
        FrameWebSocket client = connect(prefix + ".*");

        redis.publish(prefix + ".btc", "btc");
        redis.publish("pt.elsewhere", "not for this pattern");
        redis.publish(prefix + ".eth", "eth");

        await().until(() -> client.received().size() == 2);
        assertThat(client.received()).extracting(FrameWebSocket.Frame::asText).containsExactly("btc", "eth");

        client.sendText("may not publish on a pattern");
        assertThat(client.closeCode().get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(CloseCodes.PUBLISH_REFUSED);
    }

    @Test
    void aPayloadThatIsNotUtf8ArrivesAsABinaryFrame() {
        String channel = TestRedis.unique("pt.bin");
        FrameWebSocket client = connect(channel);
        byte[] payload = {(byte) 0xC3, 0x28, 0x00, (byte) 0xFF};

        redis.publish(channel, payload);

        await().until(() -> client.received().size() == 1);
        assertThat(client.received().get(0).text()).isFalse();
        assertThat(client.received().get(0).bytes()).isEqualTo(payload);
    }

    @Test
    void anInvalidChannelNameIsRefusedBeforeTheUpgrade() {
        assertThat(FrameWebSocket.refusedStatus(uri("bad$name"))).isEqualTo(400);
        assertThat(FrameWebSocket.refusedStatus(uri("x".repeat(129)))).isEqualTo(400);
    }
}
