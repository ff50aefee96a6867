package io.pushgate.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.ProtocolException;
import org.junit.jupiter.api.Test;

/** The field readers and their INVALID messages, which clients see in {@code error}s. */
class RequestFieldsTest {

    private static final JsonNode REQUEST = Json.parse("{\"s\":\"x\",\"n\":5,\"big\":1e30,\"f\":1.5,\"nul\":null}");

    @Test
    void textIsAStringThatIsThere() {
        assertThat(RequestFields.text(REQUEST, "s")).isEqualTo("x");
        assertInvalid(() -> RequestFields.text(REQUEST, "none"), "missing field 'none'");
        assertInvalid(() -> RequestFields.text(REQUEST, "nul"), "missing field 'nul'");
        assertInvalid(() -> RequestFields.text(REQUEST, "n"), "field 'n' must be a string");
        assertThat(RequestFields.optionalText(REQUEST, "nul")).isNull();
        assertThat(RequestFields.optionalText(REQUEST, "none")).isNull();
        assertInvalid(() -> RequestFields.optionalText(REQUEST, "n"), "field 'n' must be a string");
    }

    @Test
    void requiredMayBeNullButMustBeThere() {
        assertThat(RequestFields.required(REQUEST, "nul").isNull()).isTrue();
        assertInvalid(() -> RequestFields.required(REQUEST, "none"), "missing field 'none'");
    }

    @Test
    void longFieldIsAnIntegerInRange() {
        assertThat(RequestFields.longField(REQUEST, "n", true)).isEqualTo(5L);
        assertThat(RequestFields.longField(REQUEST, "none", false)).isNull();
        assertThat(RequestFields.longField(REQUEST, "nul", false)).isNull();
        assertInvalid(() -> RequestFields.longField(REQUEST, "none", true), "missing field 'none'");
        assertInvalid(() -> RequestFields.longField(REQUEST, "f", false), "field 'f' must be an integer");
        assertInvalid(() -> RequestFields.longField(REQUEST, "big", false), "field 'big' must be an integer");
        assertInvalid(() -> RequestFields.longField(REQUEST, "s", false), "field 's' must be an integer");
    }

    private static void assertInvalid(Runnable read, String message) {
        assertThatThrownBy(read::run).isInstanceOf(ProtocolException.class).hasMessage(message)
                .satisfies(e -> assertThat(((ProtocolException) e).code()).isEqualTo(ErrorCode.INVALID));
    }
}
