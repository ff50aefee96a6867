package io.pushgate.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.delta.DeltaFormat;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What the client decides without a gateway: its endpoint, its errors. */
class PushgateClientTest {

    @Test
    void theEndpointCarriesTheDeltaFormat() {
        assertThat(Endpoint.of(URI.create("ws://127.0.0.1:8080/v1/ws"), DeltaFormat.FOSSIL))
                .hasToString("ws://127.0.0.1:8080/v1/ws?delta=fossil");
        assertThat(Endpoint.of(URI.create("ws://h:1/v1/ws?access_token=abc&delta=none"), DeltaFormat.JSON_PATCH))
                .hasToString("ws://h:1/v1/ws?access_token=abc&delta=json-patch");
        assertThat(Endpoint.of(URI.create("ws://h:1/v1/ws?delta=none"), null))
                .hasToString("ws://h:1/v1/ws?delta=none");
    }

    @Test
    void aBaseUriGetsTheWebSocketPath() {
        assertThat(Endpoint.of(URI.create("ws://127.0.0.1:8080"), DeltaFormat.NONE))
                .hasToString("ws://127.0.0.1:8080/v1/ws?delta=none");
        assertThat(Endpoint.of(URI.create("https://gw.example.com/"), DeltaFormat.NONE))
                .hasToString("wss://gw.example.com/v1/ws?delta=none");
    }

    @Test
    void aUriThatIsNotAWebSocketIsRefusedAtOnce() {
        assertThatThrownBy(() -> PushgateClient.builder(URI.create("redis://localhost:6379")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void errorRepliesKeepTheGatewaysCode() {
        PushgateException e = Requests.error(Msg.json("{'type':'error','id':3,'code':'NOT_FOUND','message':'no topic a/b'}"));
        assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(e.getMessage()).isEqualTo("no topic a/b");
        assertThat(Requests.error(Msg.json("{'type':'error','code':'NEW_CODE','message':'m'}")).code())
                .isEqualTo(ErrorCode.UNAVAILABLE);
    }

    @Test
    void refusedHandshakesMapToTheCodeOfTheirStatus() {
        assertThat(Endpoint.codeForStatus(401)).isEqualTo(ErrorCode.UNAUTHENTICATED);
        assertThat(Endpoint.codeForStatus(400)).isEqualTo(ErrorCode.INVALID);
        assertThat(Endpoint.codeForStatus(502)).isEqualTo(ErrorCode.UNAVAILABLE);
    }

    @Test
    void connectingToNothingFailsClearly() {
        int port = freePort();
        assertThatThrownBy(() -> PushgateClient.builder(URI.create("ws://127.0.0.1:" + port))
                .connectTimeout(Duration.ofSeconds(2)).connect())
                .isInstanceOf(PushgateException.class)
                .hasMessageContaining("cannot connect to ws://127.0.0.1:" + port + "/v1/ws")
                .extracting(e -> ((PushgateException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE);
    }

    @Test
    void utf8LengthsAreCountedWithoutEncoding() {
        assertThat(Values.utf8Length("a\u00e9\u2603\uD83D\uDE00")).isEqualTo("a\u00e9\u2603\uD83D\uDE00".getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
