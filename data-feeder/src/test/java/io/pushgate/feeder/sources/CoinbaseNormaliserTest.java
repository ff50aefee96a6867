package io.pushgate.feeder.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CoinbaseNormaliserTest {

    private static final Instant AT = Instant.parse("2026-11-22T20:15:00Z");

    @Test
    void buildsTheCoindeskBpiShape() throws Exception {
        ObjectNode doc = CoinbaseNormaliser.normalise(Map.of(
                BpiCurrency.USD, new BigDecimal("43123.45"),
                BpiCurrency.EUR, new BigDecimal("39608.89"),
                BpiCurrency.GBP, new BigDecimal("34084.79")), AT);

        String expected = """
                {"time":{"updated":"Nov 22, 2026 20:15:00 UTC","updatedISO":"2026-11-22T20:15:00+00:00",
                  "updateduk":"Nov 22, 2026 at 20:15 GMT"},
                 "disclaimer":"%s",
                 "chartName":"Bitcoin",
                 "bpi":{
                  "USD":{"code":"USD","symbol":"&#36;","rate":"43,123.4500","description":"United States Dollar","rate_float":43123.45},
                  "GBP":{"code":"GBP","symbol":"&pound;","rate":"34,084.7900","description":"British Pound Sterling","rate_float":34084.79},
                  "EUR":{"code":"EUR","symbol":"&euro;","rate":"39,608.8900","description":"Euro","rate_float":39608.89}},
                 "source":"coinbase"}
                """.formatted(CoinbaseNormaliser.DISCLAIMER);
        assertThat(doc).isEqualTo(new ObjectMapper().readTree(expected));
    }

    @Test
    void listsFieldsAndCurrenciesInCoindesksOrder() {
        ObjectNode doc = CoinbaseNormaliser.normalise(Map.of(
                BpiCurrency.EUR, BigDecimal.ONE, BpiCurrency.GBP, BigDecimal.ONE, BpiCurrency.USD, BigDecimal.ONE), AT);

        assertThat(doc.fieldNames()).toIterable().containsExactly("time", "disclaimer", "chartName", "bpi", "source");
        assertThat(doc.get("bpi").fieldNames()).toIterable().containsExactly("USD", "GBP", "EUR");
    }

    @Test
    void pricesOfTheDocumentAreTheAmounts() {
        PriceDocument doc = PriceDocument.of(CoinbaseNormaliser.normalise(Map.of(
                BpiCurrency.USD, new BigDecimal("43123.45"),
                BpiCurrency.GBP, new BigDecimal("34084.79"),
                BpiCurrency.EUR, new BigDecimal("39608.89")), AT));

        assertThat(doc.prices()).containsExactly(
                Map.entry("USD", 43123.45), Map.entry("GBP", 34084.79), Map.entry("EUR", 39608.89));
        assertThat(doc.source()).isEqualTo("coinbase");
    }

    @Test
    void needsAllThreeCurrencies() {
        assertThatThrownBy(() -> CoinbaseNormaliser.normalise(Map.of(BpiCurrency.USD, BigDecimal.TEN), AT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(List.of(BpiCurrency.values())).hasSize(3);
    }
}
