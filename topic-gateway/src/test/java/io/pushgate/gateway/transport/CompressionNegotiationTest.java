package io.pushgate.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * permessage-deflate (RFC 7692) is negotiated by default when the client offers it, and not
 * imposed when it does not. (Quarkus turns Vert.x's WebSocket extensions off in an application
 * without a Quarkus WebSocket extension; the gateway depends on websockets-next for that reason.)
 */
@QuarkusTest
class CompressionNegotiationTest extends GatewayTestBase {

    @Test
    void aClientOfferingPermessageDeflateGetsIt() throws Exception {
        assertThat(upgrade("Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"))
                .startsWith("HTTP/1.1 101")
                .containsIgnoringCase("sec-websocket-extensions: permessage-deflate");
    }

    @Test
    void aClientOfferingNothingGetsNoExtension() throws Exception {
        assertThat(upgrade("")).startsWith("HTTP/1.1 101").doesNotContainIgnoringCase("sec-websocket-extensions");
    }

    /** The response head to a hand-written upgrade request. */
    private String upgrade(String extraHeaders) throws Exception {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /v1/ws HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort() + "\r\n"
                    + "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" + extraHeaders + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                head.append((char) b);
            }
            return head.toString();
        }
    }
}
