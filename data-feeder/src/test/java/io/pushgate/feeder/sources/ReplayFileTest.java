package io.pushgate.feeder.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ReplayFileTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static List<PriceDocument> recording;

    @BeforeAll
    static void load() {
        recording = ReplayFile.load(MAPPER, "replay/btc-bpi.jsonl");
    }

    @Test
    void holdsAFewHundredDocumentsMarkedAsReplay() {
        assertThat(recording).hasSizeBetween(200, 1000);
        assertThat(recording).allSatisfy(doc -> assertThat(doc.source()).isEqualTo("replay"));
    }

    @Test
    void everyDocumentHasTheBpiShape() {
        assertThat(recording).allSatisfy(doc -> {
            JsonNode json = doc.json();
            assertThat(json.path("chartName").asText()).isEqualTo("Bitcoin");
            assertThat(json.path("disclaimer").asText()).contains("not market data");
            assertThat(json.path("time").path("updated").asText()).matches("[A-Z][a-z]{2} \\d{1,2}, \\d{4} \\d{2}:\\d{2}:\\d{2} UTC");
            assertThat(json.path("time").path("updateduk").asText()).matches("[A-Z][a-z]{2} \\d{1,2}, \\d{4} at \\d{2}:\\d{2} (GMT|BST)");
            assertThat(doc.prices().keySet()).containsExactly("USD", "GBP", "EUR");
            for (BpiCurrency currency : BpiCurrency.values()) {
                JsonNode entry = json.path("bpi").path(currency.code());
                assertThat(entry.path("code").asText()).isEqualTo(currency.code());
                assertThat(entry.path("symbol").asText()).isEqualTo(currency.symbol());
                assertThat(entry.path("description").asText()).isEqualTo(currency.description());
                assertThat(entry.path("rate").asText())
                        .isEqualTo(BpiDocuments.formatRate(BigDecimal.valueOf(entry.path("rate_float").doubleValue())));
            }
        });
    }

    @Test
    void documentsAreTenSecondsApart() {
        for (int i = 1; i < recording.size(); i++) {
            assertThat(Duration.between(updated(recording.get(i - 1)), updated(recording.get(i)))).hasSeconds(10);
        }
    }

    @Test
    void pricesMoveLikeBitcoin() {
        for (PriceDocument doc : recording) {
            double usd = doc.prices().get("USD");
            assertThat(usd).isBetween(10_000.0, 200_000.0);
            // GBP and EUR are the USD price at a plausible cross rate.
            assertThat(doc.prices().get("GBP") / usd).isBetween(0.70, 0.90);
            assertThat(doc.prices().get("EUR") / usd).isBetween(0.80, 1.00);
        }
        int moved = 0;
        for (int i = 1; i < recording.size(); i++) {
            double before = recording.get(i - 1).prices().get("USD");
            double after = recording.get(i).prices().get("USD");
            // No step of ten seconds moves more than 1 %, and the price does move.
            assertThat(Math.abs(after / before - 1)).isLessThan(0.01);
            if (after != before) {
                moved++;
            }
        }
        assertThat(moved).isEqualTo(recording.size() - 1);
    }

    @Test
    void aBadLineIsNamed() {
        String lines = "{\"time\":{},\"bpi\":{\"USD\":{\"rate_float\":1.0}}}\n\n{\"time\":{},\"bpi\":{}}\n";

        assertThatThrownBy(() -> ReplayFile.parse(MAPPER, new BufferedReader(new StringReader(lines)), "test.jsonl"))
                .hasMessageContaining("test.jsonl line 3");
    }

    @Test
    void aMissingResourceIsAClearError() {
        assertThatThrownBy(() -> ReplayFile.load(MAPPER, "replay/nope.jsonl")).hasMessageContaining("replay/nope.jsonl");
    }

    private static Instant updated(PriceDocument doc) {
        return OffsetDateTime.parse(doc.json().path("time").path("updatedISO").asText()).toInstant();
    }
}
