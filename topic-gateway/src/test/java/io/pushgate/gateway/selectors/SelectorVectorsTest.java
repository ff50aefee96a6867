package io.pushgate.gateway.selectors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.protocol.vectors.Vectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * protocol's selectors.json (the cases of the gateway's, the Java client's and the browser library's
 * tables) against the gateway's selector engine: the gateway is the one that decides, and now says
 * so in {@code subscription}'s {@code selectors}.
 */
class SelectorVectorsTest {

    static Stream<Named<JsonNode>> cases() {
        return Vectors.cases(Vectors.SELECTORS).stream()
                .map(c -> Named.of(c.path("selector").asText() + " vs " + c.path("path").asText() + " -> " + c.path("matches").asBoolean(), c));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void theGatewayMatchesAsTheVectorSays(JsonNode c) {
        assertThat(TopicSelector.parse(c.path("selector").asText()).matches(c.path("path").asText()))
                .as("%s (%s)", c.path("why").asText(""), c.path("from").asText())
                .isEqualTo(c.path("matches").asBoolean());
    }
}
