package io.pushgate.bridge.passthrough;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FrameTest {

    @Test
    void utf8PayloadIsATextFrameThatEncodesToTheSameBytes() {
        byte[] payload = "{\"rate\":\"€43,123.45\"}".getBytes(StandardCharsets.UTF_8);

        Frame frame = Frame.of(payload);

        assertThat(frame.isText()).isTrue();
        assertThat(frame.text().getBytes(StandardCharsets.UTF_8)).isEqualTo(payload);
        assertThat(frame.size()).isEqualTo(payload.length);
    }

    @Test
    void otherBytesAreABinaryFrame() {
        byte[] payload = {0, (byte) 0xFF, (byte) 0xC3, 0x28};

        Frame frame = Frame.of(payload);

        assertThat(frame.isText()).isFalse();
        assertThat(frame.binary()).isEqualTo(payload);
        assertThat(frame.size()).isEqualTo(4);
    }
}
