package io.pushgate.feeder.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class CoindeskParserTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final CoindeskParser parser = new CoindeskParser(mapper);

    @Test
    void passesTheDocumentThroughAddingOnlyItsSource() throws Exception {
        String recorded = CoinbaseSpotParserTest.resource("coindesk/currentprice.json");

        PriceDocument doc = parser.parse(recorded);

        ObjectNode expected = (ObjectNode) mapper.readTree(recorded);
        expected.put("source", "coindesk");
        assertThat(doc.json()).isEqualTo(expected);
        assertThat(doc.json().toString()).startsWith(recorded.strip().substring(0, recorded.strip().length() - 1));
        assertThat(doc.prices()).containsEntry("USD", 43123.45).containsEntry("GBP", 34084.7869).containsEntry("EUR", 39608.8896);
        assertThat(doc.source()).isEqualTo("coindesk");
    }

    @Test
    void overwritesASourceTheUpstreamClaims() {
        PriceDocument doc = parser.parse("{\"time\":{},\"bpi\":{\"USD\":{\"rate_float\":1.5}},\"source\":\"replay\"}");

        assertThat(doc.source()).isEqualTo("coindesk");
    }

    @Test
    void rejectsWhatIsNotABpiDocument() {
        assertThatThrownBy(() -> parser.parse("{\"time\":{}}")).isInstanceOf(MalformedDocumentException.class)
                .hasMessageContaining("bpi");
        assertThatThrownBy(() -> parser.parse("{\"bpi\":{\"USD\":{\"rate_float\":1.5}}}"))
                .isInstanceOf(MalformedDocumentException.class).hasMessageContaining("time");
        assertThatThrownBy(() -> parser.parse("{\"time\":{},\"bpi\":{\"USD\":{\"rate_float\":\"1.5\"}}}"))
                .isInstanceOf(MalformedDocumentException.class).hasMessageContaining("rate_float");
        assertThatThrownBy(() -> parser.parse("[1,2]")).isInstanceOf(MalformedDocumentException.class);
        assertThatThrownBy(() -> parser.parse("Service Unavailable")).isInstanceOf(MalformedDocumentException.class);
    }
}
