package io.pushgate.backend.prices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BpiParserTest {

    /** CoinDesk's currentprice.json as the data-feeder passes it through (source "coindesk"). */
    static final String COINDESK = """
            {"time":{"updated":"Nov 22, 2026 20:15:00 UTC","updatedISO":"2026-11-22T20:15:00+00:00","updateduk":"Nov 22, 2026 at 20:15 GMT"},
             "disclaimer":"This data was produced from the CoinDesk Bitcoin Price Index (USD).","chartName":"Bitcoin",
             "bpi":{"USD":{"code":"USD","symbol":"&#36;","rate":"43,123.4500","description":"United States Dollar","rate_float":43123.45},
                    "GBP":{"code":"GBP","symbol":"&pound;","rate":"34,084.7869","description":"British Pound Sterling","rate_float":34084.7869},
                    "EUR":{"code":"EUR","symbol":"&euro;","rate":"39,608.8896","description":"Euro","rate_float":39608.8896}},
             "source":"coindesk"}""";

    private final BpiParser parser = new BpiParser();

    @Test
    void normalisesACoindeskDocument() {
        BpiDocument doc = parser.parse(COINDESK);

        assertThat(doc.rates()).containsOnlyKeys("USD", "GBP", "EUR");
        assertThat(doc.rate("USD")).isEqualByComparingTo("43123.45");
        assertThat(doc.time()).isEqualTo(Instant.parse("2026-11-22T20:15:00Z"));
        ObjectNode n = doc.normalised();
        assertThat(n.has("disclaimer")).isFalse();
        assertThat(n.path("time").path("updatedISO").asText()).isEqualTo("2026-11-22T20:15:00+00:00");
        assertThat(n.path("time").path("updateduk").asText()).isEqualTo("Nov 22, 2026 at 20:15 GMT");
        assertThat(n.path("bpi").path("USD").path("rate").asText()).isEqualTo("43,123.4500");
        assertThat(n.path("bpi").path("USD").path("symbol").asText()).isEqualTo("&#36;");
        assertThat(n.path("bpi").path("GBP").path("rate_float").decimalValue()).isEqualByComparingTo("34084.7869");
        assertThat(n.path("source").asText()).isEqualTo("coindesk");
        assertThat(n.path("chartName").asText()).isEqualTo("Bitcoin");
        // the raw document is kept as it came, disclaimer included
        assertThat(doc.raw().path("disclaimer").asText()).startsWith("This data");
    }

    @Test
    void keepsRatesExactly() {
        BpiDocument doc = parser.parse("{\"time\":{},\"bpi\":{\"USD\":{\"rate_float\":0.1000000000000000055511151231257827}}}");
        assertThat(doc.rate("USD")).isEqualTo(new BigDecimal("0.1000000000000000055511151231257827"));
    }

    @Test
    void takesTheRateFromItsTextWhenThereIsNoNumber() {
        BpiDocument doc = parser.parse("{\"time\":{\"updatedISO\":\"2026-11-22T20:15:00+00:00\"},\"bpi\":{\"usd\":{\"rate\":\"43,123.4500\"}}}");
        assertThat(doc.rate("USD")).isEqualByComparingTo("43123.45");
        assertThat(doc.normalised().path("bpi").path("USD").path("code").asText()).isEqualTo("USD");
        assertThat(doc.normalised().path("bpi").path("USD").path("rate_float").isNumber()).isTrue();
    }

    @Test
    void formatsTheRateTextWhenThereIsOnlyANumber() {
        BpiDocument doc = parser.parse("{\"bpi\":{\"USD\":{\"rate_float\":1234567.891}}}");
        assertThat(doc.normalised().path("bpi").path("USD").path("rate").asText()).isEqualTo("1,234,567.8910");
        assertThat(doc.normalised().path("source").asText()).isEqualTo("unknown");
        assertThat(doc.time()).isNull();
    }

    @Test
    void readsCoindesksUpdatedWhenThereIsNoIsoTime() {
        BpiDocument doc = parser.parse("{\"time\":{\"updated\":\"Nov 2, 2026 09:05:07 UTC\"},\"bpi\":{\"USD\":{\"rate_float\":1}}}");
        assertThat(doc.time()).isEqualTo(Instant.parse("2026-11-02T09:05:07Z"));
        assertThat(doc.normalised().path("time").path("updatedISO").asText()).isEqualTo("2026-11-02T09:05:07+00:00");
    }

    @Test
    void acceptsAnIsoTimeInZuluOrAnotherOffset() {
        assertThat(parser.parse("{\"time\":{\"updatedISO\":\"2026-11-22T21:15:00+01:00\"},\"bpi\":{\"USD\":{\"rate_float\":1}}}").time())
                .isEqualTo(Instant.parse("2026-11-22T20:15:00Z"));
        assertThat(parser.parse("{\"time\":{\"updatedISO\":\"2026-11-22T20:15:00Z\"},\"bpi\":{\"USD\":{\"rate_float\":1}}}").time())
                .isEqualTo(Instant.parse("2026-11-22T20:15:00Z"));
    }

    @Test
    void refusesWhatIsNotAPriceDocument() {
        assertThatThrownBy(() -> parser.parse("not json")).isInstanceOf(InvalidDocumentException.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> parser.parse("[1,2]")).isInstanceOf(InvalidDocumentException.class);
        assertThatThrownBy(() -> parser.parse("{\"time\":{}}")).hasMessageContaining("bpi");
        assertThatThrownBy(() -> parser.parse("{\"bpi\":{}}")).hasMessageContaining("bpi");
        assertThatThrownBy(() -> parser.parse("{\"bpi\":{\"USD\":{\"code\":\"USD\"}}}")).hasMessageContaining("neither rate_float nor rate");
        assertThatThrownBy(() -> parser.parse("{\"bpi\":{\"USD\":{\"rate\":\"lots\"}}}")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> parser.parse("{\"bpi\":{\"USD\":{\"rate_float\":-3}}}")).hasMessageContaining("rate of -3");
        assertThatThrownBy(() -> parser.parse("{\"bpi\":{\"US D\":{\"rate_float\":3}}}")).hasMessageContaining("currency code");
        assertThatThrownBy(() -> parser.parse("{\"bpi\":{\"USD\":3}}")).hasMessageContaining("not an object");
    }

    @Test
    void comparesRatesWhateverTheirScale() {
        BpiDocument a = parser.parse("{\"bpi\":{\"USD\":{\"rate_float\":43000.5},\"EUR\":{\"rate_float\":1}}}");
        BpiDocument b = parser.parse("{\"bpi\":{\"USD\":{\"rate_float\":43000.50},\"EUR\":{\"rate_float\":1.0}}}");
        BpiDocument c = parser.parse("{\"bpi\":{\"USD\":{\"rate_float\":43000.51},\"EUR\":{\"rate_float\":1}}}");
        assertThat(a.sameRatesAs(b.rates())).isTrue();
        assertThat(a.sameRatesAs(c.rates())).isFalse();
    }
}
