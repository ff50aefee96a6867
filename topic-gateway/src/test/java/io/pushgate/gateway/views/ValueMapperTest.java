package io.pushgate.gateway.views;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.TopicType;
import java.math.BigDecimal;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ValueMapperTest {

    private static ViewSpec view(String clauses) {
        return ViewParser.parse("map ?a// to b/<path(1)> " + clauses);
    }

    private static Optional<JsonNode> map(String json, String clauses) {
        return ValueMapper.map(Json.parse(json), view(clauses));
    }

    @Test
    void theReferenceScenarioKeepsOnlyTheDollarRate() {
        ViewSpec spec = ViewParser.parse("map ?prices/ to views/<path(1)>/usd as <value(/bpi/USD/rate_float)> "
                + "throttle to 1 update every 1 second");

        Optional<JsonNode> usd = ValueMapper.map(PathTemplateTest.COINDESK, spec);

        assertThat(usd).isPresent();
        assertThat(usd.get().decimalValue()).isEqualByComparingTo(new BigDecimal("71234.5678"));
        assertThat(Json.write(usd.get())).isEqualTo("71234.5678");
        assertThat(Json.write(usd.get()).length()).isLessThan(Json.write(PathTemplateTest.COINDESK).length() / 20);
    }

    @Test
    void withoutClausesTheValueIsTheSourceValue() {
        JsonNode doc = Json.parse("{\"a\": [1, 2]}");

        assertThat(ValueMapper.map(doc, view(""))).containsSame(doc);
        assertThat(ValueMapper.map(TextNode.valueOf("hi"), TopicType.STRING, view(""))).contains(TextNode.valueOf("hi"));
    }

    @Test
    void asSelectsAPartOfTheValue() {
        assertThat(map("{\"balance\": {\"amount\": 12.57, \"currency\": \"USD\"}}", "as <value(/balance)>"))
                .contains(Json.parse("{\"amount\": 12.57, \"currency\": \"USD\"}"));
        assertThat(map("{\"list\": [\"x\", \"y\"]}", "as <value(/list/1)>")).contains(TextNode.valueOf("y"));
        assertThat(map("{\"n\": null}", "as <value(/n)>")).contains(Json.parse("null"));
        assertThat(map("{\"n\": 1}", "as <value()>")).contains(Json.parse("{\"n\": 1}"));
    }

    @Test
    void aMissingPointerGivesNoValue() {
        assertThat(map("{\"balance\": {}}", "as <value(/balance/amount)>")).isEmpty();
        assertThat(map("[1, 2]", "as <value(/5)>")).isEmpty();
        assertThat(ValueMapper.map(null, view("as <value(/x)>"))).isEmpty();
    }

    @Test
    void asAppliesToJsonSourcesOnly() {
        assertThat(ValueMapper.map(TextNode.valueOf("{\"x\":1}"), TopicType.STRING, view("as <value(/x)>"))).isEmpty();
    }

    @ParameterizedTest(name = "{0} as {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        // JSON sources
        "71234.5678      | STRING | \"71234.5678\"",
        "42              | STRING | \"42\"",
        "\"text\"        | STRING | \"text\"",
        "1e3             | STRING | \"1000\"",
        "\"42\"          | INT64  | 42",
        "42              | INT64  | 42",
        "12.51           | INT64  | 13",
        "12.5            | INT64  | 13",
        "-12.5           | INT64  | -13",
        "\"-9223372036854775808\" | INT64 | -9223372036854775808",
        "\"3.25\"        | DOUBLE | 3.25",
        "\"1e3\"         | DOUBLE | 1000.0",
        "7               | DOUBLE | 7.0",
        "71234.5678      | DOUBLE | 71234.5678",
        "\"x\"           | JSON   | \"x\"",
        "{\"a\":1}       | JSON   | {\"a\":1}",
    })
    void aJsonValueIsConvertedWhereItCanBe(String json, TopicType type, String expected) {
        JsonNode mapped = map(json, "type " + type).orElseThrow();

        assertThat(mapped).isEqualTo(expectedNode(type, expected));
    }

    private static JsonNode expectedNode(TopicType type, String json) {
        JsonNode node = Json.parse(json);
        return switch (type) {
            case INT64 -> LongNode.valueOf(node.longValue());
            case DOUBLE -> DoubleNode.valueOf(node.doubleValue());
            default -> node;
        };
    }

    @ParameterizedTest(name = "{0} as {1} -> nothing")
    @CsvSource(delimiter = '|', value = {
        "\"abc\"         | INT64",
        "\"12.5\"        | INT64",
        "\" 12\"         | INT64",
        "\"99999999999999999999\" | INT64",
        "1e30            | INT64",
        "\"abc\"         | DOUBLE",
        "\"NaN\"         | DOUBLE",
        "\"Infinity\"    | DOUBLE",
        "\"0x10\"        | DOUBLE",
        "\"1e999\"       | DOUBLE",
        "1e999           | DOUBLE",
        "true            | STRING",
        "null            | STRING",
        "{\"a\":1}       | STRING",
        "[1]             | INT64",
        "\"AAE=\"        | BINARY",
        "{\"a\":1}       | BINARY",
    })
    void aJsonValueThatCannotBeConvertedGivesNoValue(String json, TopicType type) {
        assertThat(map(json, "type " + type)).isEmpty();
    }

    @Test
    void scalarTopicsConvertAsInDiffusionsTable() {
        ViewSpec asString = view("type STRING");
        ViewSpec asInt = view("type INT64");
        ViewSpec asDouble = view("type DOUBLE");
        ViewSpec asJson = view("type JSON");
        ViewSpec asBinary = view("type BINARY");

        assertThat(ValueMapper.map(LongNode.valueOf(123), TopicType.INT64, asDouble)).contains(DoubleNode.valueOf(123.0));
        assertThat(ValueMapper.map(LongNode.valueOf(123), TopicType.INT64, asString)).contains(TextNode.valueOf("123"));
        assertThat(ValueMapper.map(DoubleNode.valueOf(12.51), TopicType.DOUBLE, asInt)).contains(LongNode.valueOf(13));
        assertThat(ValueMapper.map(DoubleNode.valueOf(12.5), TopicType.DOUBLE, asString)).contains(TextNode.valueOf("12.5"));
        assertThat(ValueMapper.map(DoubleNode.valueOf(1e21), TopicType.DOUBLE, asString))
                .contains(TextNode.valueOf("1000000000000000000000"));
        assertThat(ValueMapper.map(TextNode.valueOf("17"), TopicType.STRING, asInt)).contains(LongNode.valueOf(17));
        assertThat(ValueMapper.map(TextNode.valueOf("hi"), TopicType.STRING, asJson)).contains(TextNode.valueOf("hi"));
        assertThat(ValueMapper.map(LongNode.valueOf(5), TopicType.INT64, asJson)).contains(LongNode.valueOf(5));
        assertThat(ValueMapper.map(TextNode.valueOf("AAE="), TopicType.BINARY, asBinary)).contains(TextNode.valueOf("AAE="));
        assertThat(ValueMapper.map(TextNode.valueOf("AAE="), TopicType.BINARY, asString)).isEmpty();
        assertThat(ValueMapper.map(TextNode.valueOf("abc"), TopicType.STRING, asBinary)).isEmpty();
        assertThat(ValueMapper.map(LongNode.valueOf(1), TopicType.INT64, asBinary)).isEmpty();
    }

    @Test
    void asAndTypeCombine() {
        assertThat(map("{\"bpi\": {\"USD\": {\"rate\": \"71,234.5678\", \"rate_float\": 71234.5678}}}",
                "as <value(/bpi/USD/rate_float)> type STRING")).contains(TextNode.valueOf("71234.5678"));
        assertThat(map("{\"bpi\": {\"USD\": {\"rate\": \"71,234.5678\"}}}", "as <value(/bpi/USD/rate)> type DOUBLE"))
                .isEmpty(); // "71,234.5678" is not a number
    }

    @Test
    void aTimeSeriesIsMappedEventByEventWithItsEventType() {
        assertThatThrownBy(() -> ValueMapper.map(LongNode.valueOf(1), TopicType.TIME_SERIES, view("")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
