package io.pushgate.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.ProtocolException;
import io.pushgate.protocol.vectors.Vectors;
import java.lang.reflect.RecordComponent;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** messages.json: every message decodes to its record with the listed components, and encodes back to the same text. */
class MessageCodecVectorsTest {

    static Stream<Named<JsonNode>> toClient() {
        return Vectors.cases(Vectors.MESSAGES, "toClient").stream().map(c -> Named.of(c.path("name").asText(), c));
    }

    static Stream<Named<JsonNode>> toGateway() {
        return Vectors.cases(Vectors.MESSAGES, "toGateway").stream().map(c -> Named.of(c.path("name").asText(), c));
    }

    @ParameterizedTest
    @MethodSource("toClient")
    void aGatewayMessageDecodesToItsRecordAndEncodesBackToTheSameText(JsonNode vector) {
        String json = vector.path("json").asText();
        ServerMessage message = MessageCodec.decodeServer(json);
        assertThat(recordName(message)).isEqualTo(vector.path("record").asText());
        assertComponents(message, vector.path("decoded"));
        assertThat(MessageCodec.encode(message)).isEqualTo(json);
    }

    @ParameterizedTest
    @MethodSource("toGateway")
    void aRequestDecodesToItsRecordAndEncodesBackToTheSameText(JsonNode vector) {
        String json = vector.path("json").asText();
        ClientMessage message = MessageCodec.decodeClient(json);
        assertThat(recordName(message)).isEqualTo(vector.path("record").asText());
        assertComponents(message, vector.path("decoded"));
        assertThat(MessageCodec.encode(message)).isEqualTo(json);
    }

    @Test
    void unknownFieldsAreIgnoredAndTheTypedAccessorsReadTheExtension() {
        ServerMessage.Ok ok = (ServerMessage.Ok) MessageCodec.decodeServer("{\"type\":\"ok\",\"id\":\"s\",\"tids\":[3,5],\"seq\":9}");
        assertThat(ok.tids()).containsExactly(3L, 5L);
        assertThat(ok.seq()).hasValue(9);
        ServerMessage.Subscription sub = (ServerMessage.Subscription) MessageCodec.decodeServer(
                "{\"type\":\"subscription\",\"topic\":\"a\",\"tid\":1,\"spec\":{\"type\":\"JSON\"},\"later\":true}");
        assertThat(sub.selectors()).isNull();
    }

    @Test
    void notAnObjectOrAMissingFieldIsInvalid() {
        assertThatThrownBy(() -> MessageCodec.decodeServer("[1]")).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> MessageCodec.decodeServer("{\"type\":\"value\",\"seq\":1}")).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("tid");
        assertThatThrownBy(() -> MessageCodec.decodeClient("{\"op\":\"subscribe\"}")).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("selector");
        assertThatThrownBy(() -> MessageCodec.decodeClient("not json")).isInstanceOf(ProtocolException.class);
    }

    private static String recordName(Object message) {
        Class<?> type = message.getClass();
        return type.getEnclosingClass().getSimpleName() + "." + type.getSimpleName();
    }

    /** Each component of the record equals the vector's field of that name (null when the vector leaves it out). */
    private static void assertComponents(Record message, JsonNode decoded) {
        ObjectNode actual = Json.MAPPER.createObjectNode();
        for (RecordComponent component : message.getClass().getRecordComponents()) {
            Object value;
            try {
                value = component.getAccessor().invoke(message);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
            if (value != null) {
                actual.set(component.getName(), Json.MAPPER.valueToTree(value));
            }
        }
        // Through text, so that a long and an int of the same value compare equal.
        assertThat(Json.parse(Json.write(actual))).isEqualTo(decoded);
    }

    private static void assertComponents(Object message, JsonNode decoded) {
        assertComponents((Record) message, decoded);
    }
}
