package io.pushgate.bridge.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushgate.testsupport.FakeRestGateway;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The REST call against a local fake gateway on 127.0.0.1. */
class GatewayClientTest {

    private final FakeRestGateway gateway;

    GatewayClientTest() throws IOException {
        gateway = new FakeRestGateway();
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    private GatewayClient client(String url, Optional<String> token) {
        return new GatewayClient(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build(), URI.create(url), token, Duration.ofSeconds(5));
    }

    @Test
    void putsTheValueWithItsTypeAndTheBearerToken() throws InterruptedException {
        byte[] body = "{\"rate\":43123.45}".getBytes(StandardCharsets.UTF_8);

        GatewayClient.Outcome outcome = client(gateway.url() + "/", Optional.of("secret"))
                .put(new GatewayUpdate("redis/prices.btc", GatewayUpdate.TopicType.JSON, body));

        assertThat(outcome.result()).isEqualTo(GatewayClient.Result.OK);
        FakeRestGateway.Request request = gateway.requests().get(0);
        assertThat(request.method()).isEqualTo("PUT");
        assertThat(request.path()).isEqualTo("/v1/topics/redis/prices.btc");
        assertThat(request.query()).isEqualTo("type=JSON");
        assertThat(request.contentType()).isEqualTo("application/json");
        assertThat(request.authorization()).isEqualTo("Bearer secret");
        assertThat(request.body()).isEqualTo(body);
    }

    @Test
    void sendsNoAuthorizationWithoutAToken() throws InterruptedException {
        client(gateway.url(), Optional.empty()).put(new GatewayUpdate("t", GatewayUpdate.TopicType.STRING, "x".getBytes(StandardCharsets.UTF_8)));

        assertThat(gateway.requests().get(0).authorization()).isNull();
        assertThat(gateway.requests().get(0).query()).isEqualTo("type=STRING");
    }

    @Test
    void anUnavailableGatewayIsWorthRetrying() throws InterruptedException {
        gateway.failNext(1);

        GatewayClient.Outcome outcome = client(gateway.url(), Optional.empty())
                .put(new GatewayUpdate("t", GatewayUpdate.TopicType.STRING, new byte[0]));

        assertThat(outcome.result()).isEqualTo(GatewayClient.Result.RETRY);
        assertThat(outcome.status()).isEqualTo(503);
    }

    @Test
    void aConflictIsRefusedForGood() throws InterruptedException {
        gateway.answerNext(409, 1);

        GatewayClient.Outcome outcome = client(gateway.url(), Optional.empty())
                .put(new GatewayUpdate("t", GatewayUpdate.TopicType.STRING, new byte[0]));

        assertThat(outcome.result()).isEqualTo(GatewayClient.Result.REJECTED);
        assertThat(outcome.detail()).contains("CONFLICT");
    }

    @Test
    void anUnreachableGatewayIsWorthRetrying() throws InterruptedException {
        String url = gateway.url();
        gateway.close();

        GatewayClient.Outcome outcome = client(url, Optional.empty()).put(new GatewayUpdate("t", GatewayUpdate.TopicType.STRING, new byte[0]));

        assertThat(outcome.result()).isEqualTo(GatewayClient.Result.RETRY);
        assertThat(outcome.status()).isZero();
    }
}
