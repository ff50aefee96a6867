package io.pushgate.protocol.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.delta.FossilDelta;
import io.pushgate.protocol.delta.JsonPatchDelta;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** deltas.json: protocol's delta classes make exactly the listed deltas, and applying them gives the new value. */
class DeltaVectorsTest {

    static Stream<Named<JsonNode>> cases() {
        return Vectors.cases(Vectors.DELTAS).stream().map(c -> Named.of(c.path("name").asText(), c));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void theDeltasAreTheGatewaysAndApplyingThemGivesTheNewValue(JsonNode c) {
        String oldText = c.path("oldText").asText();
        String newText = c.path("newText").asText();
        if (c.path("type").asText().equals("JSON")) {
            assertThat(Json.write(c.path("old"))).isEqualTo(oldText);
            assertThat(Json.write(c.path("new"))).isEqualTo(newText);
            assertThat(JsonPatchDelta.diff(c.path("old"), c.path("new"))).isEqualTo(c.path("jsonPatch"));
            assertThat(JsonPatchDelta.apply(c.path("jsonPatch"), c.path("old"))).isEqualTo(c.path("new"));
        } else {
            assertThat(c.path("old").asText()).isEqualTo(oldText);
            assertThat(c.has("jsonPatch")).as("a STRING topic gets no JSON patch").isFalse();
        }
        String fossil = c.path("fossil").asText();
        assertThat(FossilDelta.createText(oldText, newText)).isEqualTo(fossil);
        assertThat(Base64.getDecoder().decode(c.path("fossilBase64").asText())).isEqualTo(fossil.getBytes(StandardCharsets.UTF_8));
        assertThat(FossilDelta.applyText(oldText, fossil)).isEqualTo(newText);
        byte[] applied = FossilDelta.apply(oldText.getBytes(StandardCharsets.UTF_8), fossil.getBytes(StandardCharsets.UTF_8));
        assertThat(new String(applied, StandardCharsets.UTF_8)).isEqualTo(newText);
    }
}
