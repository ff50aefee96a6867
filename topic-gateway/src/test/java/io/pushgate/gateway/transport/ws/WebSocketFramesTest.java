package io.pushgate.gateway.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The frames the gateway encodes itself are byte for byte what Netty's server encoder writes. */
class WebSocketFramesTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 125, 126, 127, 1000, 65535, 65536, 100_000})
    void aTextFrameIsWhatNettysEncoderWrites(int length) {
        byte[] payload = new byte[length];
        new Random(length).nextBytes(payload);

        assertThat(WebSocketFrames.textFrame(payload)).isEqualTo(netty(payload));
        assertThat(WebSocketFrames.headerLength(length)).isEqualTo(netty(payload).length - length);
    }

    private static byte[] netty(byte[] payload) {
        EmbeddedChannel channel = new EmbeddedChannel(new WebSocket13FrameEncoder(false));
        channel.writeOutbound(new TextWebSocketFrame(Unpooled.wrappedBuffer(payload)));
        byte[] out = new byte[0];
        for (Object o; (o = channel.readOutbound()) != null; ) {
            ByteBuf buf = (ByteBuf) o;
            byte[] part = new byte[buf.readableBytes()];
            buf.readBytes(part);
            buf.release();
            byte[] joined = Arrays.copyOf(out, out.length + part.length);
            System.arraycopy(part, 0, joined, out.length, part.length);
            out = joined;
        }
        channel.finish();
        return out;
    }
}
