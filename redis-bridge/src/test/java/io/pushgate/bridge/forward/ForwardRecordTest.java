package io.pushgate.bridge.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushgate.bridge.redis.RedisMessage;
import io.pushgate.bridge.redis.SubscriptionKey;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ForwardRecordTest {

    private static final Instant AT = Instant.parse("2026-11-22T20:15:00.123456Z");
    private static final byte[] DATA = "{\"bpi\":{\"USD\":{\"rate_float\":43123.45}}}".getBytes(StandardCharsets.UTF_8);

    private static Map<String, String> text(Map<String, byte[]> fields) {
        Map<String, String> text = new LinkedHashMap<>();
        fields.forEach((name, value) -> text.put(name, new String(value, StandardCharsets.UTF_8)));
        return text;
    }

    @Test
    void aChannelMessageBecomesSourceChannelDataAndReceivedAt() {
        ForwardRecord record = ForwardRecord.fromPubSub(new RedisMessage(SubscriptionKey.channel("prices.btc"), "prices.btc", DATA), AT);

        assertThat(text(record.fields())).containsExactly(
                Map.entry("source", "channel"),
                Map.entry("channel", "prices.btc"),
                Map.entry("data", new String(DATA, StandardCharsets.UTF_8)),
                Map.entry("receivedAt", "2026-11-22T20:15:00.123Z"));
        assertThat(record.name()).isEqualTo("prices.btc");
    }

    @Test
    void aPatternMessageAlsoNamesThePattern() {
        ForwardRecord record = ForwardRecord.fromPubSub(new RedisMessage(SubscriptionKey.pattern("prices.*"), "prices.eth", DATA), AT);

        assertThat(text(record.fields())).containsEntry("source", "pattern")
                .containsEntry("channel", "prices.eth")
                .containsEntry("pattern", "prices.*");
        assertThat(record.name()).isEqualTo("prices.*");
    }

    @Test
    void aStreamEntryCarriesItsIdAndTheStreamAsChannel() {
        ForwardRecord record = ForwardRecord.fromStream("prices.btc.stream", "1700000000000-0", DATA, AT);

        assertThat(text(record.fields())).containsExactly(
                Map.entry("source", "stream"),
                Map.entry("channel", "prices.btc.stream"),
                Map.entry("id", "1700000000000-0"),
                Map.entry("data", new String(DATA, StandardCharsets.UTF_8)),
                Map.entry("receivedAt", "2026-11-22T20:15:00.123Z"));
    }

    @Test
    void dataKeepsBytesThatAreNotText() {
        byte[] binary = {0, (byte) 0xFF, (byte) 0xC3, 0x28};
        ForwardRecord record = ForwardRecord.fromPubSub(new RedisMessage(SubscriptionKey.channel("raw"), "raw", binary), AT);

        assertThat(record.fields().get("data")).isEqualTo(binary);
    }
}
