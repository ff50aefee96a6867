package io.pushgate.gateway.views;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushgate.gateway.views.PathTemplate.Literal;
import io.pushgate.gateway.views.PathTemplate.Scalar;
import io.pushgate.gateway.views.PathTemplate.SourcePath;
import io.pushgate.protocol.TopicType;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ViewParserTest {

    @Test
    void parsesThePricesExample() {
        String text = "map ?prices// to views/<path(1)>/usd as <value(/bpi/USD/rate_float)> throttle to 1 update every 5 seconds";
        ViewSpec spec = ViewParser.parse(text);

        assertThat(spec.text()).isEqualTo(text);
        assertThat(spec.selector()).isEqualTo("?prices//");
        assertThat(spec.target().parts()).containsExactly(
                new Literal("views/"), new SourcePath(1, OptionalInt.empty()), new Literal("/usd"));
        assertThat(spec.valuePointer()).contains("/bpi/USD/rate_float");
        assertThat(spec.throttle()).contains(new Throttle(1, Duration.ofSeconds(5)));
        assertThat(spec.delay()).isEmpty();
        assertThat(spec.type()).isEmpty();
        assertThat(spec.separator()).isEmpty();
        assertThat(spec.requiresJsonSource()).isTrue();
    }

    @Test
    void parsesTheSensorsExample() {
        ViewSpec spec = ViewParser.parse("map ?sensors/ to rooms/<scalar(/room)>/<path(1)>");

        assertThat(spec.selector()).isEqualTo("?sensors/");
        assertThat(spec.target().parts()).containsExactly(new Literal("rooms/"), new Scalar("/room"),
                new Literal("/"), new SourcePath(1, OptionalInt.empty()));
        assertThat(spec.target().needsValue()).isTrue();
        assertThat(spec.valuePointer()).isEmpty();
        assertThat(spec.throttle()).isEmpty();
    }

    @Test
    void parsesTheModeratorExample() {
        ViewSpec spec = ViewParser.parse("map >chat/lobby to moderated/lobby delay by 2 seconds");

        assertThat(spec.selector()).isEqualTo(">chat/lobby");
        assertThat(spec.target().parts()).containsExactly(new Literal("moderated/lobby"));
        assertThat(spec.target().needsValue()).isFalse();
        assertThat(spec.delay()).contains(Duration.ofSeconds(2));
        assertThat(spec.requiresJsonSource()).isFalse();
    }

    @Test
    void keywordsAreCaseInsensitiveAndTokensMaySpanLines() {
        ViewSpec spec = ViewParser.parse("\n  MAP ?a//\r\n\tTo b/<PATH( 1 ,\n 2 )>\n  As <VALUE(/x)>\n  THROTTLE TO 3 UPDATES EVERY 2 MINUTES\n"
                + "  Delay BY 1 Hour\n  TYPE string\n  SEPARATOR '_'\n");

        assertThat(spec.target().parts()).containsExactly(new Literal("b/"), new SourcePath(1, OptionalInt.of(2)));
        assertThat(spec.valuePointer()).contains("/x");
        assertThat(spec.throttle()).contains(new Throttle(3, Duration.ofMinutes(2)));
        assertThat(spec.delay()).contains(Duration.ofHours(1));
        assertThat(spec.type()).contains(TopicType.STRING);
        assertThat(spec.separator()).contains("_");
    }

    @Test
    void clausesComeInAnyOrder() {
        ViewSpec a = ViewParser.parse("map ?a// to b/<path(1)> separator '.' type INT64 delay by 3 seconds "
                + "throttle to 2 updates every second as <value(/n)>");
        ViewSpec b = ViewParser.parse("map ?a// to b/<path(1)> as <value(/n)> throttle to 2 updates every second "
                + "delay by 3 seconds type INT64 separator '.'");

        assertThat(a).isEqualTo(b);
        assertThat(a.text()).isNotEqualTo(b.text());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "throttle to 1 update every 5 seconds      | 1 | PT5S",
        "throttle to 1 updates every 5 second      | 1 | PT5S",
        "throttle to 2 updates every second        | 2 | PT1S",
        "throttle to 10 updates every minute       | 10 | PT1M",
        "throttle to 4 updates every 1 hour        | 4 | PT1H",
        "throttle to 1 update every 250 milliseconds | 1 | PT0.25S",
        "throttle to 1 update every millisecond    | 1 | PT0.001S",
        "throttle to 007 updates every 3 hours     | 7 | PT3H",
        "throttle to 2147483647 updates every 2147483647 hours | 2147483647 | PT2147483647H",
    })
    void throttleClause(String clause, int updates, Duration period) {
        assertThat(ViewParser.parse("map ?a// to b/<path(1)> " + clause).throttle()).contains(new Throttle(updates, period));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "delay by 2 seconds        | PT2S",
        "delay by 1 second         | PT1S",
        "delay by second           | PT1S",
        "delay by 90 minutes       | PT1H30M",
        "delay by 1500 milliseconds | PT1.5S",
        "DELAY BY 24 HOURS         | PT24H",
    })
    void delayClause(String clause, Duration delay) {
        assertThat(ViewParser.parse("map >chat/lobby to moderated/lobby " + clause).delay()).contains(delay);
    }

    @ParameterizedTest
    @CsvSource({"JSON, JSON", "string, STRING", "Int64, INT64", "double, DOUBLE", "BINARY, BINARY"})
    void typeClause(String word, TopicType type) {
        assertThat(ViewParser.parse("map ?a// to b/<path(1)> type " + word).type()).contains(type);
    }

    @Test
    void asClauseTakesAPointerWithEscapesAndSignificantSpaces() {
        assertThat(ViewParser.parse("map ?a// to b/<path(1)> as <value(/bpi/USD/rate_float)>").valuePointer())
                .contains("/bpi/USD/rate_float");
        assertThat(ViewParser.parse("map ?a// to b/<path(1)> as <value()>").valuePointer()).contains("");
        assertThat(ViewParser.parse("map ?a// to b/<path(1)> as <value(/x(\\)/y)>").valuePointer()).contains("/x()/y");
        assertThat(ViewParser.parse("map ?a// to b/<path(1)> as <value(/a b/c~1d)>").valuePointer()).contains("/a b/c~1d");
        assertThat(ViewParser.parse("map ?a// to b/<path(1)> as <value(/x )>").valuePointer()).contains("/x ");
    }

    @Test
    void separatorClauseTakesSingleOrDoubleQuotes() {
        assertThat(ViewParser.parse("map ?a/ to b/<scalar(/x/y)> separator '_'").separator()).contains("_");
        assertThat(ViewParser.parse("map ?a/ to b/<scalar(/x/y)> separator \"--\"").separator()).contains("--");
        assertThat(ViewParser.parse("map ?a/ to b/<scalar(/x/y)> separator '/x/'").separator()).contains("/x/");
        assertThat(ViewParser.parse("map ?a/ to b/<scalar(/x/y)> separator ''").separator()).contains("");
    }

    @Test
    void aSelectorWithSpacesIsQuoted() {
        assertThat(ViewParser.parse("map \"Results/Home games//\" to r/<path(1)>").selector()).isEqualTo("Results/Home games//");
        assertThat(ViewParser.parse("map 'alice\\'s topic' to bob").selector()).isEqualTo("alice's topic");
        assertThat(ViewParser.parse("map \"a \\\"b\\\" \\\\ \\d\" to c").selector()).isEqualTo("a \"b\" \\ \\d");
        // unquoted, a backslash is just a character: regular expressions keep theirs
        assertThat(ViewParser.parse("map *prices/\\d+ to p/<path(1)>").selector()).isEqualTo("*prices/\\d+");
        // 'to' can be a selector if the keyword follows
        assertThat(ViewParser.parse("map to to x").selector()).isEqualTo("to");
    }

    @Test
    void directivesMayStandAloneOrBePartOfASegment() {
        PathTemplate t = ViewParser.parse("map ?data/regions/ to summary/<path(2)>_<path(3,1)>-x/<scalar(/id)>.json").target();

        assertThat(t.parts()).containsExactly(new Literal("summary/"), new SourcePath(2, OptionalInt.empty()),
                new Literal("_"), new SourcePath(3, OptionalInt.of(1)), new Literal("-x/"), new Scalar("/id"),
                new Literal(".json"));
        assertThat(ViewParser.parse("map ?a// to <path(0)>").target().parts())
                .containsExactly(new SourcePath(0, OptionalInt.empty()));
    }

    @Test
    void aTemplateCanBeParsedAlone() {
        assertThat(PathTemplate.parse("views/<path(1)>/usd"))
                .isEqualTo(PathTemplate.of(List.of(new Literal("views"), new Literal("/"),
                        new SourcePath(1, OptionalInt.empty()), new Literal("/usd"))));
    }

    @Test
    void theOriginalTextIsKeptButIsNotPartOfEquality() {
        ViewSpec a = ViewParser.parse("map ?a// to b/<path(1)> throttle to 1 update every 60 seconds");
        ViewSpec b = ViewParser.parse("MAP   ?a//\nTO b/<path(1)>   THROTTLE TO 1 UPDATES EVERY MINUTE");

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.text()).startsWith("map ?a//");
        assertThat(b.text()).startsWith("MAP");
        assertThat(ViewParser.parse(a.toDsl()).toDsl()).isEqualTo(a.toDsl());
        assertThat(a.valuePointer()).isEqualTo(Optional.empty());
    }
}
