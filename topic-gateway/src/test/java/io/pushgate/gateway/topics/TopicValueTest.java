package io.pushgate.gateway.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushgate.protocol.Json;
import io.pushgate.protocol.ProtocolException;
import io.pushgate.protocol.TopicType;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TopicValueTest {

    @Test
    void eachTypeKeepsACanonicalTextThatReadsBack() {
        assertThat(TopicValue.fromJson(TopicType.JSON, Json.parse("{ \"a\" : [1, 2.50] }")).text()).isEqualTo("{\"a\":[1,2.50]}");
        assertThat(TopicValue.fromJson(TopicType.STRING, Json.parse("\"héllo\"")).text()).isEqualTo("héllo");
        assertThat(TopicValue.fromJson(TopicType.INT64, Json.parse("-42")).text()).isEqualTo("-42");
        assertThat(TopicValue.fromJson(TopicType.DOUBLE, Json.parse("2")).json().doubleValue()).isEqualTo(2.0);
        assertThat(TopicValue.fromBody(TopicType.BINARY, new byte[] {0, 1}, false).text()).isEqualTo("AAE=");
        for (TopicType type : new TopicType[] {TopicType.JSON, TopicType.STRING, TopicType.INT64, TopicType.DOUBLE, TopicType.BINARY}) {
            TopicValue v = TopicValue.fromJson(type, Json.parse(switch (type) {
                case JSON -> "{\"k\":true}";
                case STRING -> "\"s\"";
                case INT64 -> "7";
                case DOUBLE -> "7.25";
                default -> "\"AAE=\"";
            }));
            assertThat(TopicValue.fromText(type, v.text())).isEqualTo(v);
        }
    }

    @Test
    void wrongTypesAreInvalidWithAClearMessage() {
        assertThatThrownBy(() -> TopicValue.fromJson(TopicType.STRING, Json.parse("5")))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("STRING topic takes a string");
        assertThatThrownBy(() -> TopicValue.fromJson(TopicType.INT64, Json.parse("5.5")))
                .hasMessageContaining("integer");
        assertThatThrownBy(() -> TopicValue.fromJson(TopicType.INT64, Json.parse("99999999999999999999")))
                .hasMessageContaining("integer");
        assertThatThrownBy(() -> TopicValue.fromJson(TopicType.DOUBLE, Json.parse("1e999")))
                .hasMessageContaining("range");
        assertThatThrownBy(() -> TopicValue.fromJson(TopicType.BINARY, Json.parse("\"%%%\"")))
                .hasMessageContaining("base64");
        assertThatThrownBy(() -> TopicValue.fromJson(TopicType.TIME_SERIES, Json.parse("1")))
                .hasMessageContaining("append");
        assertThatThrownBy(() -> TopicValue.fromBody(TopicType.JSON, "{".getBytes(StandardCharsets.UTF_8), true))
                .hasMessageContaining("JSON");
    }

    @Test
    void specsAreCanonicalAndValidated() {
        TopicSpec a = TopicSpec.parse(Json.parse("{\"type\":\"json\",\"properties\":{\"PUBLISH_VALUES_ONLY\":true,\"CONFLATION\":\"off\"}}"));
        TopicSpec b = TopicSpec.parse(Json.parse("{\"properties\":{\"CONFLATION\":\"off\",\"PUBLISH_VALUES_ONLY\":\"true\"},\"type\":\"JSON\"}"));
        assertThat(a).isEqualTo(b);
        assertThat(a.canonicalJson()).isEqualTo(b.canonicalJson());
        assertThat(a.allowsDeltas()).isFalse();
        assertThatThrownBy(() -> TopicSpec.parse(Json.parse("{\"type\":\"JSON\",\"properties\":{\"COLOUR\":\"red\"}}")))
                .hasMessageContaining("unknown property 'COLOUR'");
        assertThatThrownBy(() -> TopicSpec.parse(Json.parse("{\"type\":\"TIME_SERIES\"}"))).hasMessageContaining("eventType");
        assertThatThrownBy(() -> TopicSpec.parse(Json.parse("{\"type\":\"JSON\",\"properties\":{\"CONFLATION\":\"sometimes\"}}")))
                .hasMessageContaining("CONFLATION");
        assertThat(TopicSpec.parse(Json.parse("\"STRING\"")).type()).isEqualTo(TopicType.STRING);
    }
}
