package io.pushgate.gateway.views;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.protocol.Json;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PathTemplateTest {

    /** A CoinDesk current price document, as the data feeder publishes it on prices/btc. */
    static final JsonNode COINDESK = Json.parse("""
            {"time": {"updated": "Jun 5, 2024 12:00:00 UTC", "updatedISO": "2024-06-05T12:00:00+00:00"},
             "disclaimer": "This data was produced from the CoinDesk Bitcoin Price Index (USD).",
             "chartName": "Bitcoin",
             "bpi": {
               "USD": {"code": "USD", "symbol": "&#36;", "rate": "71,234.5678", "description": "United States Dollar", "rate_float": 71234.5678},
               "GBP": {"code": "GBP", "symbol": "&pound;", "rate": "55,812.1234", "description": "British Pound Sterling", "rate_float": 55812.1234},
               "EUR": {"code": "EUR", "symbol": "&euro;", "rate": "65,432.1000", "description": "Euro", "rate_float": 65432.1}}}
            """);

    private static Optional<String> expand(String view, String sourcePath, String json) {
        ViewSpec spec = ViewParser.parse(view);
        return spec.target().expand(sourcePath, json == null ? null : Json.parse(json), spec.separator().orElse(null));
    }

    @Test
    void thePricesExampleMapsEachCoinToItsUsdTopic() {
        PathTemplate t = ViewParser.parse("map ?prices// to views/<path(1)>/usd as <value(/bpi/USD/rate_float)>").target();

        assertThat(t.expand("prices/btc", COINDESK, null)).contains("views/btc/usd");
        assertThat(t.expand("prices/eth", COINDESK, null)).contains("views/eth/usd");
        assertThat(t.expand("prices/btc/history", null, null)).contains("views/btc/history/usd");
        // ?prices// also selects prices itself, which has no segment 1: no reference topic
        assertThat(t.expand("prices", COINDESK, null)).isEmpty();
    }

    @Test
    void theSensorsExampleFilesEachSensorUnderItsRoom() {
        String view = "map ?sensors/ to rooms/<scalar(/room)>/<path(1)>";

        assertThat(expand(view, "sensors/t-17", "{\"room\": \"kitchen\", \"celsius\": 21.5, \"battery\": 0.93}"))
                .contains("rooms/kitchen/t-17");
        assertThat(expand(view, "sensors/t-18", "{\"room\": 101, \"celsius\": 19.0}")).contains("rooms/101/t-18");
        assertThat(expand(view, "sensors/t-19", "{\"celsius\": 19.0}")).isEmpty(); // no room yet
        assertThat(expand(view, "sensors/t-19", null)).isEmpty(); // no value yet
    }

    @Test
    void theModeratorExampleIsAConstantPath() {
        PathTemplate t = ViewParser.parse("map >chat/lobby to moderated/lobby delay by 2 seconds").target();

        assertThat(t.needsValue()).isFalse();
        assertThat(t.expand("chat/lobby", null, null)).contains("moderated/lobby");
    }

    @Test
    void pathDirectivesTakeSegmentsFromAnIndex() {
        // the examples of Diffusion's documentation, on a/b/c/d
        assertThat(expand("map ?a// to <path(1, 2)>", "a/b/c/d", null)).contains("b/c");
        assertThat(expand("map ?a// to <path(2)>", "a/b/c/d", null)).contains("c/d");
        assertThat(expand("map ?a// to x/<path(1,1)>", "a/b/c/d", null)).contains("x/b");
        assertThat(expand("map ?a// to x/<path(0)>", "a/b/c/d", null)).contains("x/a/b/c/d");
        assertThat(expand("map ?a// to x/<path(3,1)>", "a/b/c/d", null)).contains("x/d");
        assertThat(expand("map ?a// to s/<path(1,1)>_<path(2,1)>/<path(3)>", "a/europe/cities/london", null))
                .contains("s/europe_cities/london");
    }

    @Test
    void aPathDirectiveOutOfRangeExpandsToNothing() {
        assertThat(expand("map ?a// to x/<path(4)>", "a/b/c/d", null)).isEmpty();
        assertThat(expand("map ?a// to x/<path(9)>", "a/b/c/d", null)).isEmpty();
        assertThat(expand("map ?a// to x/<path(3,2)>", "a/b/c/d", null)).isEmpty();
    }

    @Test
    void scalarsBecomeTextInThePath() {
        String doc = "{\"account\": \"1234\", \"balance\": {\"amount\": 12.50, \"currency\": \"USD\"}, \"ok\": true,"
                + " \"none\": null, \"big\": 1e3, \"neg\": -7, \"list\": [\"x\", \"y\"], \"a/b\": \"slash\", \"m~n\": \"tilde\"}";

        assertThat(expand("map ?a/ to currency/<scalar(/balance/currency)>/account/<scalar(/account)>", "a/1", doc))
                .contains("currency/USD/account/1234"); // Diffusion's documented example
        // the gateway's Json keeps exact decimals: the path shows the number as it was written
        assertThat(expand("map ?a/ to amounts/<scalar(/balance/amount)>", "a/1", doc)).contains("amounts/12.50");
        assertThat(expand("map ?a/ to x/<scalar(/big)>", "a/1", doc)).contains("x/1000"); // not 1E+3
        assertThat(expand("map ?a/ to x/<scalar(/neg)>", "a/1", doc)).contains("x/-7");
        assertThat(expand("map ?a/ to x/<scalar(/ok)>", "a/1", doc)).contains("x/true");
        assertThat(expand("map ?a/ to x/<scalar(/none)>", "a/1", doc)).contains("x/null"); // as Diffusion
        assertThat(expand("map ?a/ to x/<scalar(/list/1)>", "a/1", doc)).contains("x/y");
        assertThat(expand("map ?a/ to x/<scalar(/a~1b)>", "a/1", doc)).contains("x/slash");
        assertThat(expand("map ?a/ to x/<scalar(/m~0n)>", "a/1", doc)).contains("x/tilde");
        assertThat(expand("map ?a/ to acct-<scalar(/account)>.v2", "a/1", doc)).contains("acct-1234.v2");
        assertThat(expand("map ?a/ to <scalar()>", "a/1", "\"whole\"")).contains("whole");
    }

    @Test
    void aMissingOrNonScalarPointerExpandsToNothing() {
        String doc = "{\"balance\": {\"amount\": 12.5}, \"list\": [1]}";

        assertThat(expand("map ?a/ to x/<scalar(/nothing)>", "a/1", doc)).isEmpty();
        assertThat(expand("map ?a/ to x/<scalar(/balance)>", "a/1", doc)).isEmpty();
        assertThat(expand("map ?a/ to x/<scalar(/list)>", "a/1", doc)).isEmpty();
        assertThat(expand("map ?a/ to x/<scalar(/list/7)>", "a/1", doc)).isEmpty();
        assertThat(expand("map ?a/ to x/<scalar(/balance/amount/deeper)>", "a/1", doc)).isEmpty();
    }

    @Test
    void aSlashInAScalarAddsLevelsUnlessASeparatorReplacesIt() {
        String doc = "{\"room\": \"floor1/kitchen\"}";

        // Diffusion: "any / characters in the text are interpreted as path separators"
        assertThat(expand("map ?sensors/ to rooms/<scalar(/room)>/<path(1)>", "sensors/t-1", doc))
                .contains("rooms/floor1/kitchen/t-1");
        assertThat(expand("map ?sensors/ to rooms/<scalar(/room)>/<path(1)> separator '_'", "sensors/t-1", doc))
                .contains("rooms/floor1_kitchen/t-1");
        assertThat(expand("map ?sensors/ to rooms/<scalar(/room)>/<path(1)> separator '.of.'", "sensors/t-1", doc))
                .contains("rooms/floor1.of.kitchen/t-1");
        assertThat(expand("map ?sensors/ to rooms/<scalar(/room)>/<path(1)> separator ''", "sensors/t-1", doc))
                .contains("rooms/floor1kitchen/t-1");
        // the separator touches only scalars, never the literal or the source path
        assertThat(expand("map ?sensors// to r/<path(0)>/<scalar(/room)> separator '_'", "sensors/t-1", doc))
                .contains("r/sensors/t-1/floor1_kitchen");
    }

    @Test
    void aScalarThatMakesAnInvalidPathExpandsToNothing() {
        String view = "map ?sensors/ to rooms/<scalar(/room)>/<path(1)>";

        assertThat(expand(view, "sensors/t-1", "{\"room\": \"living room\"}")).isEmpty();
        assertThat(expand(view, "sensors/t-1", "{\"room\": \"/kitchen\"}")).isEmpty();
        assertThat(expand(view, "sensors/t-1", "{\"room\": \"kitchen/\"}")).isEmpty();
        assertThat(expand(view, "sensors/t-1", "{\"room\": \"\"}")).isEmpty();
        assertThat(expand(view, "sensors/t-1", "{\"room\": \"caf\u00e9\"}")).isEmpty();
        assertThat(expand(view, "sensors/t-1", "{\"room\": \"" + "r".repeat(1020) + "\"}")).isEmpty();
        assertThat(expand(view, "sensors/t-1", "{\"room\": 1e100000}")).isEmpty(); // not written out
    }

    @Test
    void aTemplateRendersBackToItsText() {
        assertThat(PathTemplate.parse("views/<path(1)>/usd").toDsl()).isEqualTo("views/<path(1)>/usd");
        assertThat(PathTemplate.parse("a/<PATH( 1 , 2 )>").toDsl()).isEqualTo("a/<path(1,2)>");
        assertThat(PathTemplate.parse("a/<scalar(/x\\)y\\\\z)>").toDsl()).isEqualTo("a/<scalar(/x\\)y\\\\z)>");
        assertThat(PathTemplate.parse("a/<scalar(/x\\)y\\\\z)>").parts().get(1))
                .isEqualTo(new PathTemplate.Scalar("/x)y\\z"));
    }
}
