package io.pushgate.feeder.sources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplaySourceTest {

    private static final Instant NOW = Instant.parse("2026-11-22T21:00:05Z");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void marksEveryDocumentAsReplayAndStampsItNow() {
        ReplaySource source = new ReplaySource(ReplayFile.load(new ObjectMapper(), "replay/btc-bpi.jsonl"), clock);

        PriceDocument doc = source.fetch();

        assertThat(doc.source()).isEqualTo("replay");
        assertThat(doc.json().path("time").path("updatedISO").asText()).isEqualTo("2026-11-22T21:00:05+00:00");
        assertThat(doc.json().path("time").path("updated").asText()).isEqualTo("Nov 22, 2026 21:00:05 UTC");
        assertThat(doc.json().fieldNames()).toIterable().startsWith("time");
    }

    @Test
    void playsInOrderAndLoopsAtTheEnd() {
        List<PriceDocument> recorded = List.of(recorded("100"), recorded("101"), recorded("102"));
        ReplaySource source = new ReplaySource(recorded, clock);

        List<Double> played = List.of(usd(source.fetch()), usd(source.fetch()), usd(source.fetch()), usd(source.fetch()));

        assertThat(played).containsExactly(100.0, 101.0, 102.0, 100.0);
    }

    @Test
    void leavesTheRecordingUntouched() {
        PriceDocument original = recorded("100");
        ObjectNode before = original.json().deepCopy();
        ReplaySource source = new ReplaySource(List.of(original), clock);

        source.fetch();

        assertThat(original.json()).isEqualTo(before);
    }

    private static PriceDocument recorded(String usd) {
        ObjectNode doc = BpiDocuments.document(Instant.parse("2026-11-22T19:30:00Z"), "test",
                Map.of(BpiCurrency.USD, new BigDecimal(usd)));
        return PriceDocument.of(doc);
    }

    private static double usd(PriceDocument doc) {
        return doc.prices().get("USD");
    }
}
