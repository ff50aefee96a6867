package io.pushgate.bridge.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8Test {

    @Test
    void decodesValidUtf8Exactly() {
        String text = "{\"eur\":\"€ 39 608,89\",\"ok\":\"✓\",\"emoji\":\"📈\"}";
        assertThat(Utf8.decode(text.getBytes(StandardCharsets.UTF_8))).contains(text);
        assertThat(Utf8.decode(new byte[0])).contains("");
    }

    @Test
    void refusesMalformedBytes() {
        assertThat(Utf8.decode(new byte[] {(byte) 0xC3, 0x28})).isEmpty(); // a lead byte without its continuation
        assertThat(Utf8.decode(new byte[] {(byte) 0xFF})).isEmpty();
        assertThat(Utf8.decode(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})).isEmpty(); // a UTF-16 surrogate
    }
}
