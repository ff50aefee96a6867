package io.pushgate.feeder.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushgate.feeder.sources.BpiCurrency;
import io.pushgate.feeder.sources.CoinbaseNormaliser;
import io.pushgate.feeder.sources.PriceDocument;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChangeDetectorTest {

    private final ChangeDetector changes = new ChangeDetector();

    @Test
    void theFirstDocumentIsNew() {
        assertThat(changes.isNew(doc("43123.45", "10:00:00"))).isTrue();
    }

    @Test
    void samePricesAtALaterTimeAreNotNew() {
        changes.published(doc("43123.45", "10:00:00"));

        assertThat(changes.isNew(doc("43123.45", "10:00:10"))).isFalse();
        assertThat(changes.isNew(doc("43123.450", "10:00:20"))).isFalse();
    }

    @Test
    void anyChangedPriceIsNew() {
        changes.published(doc("43123.45", "10:00:00"));

        assertThat(changes.isNew(doc("43123.46", "10:00:10"))).isTrue();
    }

    @Test
    void aDocumentIsComparedWithTheLastPublishedNotTheLastSeen() {
        changes.published(doc("43123.45", "10:00:00"));
        changes.isNew(doc("43200.00", "10:00:10"));

        assertThat(changes.isNew(doc("43200.00", "10:00:20"))).isTrue();
    }

    private static PriceDocument doc(String usd, String time) {
        return PriceDocument.of(CoinbaseNormaliser.normalise(Map.of(
                BpiCurrency.USD, new BigDecimal(usd),
                BpiCurrency.GBP, new BigDecimal("34084.79"),
                BpiCurrency.EUR, new BigDecimal("39608.89")), Instant.parse("2026-11-22T" + time + "Z")));
    }
}
