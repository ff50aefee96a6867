package io.pushgate.feeder.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CoinbaseSpotParserTest {

    private final CoinbaseSpotParser parser = new CoinbaseSpotParser(new ObjectMapper());

    @Test
    void readsTheAmountOfTheRecordedAnswer() throws IOException {
        assertThat(parser.parse(resource("coinbase/spot-USD.json"), BpiCurrency.USD)).isEqualByComparingTo("43123.45");
        assertThat(parser.parse(resource("coinbase/spot-EUR.json"), BpiCurrency.EUR)).isEqualByComparingTo("39608.89");
    }

    @Test
    void keepsTheAmountExact() {
        BigDecimal amount = parser.parse("{\"data\":{\"amount\":\"0.10\",\"base\":\"BTC\",\"currency\":\"GBP\"}}", BpiCurrency.GBP);

        assertThat(amount).isEqualTo(new BigDecimal("0.10"));
    }

    @Test
    void rejectsAnotherPair() {
        assertThatThrownBy(() -> parser.parse("{\"data\":{\"amount\":\"2300.1\",\"base\":\"ETH\",\"currency\":\"USD\"}}", BpiCurrency.USD))
                .isInstanceOf(MalformedDocumentException.class).hasMessageContaining("BTC-USD");
        assertThatThrownBy(() -> parser.parse(resourceUnchecked("coinbase/spot-USD.json"), BpiCurrency.EUR))
                .isInstanceOf(MalformedDocumentException.class);
    }

    @Test
    void rejectsMissingOrBadAmounts() {
        assertThatThrownBy(() -> parser.parse("{\"data\":{\"base\":\"BTC\",\"currency\":\"USD\"}}", BpiCurrency.USD))
                .isInstanceOf(MalformedDocumentException.class);
        assertThatThrownBy(() -> parser.parse("{\"data\":{\"amount\":\"-1\",\"base\":\"BTC\",\"currency\":\"USD\"}}", BpiCurrency.USD))
                .isInstanceOf(MalformedDocumentException.class).hasMessageContaining("positive");
        assertThatThrownBy(() -> parser.parse("<html>502 Bad Gateway</html>", BpiCurrency.USD))
                .isInstanceOf(MalformedDocumentException.class).hasMessageContaining("not JSON");
    }

    static String resource(String name) throws IOException {
        try (InputStream in = CoinbaseSpotParserTest.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String resourceUnchecked(String name) {
        try {
            return resource(name);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
