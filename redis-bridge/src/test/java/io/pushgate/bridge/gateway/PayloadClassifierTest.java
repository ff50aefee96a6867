package io.pushgate.bridge.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pushgate.bridge.gateway.GatewayUpdate.TopicType;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PayloadClassifierTest {

    private final PayloadClassifier classifier = new PayloadClassifier(new ObjectMapper());

    private TopicType classify(String text) {
        return classifier.classify(text.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"bpi\":{\"USD\":{\"rate_float\":43123.45}}}", "[1,2]", "42", "\"quoted\"", "true", "null", " {\"a\":1}\n"})
    void oneCompleteJsonValueIsJson(String payload) {
        assertThat(classify(payload)).isEqualTo(TopicType.JSON);
    }

    @ParameterizedTest
    @ValueSource(strings = {"hello", "", "   ", "{\"a\":1} trailing", "{\"a\":1}{\"b\":2}", "{\"a\":", "43,123.45", "€ 39 608,89"})
    void otherTextIsString(String payload) {
        assertThat(classify(payload)).isEqualTo(TopicType.STRING);
    }

    @Test
    void bytesThatAreNotUtf8AreBinary() {
        assertThat(classifier.classify(new byte[] {0, (byte) 0xFF, (byte) 0xC3, 0x28})).isEqualTo(TopicType.BINARY);
    }
}
