package io.pushgate.feeder.sources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BpiDocumentsTest {

    @Test
    void formatsRatesAsCoindeskDid() {
        assertThat(BpiDocuments.formatRate(new BigDecimal("43123.45"))).isEqualTo("43,123.4500");
        assertThat(BpiDocuments.formatRate(new BigDecimal("999.5"))).isEqualTo("999.5000");
        assertThat(BpiDocuments.formatRate(new BigDecimal("0.1"))).isEqualTo("0.1000");
        assertThat(BpiDocuments.formatRate(new BigDecimal("1234567.89"))).isEqualTo("1,234,567.8900");
    }

    @Test
    void roundsRatesHalfUpToFourDecimals() {
        assertThat(BpiDocuments.formatRate(new BigDecimal("43123.45675"))).isEqualTo("43,123.4568");
        assertThat(BpiDocuments.formatRate(new BigDecimal("43123.45674"))).isEqualTo("43,123.4567");
    }

    @Test
    void timeFieldsInWinterSayGmt() {
        ObjectNode time = BpiDocuments.time(Instant.parse("2026-11-22T20:15:00.750Z"));

        assertThat(time.get("updated").asText()).isEqualTo("Nov 22, 2026 20:15:00 UTC");
        assertThat(time.get("updatedISO").asText()).isEqualTo("2026-11-22T20:15:00+00:00");
        assertThat(time.get("updateduk").asText()).isEqualTo("Nov 22, 2026 at 20:15 GMT");
    }

    @Test
    void ukTimeIsLondonWallClockSoSummerSaysBst() {
        ObjectNode time = BpiDocuments.time(Instant.parse("2026-07-08T07:53:00Z"));

        assertThat(time.get("updated").asText()).isEqualTo("Jul 8, 2026 07:53:00 UTC");
        assertThat(time.get("updateduk").asText()).isEqualTo("Jul 8, 2026 at 08:53 BST");
    }

    @Test
    void currencyEntryCarriesCodeSymbolRateDescriptionAndFloat() {
        ObjectNode gbp = BpiDocuments.currency(BpiCurrency.GBP, new BigDecimal("34084.79"));

        assertThat(gbp.toString()).isEqualTo("{\"code\":\"GBP\",\"symbol\":\"&pound;\",\"rate\":\"34,084.7900\","
                + "\"description\":\"British Pound Sterling\",\"rate_float\":34084.79}");
    }
}
