package io.pushgate.protocol.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.protocol.CloseCodes;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.message.MessageCodec;
import io.pushgate.protocol.message.ServerMessage;
import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** close-codes.json against {@link CloseCodes}, errors.json against {@link ErrorCode}: the same codes, names and decisions. */
class CloseCodesAndErrorsVectorsTest {

    @Test
    void everyCloseCodeReconnectsAsTheVectorSays() {
        for (JsonNode c : Vectors.cases(Vectors.CLOSE_CODES)) {
            int code = c.path("code").asInt();
            assertThat(CloseCodes.shouldReconnect(code)).as("%s", c).isEqualTo(c.path("shouldReconnect").asBoolean());
        }
    }

    @Test
    void everyConstantOfCloseCodesIsAVectorOfTheSameName() throws IllegalAccessException {
        Set<String> vectors = new HashSet<>();
        for (JsonNode c : Vectors.cases(Vectors.CLOSE_CODES)) {
            if (c.has("name")) {
                vectors.add(c.path("name").asText() + "=" + c.path("code").asInt());
            }
        }
        for (Field f : CloseCodes.class.getFields()) {
            assertThat(vectors).contains(f.getName() + "=" + f.getShort(null));
        }
    }

    @Test
    void everyErrorCodeHasOneVectorWithItsStatusAndAnExampleThatDecodes() {
        List<JsonNode> cases = Vectors.cases(Vectors.ERRORS);
        assertThat(cases.stream().map(c -> c.path("code").asText()).collect(Collectors.toList()))
                .containsExactlyElementsOf(Arrays.stream(ErrorCode.values()).map(Enum::name).collect(Collectors.toList()));
        for (JsonNode c : cases) {
            ErrorCode code = ErrorCode.valueOf(c.path("code").asText());
            assertThat(code.httpStatus()).isEqualTo(c.path("httpStatus").asInt());
            ServerMessage.Error example = (ServerMessage.Error) MessageCodec.decodeServer(c.path("example").asText());
            assertThat(example.errorCode()).isEqualTo(code);
            assertThat(example.message()).isEqualTo(c.path("rest").path("message").asText());
        }
    }
}
