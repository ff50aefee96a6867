package io.pushgate.backend.prices;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.protocol.Json;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class PriceChangeTest {

    @Test
    void isExactInDecimals() {
        ObjectNode change = PriceChange.of("USD", new BigDecimal("43000.5"), new BigDecimal("43123.45"));
        assertThat(Json.write(change)).isEqualTo("{\"currency\":\"USD\",\"previous\":43000.5,\"absolute\":122.95,\"percent\":0.2859}");
    }

    @Test
    void isNegativeWhenThePriceFalls() {
        ObjectNode change = PriceChange.of("USD", new BigDecimal("100"), new BigDecimal("99.5"));
        assertThat(change.path("absolute").decimalValue()).isEqualByComparingTo("-0.5");
        assertThat(change.path("percent").decimalValue()).isEqualByComparingTo("-0.5");
    }

    @Test
    void theFirstPriceHasNoPrevious() {
        ObjectNode change = PriceChange.of("USD", null, new BigDecimal("43123.45"));
        assertThat(change.get("previous").isNull()).isTrue();
        assertThat(change.path("absolute").decimalValue()).isZero();
        assertThat(change.path("percent").decimalValue()).isZero();
    }
}
