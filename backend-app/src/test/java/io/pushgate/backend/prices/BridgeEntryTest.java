package io.pushgate.backend.prices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushgate.backend.support.StreamId;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BridgeEntryTest {

    @Test
    void readsAForwardedStreamEntry() {
        BridgeEntry e = BridgeEntry.parse("1732306500123-0", Map.of("source", "stream", "channel", "prices.btc.stream",
                "id", "1732306500100-0", "data", "{\"bpi\":{}}", "receivedAt", "2026-11-22T20:15:00.123Z"));
        assertThat(e.id()).isEqualTo(new StreamId(1732306500123L, 0));
        assertThat(e.source()).isEqualTo("stream");
        assertThat(e.channel()).isEqualTo("prices.btc.stream");
        assertThat(e.sourceId()).isEqualTo(new StreamId(1732306500100L, 0));
        assertThat(e.data()).isEqualTo("{\"bpi\":{}}");
        assertThat(e.receivedAt()).isEqualTo(Instant.parse("2026-11-22T20:15:00.123Z"));
    }

    @Test
    void aChannelOrPatternEntryHasNoSourceId() {
        BridgeEntry e = BridgeEntry.parse("5-0", Map.of("source", "pattern", "channel", "prices.btc", "pattern", "prices.*",
                "id", "9-9", "data", "x"));
        assertThat(e.sourceId()).isNull();
        assertThat(e.receivedAt()).isNull();
    }

    @Test
    void anUnreadableReceivedAtIsOnlyInformative() {
        assertThat(BridgeEntry.parse("5-0", Map.of("channel", "c", "data", "x", "receivedAt", "yesterday")).receivedAt()).isNull();
    }

    @Test
    void refusesAnEntryThatIsNotTheBridges() {
        assertThatThrownBy(() -> BridgeEntry.parse("5-0", Map.of())).hasMessageContaining("no fields");
        assertThatThrownBy(() -> BridgeEntry.parse("5-0", Map.of("channel", "c"))).hasMessageContaining("no data");
        assertThatThrownBy(() -> BridgeEntry.parse("5-0", Map.of("data", "x"))).hasMessageContaining("no channel");
        assertThatThrownBy(() -> BridgeEntry.parse("x", Map.of("data", "x", "channel", "c"))).isInstanceOf(IllegalArgumentException.class);
    }
}
