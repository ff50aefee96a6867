package io.pushgate.gateway.views;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code parse(spec.toDsl())} equals spec, and the canonical rendering of the examples. */
class ViewSpecRoundTripTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "map ?prices// to views/<path(1)>/usd as <value(/bpi/USD/rate_float)> throttle to 1 update every 5 seconds",
        "map ?sensors/ to rooms/<scalar(/room)>/<path(1)>",
        "map >chat/lobby to moderated/lobby delay by 2 seconds",
        "map ?prices/ to views/<path(1)>/usd as <value(/bpi/USD/rate_float)> throttle to 1 update every 1 second",
        "map ?a// to b/<path(1, 2)>",
        "map ?a// to <path(0)>",
        "map ?data/regions/ to summary/<path(2)>_<path(3,1)>-x/<scalar(/id)>.json",
        "MAP ?a//\n TO b/<PATH( 1 )>\n THROTTLE TO 3 UPDATES EVERY 120 SECONDS\n DELAY BY 60 MINUTES",
        "map ?a// to b/<path(1)> throttle to 2 updates every second",
        "map ?a// to b/<path(1)> throttle to 1 update every 1500 milliseconds",
        "map ?a// to b/<path(1)> delay by 36 hours",
        "map ?a// to b/<path(1)> type STRING", "map ?a// to b/<path(1)> type int64",
        "map ?a// to b/<path(1)> type Double", "map ?a// to b/<path(1)> type json", "map ?a// to b/<path(1)> type binary",
        "map ?a/ to b/<scalar(/x/y)> separator '_'", "map ?a/ to b/<scalar(/x/y)> separator \"/-/\"",
        "map ?a/ to b/<scalar(/x/y)> separator ''",
        "map ?a// to b/<path(1)> as <value()>",
        "map ?a// to b/<path(1)> as <value(/x(\\)/y\\\\z)>",
        "map ?a// to b/<scalar(/a b/c~0~1)> as <value(/ spaced )>",
        "map \"Results/Home games//\" to r/<path(1)>",
        "map 'alice\\'s \"topic\"' to bob",
        "map \"\\\"quoted\\\"\" to q",
        "map *prices/\\d+ to p/<path(1)>",
        "map #>a////>b to ab",
        "map to to x",
        "map ?a// to b/<path(1)> separator '.' type INT64 delay by 3 seconds throttle to 2 updates every second as <value(/n)>",
    })
    void parsesBackToAnEqualSpec(String text) {
        ViewSpec spec = ViewParser.parse(text);
        String dsl = spec.toDsl();

        assertThat(ViewParser.parse(dsl)).isEqualTo(spec);
        assertThat(ViewParser.parse(dsl).toDsl()).isEqualTo(dsl);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "map ?prices//   to views/<path(1)>/usd   as <value(/bpi/USD/rate_float)>   THROTTLE TO 1 UPDATES EVERY 5000 MILLISECONDS"
                + "| map ?prices// to views/<path(1)>/usd as <value(/bpi/USD/rate_float)> throttle to 1 update every 5 seconds",
        "map ?sensors/ to rooms/<scalar(/room)>/<path(1)> | map ?sensors/ to rooms/<scalar(/room)>/<path(1)>",
        "map >chat/lobby to moderated/lobby delay by 2 second | map >chat/lobby to moderated/lobby delay by 2 seconds",
        "map ?a// to b/<path( 1 , 2 )> type json delay by 120 minutes separator \"_\" throttle to 3 update every second"
                + "| map ?a// to b/<path(1,2)> throttle to 3 updates every 1 second delay by 2 hours type JSON separator '_'",
    })
    void rendersCanonically(String text, String canonical) {
        assertThat(ViewParser.parse(text).toDsl()).isEqualTo(canonical);
    }
}
