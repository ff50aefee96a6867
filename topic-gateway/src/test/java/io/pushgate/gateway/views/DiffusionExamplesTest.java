package io.pushgate.gateway.views;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.TopicType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Diffusion's own documented examples, each with the result its documentation gives: the
 * TopicViews API text (the C client's {@code topic-views.h}, the same in every client library)
 * and DiffusionData's official DSL example classes
 * ({@code diffusion-examples/java/com/pushtechnology/client/sdk/example/topicviews/dsl}). The
 * examples whose result depends on a sequence of updates ({@code preserve topics}, a patch failing
 * on an update, the remote view) are run against the real runtime in {@code ViewsClausesRuntimeTest}.
 */
class DiffusionExamplesTest {

    /** The reference topics the view gives for one source: path to value, in order. */
    private static Map<String, JsonNode> apply(String view, String sourcePath, String json, Map<String, String> otherTopics) {
        ViewSpec spec = ViewParser.parse(view);
        ViewEvaluator.Result result = ViewEvaluator.evaluate(spec, sourcePath, TopicType.JSON, Json.parse(json),
                path -> Optional.ofNullable(otherTopics.get(path)).map(Json::parse));
        Map<String, JsonNode> out = new LinkedHashMap<>();
        result.references().forEach(r -> out.put(r.path(), r.value()));
        return out;
    }

    private static Map<String, JsonNode> apply(String view, String sourcePath, String json) {
        return apply(view, sourcePath, json, Map.of());
    }

    private static Map<String, JsonNode> expected(String... pathsAndJson) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (int i = 0; i < pathsAndJson.length; i += 2) {
            out.put(pathsAndJson[i], Json.parse(pathsAndJson[i + 1]));
        }
        return out;
    }

    // --- path mapping (topic-views.h) ---

    @Test
    void sourcePathDirectives() {
        assertThat(apply("map ?a// to b/<path(1, 2)>", "a/b/c/d", "{}")).containsOnlyKeys("b/b/c");
        assertThat(apply("map ?a// to b/<path(2)>", "a/b/c/d", "{}")).containsOnlyKeys("b/c/d");
        assertThat(apply("map ?a// to b/<path(1)>", "a/x/y/z", "{}")).containsOnlyKeys("b/x/y/z");
    }

    @Test
    void scalarDirectives() {
        assertThat(apply("map ?a// to currency/<scalar(/balance/currency)>/account/<scalar(/account)>", "a/1",
                "{\"account\":\"1234\",\"balance\":{\"amount\":12.57,\"currency\":\"USD\"}}"))
                .containsOnlyKeys("currency/USD/account/1234");
    }

    @Test
    void expandValuesGivesOneTopicPerArrayItem() {
        // "a path mapping of value<expand(/values)> would expand the value to ... value0 = 1, value1 = 5, value2 = 7"
        assertThat(apply("map ?a// to value<expand(/values)>", "a/x", "{\"values\":[1,5,7]}"))
                .isEqualTo(expected("value0", "1", "value1", "5", "value2", "7"));
    }

    @Test
    void expandNamedByAScalarInEachChild() {
        // <expand(,/name)>: the root expanded, each child's fragment from its /name, else its key
        assertThat(apply("map ?a// to b/<expand(,/name)>", "a/x", "{\"p\":{\"name\":\"fred\",\"n\":1},\"q\":{\"n\":2},\"r\":3}"))
                .isEqualTo(expected("b/fred", "{\"name\":\"fred\",\"n\":1}", "b/q", "{\"n\":2}", "b/r", "3"));
    }

    @Test
    void nestedExpandsAndAScalarAfterThem() {
        String doc = "{\"customers\":[{\"name\":\"ann\",\"orders\":[{\"id\":\"o1\",\"v\":1},{\"id\":\"o2\",\"v\":2}]},"
                + "{\"name\":\"bob\",\"orders\":[{\"id\":\"o3\",\"v\":3}]}]}";
        assertThat(apply("map data to customers/<expand(/customers, /name)>/orders/<expand(/orders, /id)>", "data", doc))
                .isEqualTo(expected("customers/ann/orders/o1", "{\"id\":\"o1\",\"v\":1}", "customers/ann/orders/o2", "{\"id\":\"o2\",\"v\":2}",
                        "customers/bob/orders/o3", "{\"id\":\"o3\",\"v\":3}"));
        assertThat(apply("map data to c/<expand(/customers)>/<scalar(/name)>", "data", doc)).containsOnlyKeys("c/0/ann", "c/1/bob");
    }

    @Test
    void twoChildrenMappingToOnePathGiveOnlyTheFirst() {
        assertThat(apply("map ?a// to b/<expand(,/k)>", "a/x", "[{\"k\":\"same\",\"v\":1},{\"k\":\"same\",\"v\":2}]"))
                .isEqualTo(expected("b/same", "{\"k\":\"same\",\"v\":1}"));
    }

    @Test
    void aScalarElementExpandsToItselfAddingNothingToThePath() {
        assertThat(apply("map ?a// to b/x<expand(/n)>", "a/x", "{\"n\":7}")).isEqualTo(expected("b/x", "7"));
    }

    @Test
    void theOfficialExpandValueExample() {
        // TopicViewsDslExpandValueExample
        assertThat(apply("map my/topic/path to views/currency<expand(/currencies)>", "my/topic/path",
                "{\"currencies\": [\"USD\", \"GBP\", \"EUR\", \"CHF\"]}"))
                .isEqualTo(expected("views/currency0", "\"USD\"", "views/currency1", "\"GBP\"", "views/currency2", "\"EUR\"",
                        "views/currency3", "\"CHF\""));
    }

    @Test
    void theSeparatorReplacesPathSeparatorsFromScalarsAndExpands() {
        assertThat(apply("map ?a/path/ to b/<scalar(/x/y)> separator '_'", "a/path/1", "{\"x\":{\"y\":\"foo/bar\"}}"))
                .containsOnlyKeys("b/foo_bar");
        assertThat(apply("map ?a/path/ to b/<expand(,/n)> separator '-'", "a/path/1", "[{\"n\":\"x/y\"}]")).containsOnlyKeys("b/x-y");
    }

    // --- process ---

    @Test
    void processSetsAField() {
        assertThat(apply("map ?a// to b/<path(1)> process {set(/Name, 'John')};", "a/x", "{\"Age\":3}"))
                .isEqualTo(expected("b/x", "{\"Age\":3,\"Name\":\"John\"}"));
    }

    @Test
    void processContinuesOnlyWhenThePriceIsOver50() {
        String view = "map ?a// to b/<path(1)> process {if '/Price gt 50' continue};";
        assertThat(apply(view, "a/x", "{\"Price\":51}")).isEqualTo(expected("b/x", "{\"Price\":51}"));
        assertThat(apply(view, "a/x", "{\"Price\":50}")).isEmpty();
    }

    @Test
    void processSetsATierByPrice() {
        String view = "map ?a// to b/<path(1)> process {if '/Price lt 50' set(/Tier, 1) elseif '/Price gt 50' set(/Tier, 2)};";
        assertThat(apply(view, "a/x", "{\"Price\":10}")).isEqualTo(expected("b/x", "{\"Price\":10,\"Tier\":1}"));
        assertThat(apply(view, "a/x", "{\"Price\":60}")).isEqualTo(expected("b/x", "{\"Price\":60,\"Tier\":2}"));
        // neither branch: evaluation stops, no reference topic
        assertThat(apply(view, "a/x", "{\"Price\":50}")).isEmpty();
    }

    @Test
    void processOperationsAreAppliedTogetherOnTheOriginalValue() {
        // "set(/Amount, calc "/Value * /Number"); remove(/Value); remove (/Number)"
        assertThat(apply("map ?a// to b/<path(1)> process {set(/Amount, calc \"/Value * /Number\"); remove(/Value); remove (/Number)}",
                "a/x", "{\"Value\":6,\"Number\":7}")).isEqualTo(expected("b/x", "{\"Amount\":42}"));
    }

    @Test
    void processCalculationsHaveTheDocumentedPrecedence() {
        String doc = "{\"Value\":9,\"Salary\":20000,\"Age\":40}";
        assertThat(apply("map ?a// to b process {set(/Value, calc \"/Value * 2\")}", "a/x", doc).get("b").path("Value").asLong())
                .isEqualTo(18);
        assertThat(apply("map ?a// to b process {set(/Bonus, calc \"/Salary + 1000\")}", "a/x", doc).get("b").path("Bonus").asLong())
                .isEqualTo(21000);
        // (/Salary + 1000 + (/Age * 10)), not ((/Salary + 1000 + /Age) * 10)
        assertThat(apply("map ?a// to b process {set(/Bonus, calc \"/Salary + 1000 + /Age * 10\")}", "a/x", doc).get("b").path("Bonus")
                .asLong()).isEqualTo(21400);
        assertThat(apply("map ?a// to b process {set(/Bonus, calc \"(/Salary + 1000 + /Age) * 10\")}", "a/x", doc).get("b")
                .path("Bonus").asLong()).isEqualTo(210400);
        // a calculation on a field that is not a number: the evaluation does not proceed
        assertThat(apply("map ?a// to b process {set(/Bonus, calc \"/Name + 1\")}", "a/x", "{\"Name\":\"x\"}")).isEmpty();
    }

    @Test
    void processConditionsOfTheDocumentation() {
        String view = "map ?a// to b process {if '%s' continue}";
        String doc = "{\"Age\":50,\"RetirementAge\":65,\"Name\":\"Bill\",\"Manager\":true,\"Department\":\"Accounts\",\"Band\":4,\"Retired\":false}";
        for (String holds : new String[] {"/Age > 40", "/Name = \"Bill\"", "/Manager eq true", "/Age = 50 or /Age > 80",
            "/Age gt 40 & /Department eq \"Accounts\"", "(/Age > 40 or /Department eq \"Accounts\") and /Band > 3",
            "not (/Age < 40 or /Retired eq true)", "/Age < /RetirementAge", "/Band exists", "/Name in (\"Ann\", \"Bill\")",
            "/Age != 51", "/Age ge 50", "/Age le 50"}) {
            assertThat(apply(String.format(view, holds), "a/x", doc)).as(holds).containsOnlyKeys("b");
        }
        for (String fails : new String[] {"/Age > /RetirementAge", "/Name = \"Ben\"", "/Missing exists", "/Name in (\"Ann\")",
            "/Name > 3", "/Missing != 1", "not (/Age = 50)"}) {
            assertThat(apply(String.format(view, fails), "a/x", doc)).as(fails).isEmpty();
        }
    }

    @Test
    void theOfficialProcessSetExample() {
        // TopicViewsDslProcessTransformationSetExample: a Tier by amount, then the amount in cents
        String view = "map ?my/topic/path// to views/<path(3)> process {\n  if '/balance/amount > 20'\n    set(/Tier, 1)\n  else\n"
                + "    set(/Tier, 2)\n}\nprocess {\n  set(/balance/amount_in_cents, calc '/balance/amount * 100')\n}";
        assertThat(apply(view, "my/topic/path/1", "{\"account\": \"1234\", \"balance\": {\"amount\": 12.57, \"currency\": \"USD\"}}"))
                .isEqualTo(expected("views/1", "{\"account\":\"1234\",\"balance\":{\"amount\":12.57,\"currency\":\"USD\","
                        + "\"amount_in_cents\":1257},\"Tier\":2}"));
        assertThat(apply(view, "my/topic/path/2", "{\"account\": \"5678\", \"balance\": {\"amount\": 98.76, \"currency\": \"USD\"}}"))
                .isEqualTo(expected("views/2", "{\"account\":\"5678\",\"balance\":{\"amount\":98.76,\"currency\":\"USD\","
                        + "\"amount_in_cents\":9876},\"Tier\":1}"));
    }

    @Test
    void theOfficialProcessContinueExample() {
        String view = "map ?my/topic/path// to views/<path(3)> process\n{\n  if '/price_per_share > 20' continue\n}";
        assertThat(apply(view, "my/topic/path/1", "{\"name\": \"APPL\", \"quantity\": 100, \"price_per_share\": 12.34}")).isEmpty();
        assertThat(apply(view, "my/topic/path/2", "{\"name\": \"AMZN\", \"quantity\": 256, \"price_per_share\": 87.65}"))
                .isEqualTo(expected("views/2", "{\"name\":\"AMZN\",\"quantity\":256,\"price_per_share\":87.65}"));
    }

    @Test
    void theOfficialProcessRemoveExample() {
        // map my/topic/path// (a path selector with descendants, as the example writes it)
        String view = "map ?my/topic/path// to views/<path(3)> process\n{\n  set(/total, calc '/quantity * /price_per_share');\n"
                + "  remove(/quantity);\n  remove(/price_per_share)\n}";
        assertThat(apply(view, "my/topic/path/1", "{\"name\": \"APPL\", \"quantity\": 100, \"price_per_share\": 12.34}"))
                .isEqualTo(expected("views/1", "{\"name\":\"APPL\",\"total\":1234}"));
        assertThat(apply(view, "my/topic/path/2", "{\"name\": \"AMZN\", \"quantity\": 256, \"price_per_share\": 87.65}"))
                .isEqualTo(expected("views/2", "{\"name\":\"AMZN\",\"total\":22438.4}"));
    }

    // --- patch ---

    @Test
    void patchAddsAndRemoves() {
        assertThat(apply("map ?a// to b patch '[{\"op\": \"add\", \"path\": \"/price\", \"value\": 22},\n"
                + "        {\"op\": \"remove\", \"path\": \"/name\"}]'", "a/x", "{\"name\":\"n\",\"q\":1}"))
                .isEqualTo(expected("b", "{\"q\":1,\"price\":22}"));
    }

    @Test
    void aPatchThatFailsGivesNoReferenceTopic() {
        String view = "map ?a// to b patch '[{\"op\":\"test\", \"path\":\"/price\", \"value\" : 22},\n {\"op\":\"add\", \"path\":\"/price\", \"value\": 23}]'";
        assertThat(apply(view, "a/x", "{\"price\":22}")).isEqualTo(expected("b", "{\"price\":23}"));
        assertThat(apply(view, "a/x", "{\"price\":21}")).isEmpty();
        // patches apply to objects and arrays only
        assertThat(apply("map ?a// to b patch '[]'", "a/x", "3")).isEmpty();
    }

    @Test
    void theOfficialPatchExamples() {
        String doc = "{\"Fred\":\"Flintstone\",\"Barney\":\"Rubble\",\"George\":\"Jetson\"}";
        // TopicViewsDslPatchTransformationMoveExample
        assertThat(apply("map ?my/topic/path// to views/<path(0)> patch '[ {\"op\": \"move\", \"from\": \"/Fred\", \"path\":"
                + " \"/Meet The Flintstones~1Fred\" }, {\"op\": \"move\", \"from\": \"/Barney\", \"path\": \"/Meet The Flintstones~1Barney\" },"
                + " {\"op\": \"move\", \"from\": \"/George\", \"path\": \"/The Jetsons~1George\" }]'", "my/topic/path", doc))
                .isEqualTo(expected("views/my/topic/path", "{\"Meet The Flintstones/Fred\":\"Flintstone\","
                        + "\"Meet The Flintstones/Barney\":\"Rubble\",\"The Jetsons/George\":\"Jetson\"}"));
        // TopicViewsDslPatchTransformationTestExample
        assertThat(apply("map ?my/topic/path// to views/<path(0)> patch '[{\"op\": \"test\", \"path\": \"/Fred\", \"value\": \"Flintstone\" }]'",
                "my/topic/path", doc)).isEqualTo(expected("views/my/topic/path", doc));
        // the API doc's example
        assertThat(apply("map ?my/topic/path// to views/<path(0)> patch '[{\"op\": \"add\", \"path\": \"/George\", \"value\": \"Jetson\"}]'",
                "my/topic/path", "{}")).isEqualTo(expected("views/my/topic/path", "{\"George\":\"Jetson\"}"));
    }

    // --- insert ---

    @Test
    void theOfficialInsertExample() {
        // TopicViewsDslInsertTransformationsExample
        Map<String, String> topics = Map.of("my/topic/path/additional_cast/1", "\"Pebbles Flintstone\"",
                "my/topic/path/additional_cast/2", "\"Bamm-Bamm Rubble\"");
        assertThat(apply("map my/topic/path/original_cast\n  to views/the_flintstones\n  insert my/topic/path/additional_cast/1 at /-\n"
                + "  insert my/topic/path/additional_cast/2 at /-", "my/topic/path/original_cast",
                "[\n  \"Fred Flintstone\",  \"Wilma Flintstone\",  \"Barney Rubble\",  \"Betty Rubble\"]", topics))
                .isEqualTo(expected("views/the_flintstones", "[\"Fred Flintstone\",\"Wilma Flintstone\",\"Barney Rubble\",\"Betty Rubble\","
                        + "\"Pebbles Flintstone\",\"Bamm-Bamm Rubble\"]"));
    }

    @Test
    void theInsertExamplesOfTheDocumentation() {
        Map<String, String> anyTopic = Map.of("AnyTopic", "{\"name\":\"Jane\"}");
        assertThat(apply("map ?a// to b insert AnyTopic at /T", "a/x", "{}", anyTopic)).isEqualTo(expected("b", "{\"T\":{\"name\":\"Jane\"}}"));
        assertThat(apply("map ?a// to b insert AnyTopic at /T/MyKey", "a/x", "{\"T\":{}}", anyTopic))
                .isEqualTo(expected("b", "{\"T\":{\"MyKey\":{\"name\":\"Jane\"}}}"));
        assertThat(apply("map ?a// to b insert AnyTopic at /T/-", "a/x", "{\"T\":[1]}", anyTopic))
                .isEqualTo(expected("b", "{\"T\":[1,{\"name\":\"Jane\"}]}"));
        assertThat(apply("map ?a// to b insert AnyTopic key /name at /T/-", "a/x", "{\"T\":[]}", anyTopic))
                .isEqualTo(expected("b", "{\"T\":[\"Jane\"]}"));
        // no insertion topic: nothing inserted, or the default
        assertThat(apply("map ?a// to b insert AnyTopic key /name at /T/-", "a/x", "{\"T\":[]}")).isEqualTo(expected("b", "{\"T\":[]}"));
        assertThat(apply("map ?a// to b insert AnyTopic at /T/- default \"unknown\"", "a/x", "{\"T\":[]}"))
                .isEqualTo(expected("b", "{\"T\":[\"unknown\"]}"));
        // the key missing in the insertion topic: the default too
        assertThat(apply("map ?a// to b insert AnyTopic key /age at /T default \"unknown\"", "a/x", "{}", anyTopic))
                .isEqualTo(expected("b", "{\"T\":\"unknown\"}"));
        // the parent must exist: otherwise the value passes unchanged
        assertThat(apply("map ?a// to b insert AnyTopic at /T/MyKey", "a/x", "{}", anyTopic)).isEqualTo(expected("b", "{}"));
        // an array index replaces an entry or appends one past the end, no further
        assertThat(apply("map ?a// to b insert AnyTopic key /name at /T/0", "a/x", "{\"T\":[1,2]}", anyTopic))
                .isEqualTo(expected("b", "{\"T\":[\"Jane\",2]}"));
        assertThat(apply("map ?a// to b insert AnyTopic key /name at /T/2", "a/x", "{\"T\":[1,2]}", anyTopic))
                .isEqualTo(expected("b", "{\"T\":[1,2,\"Jane\"]}"));
        assertThat(apply("map ?a// to b insert AnyTopic key /name at /T/5", "a/x", "{\"T\":[1,2]}", anyTopic))
                .isEqualTo(expected("b", "{\"T\":[1,2]}"));
    }

    @Test
    void anInsertPathFromTheSourcePathAndTheCurrentValue() {
        // insert AC/<path(1,1)>/<scalar(/myval)> at /T
        assertThat(apply("map ?a// to b/<path(1)> insert AC/<path(1,1)>/<scalar(/myval)> at /T", "a/x/y", "{\"myval\":\"v\"}",
                Map.of("AC/x/v", "42"))).isEqualTo(expected("b/x/y", "{\"myval\":\"v\",\"T\":42}"));
        ViewEvaluator.Result result = ViewEvaluator.evaluate(ViewParser.parse("map ?a// to b/<path(1)> insert AC/<path(1,1)>/<scalar(/myval)> at /T"),
                "a/x/y", TopicType.JSON, Json.parse("{\"myval\":\"v\"}"), ViewEvaluator.Insertions.NONE);
        assertThat(result.insertedFrom()).containsExactly("AC/x/v");
    }

    @Test
    void insertsApplyToEachExpandedValue() {
        assertThat(apply("map ?a// to r/<expand(/items, /ccy)> insert rates/<scalar(/ccy)> at /rate", "a/x",
                "{\"items\":[{\"ccy\":\"USD\"},{\"ccy\":\"EUR\"}]}", Map.of("rates/USD", "1", "rates/EUR", "0.92")))
                .isEqualTo(expected("r/USD", "{\"ccy\":\"USD\",\"rate\":1}", "r/EUR", "{\"ccy\":\"EUR\",\"rate\":0.92}"));
    }

    // --- options ---

    @Test
    void theValueOptionAppliesToTheCurrentValue() {
        assertThat(apply("map ?accounts// to balances/<scalar(/account)> as <value(/balance)>", "accounts/a",
                "{\"account\":\"1234\",\"balance\":{\"amount\":12.57,\"currency\":\"USD\"}}"))
                .isEqualTo(expected("balances/1234", "{\"amount\":12.57,\"currency\":\"USD\"}"));
        // after transformations, as reads the transformed value
        assertThat(apply("map ?a// to b process {set(/c, calc '/n * 2')} as <value(/c)>", "a/x", "{\"n\":4}")).isEqualTo(expected("b", "8"));
    }

    @Test
    void theTopicPropertyMappingExamples() {
        assertThat(ViewParser.parse("map ?a// to b/<path(1)> with properties CONFLATION:off, DONT_RETAIN_VALUE:true").properties())
                .containsEntry("CONFLATION", "off");
        // TopicViewsDslOptionsTopicPropertyMappingExample sets COMPRESSION, which Pushgate does not have: refused by name
        assertThatThrownBy(() -> ViewParser.parse("map my/topic/path to views/<path(0)> with properties "
                + "'CONFLATION':'off', 'COMPRESSION':'false', 'DONT_RETAIN_VALUE':'true'"))
                .hasMessageStartingWith("line 1, column 74: Pushgate has no topic property COMPRESSION");
    }

    @Test
    void theQuotingExamples() {
        assertThat(ViewParser.parse("map ?a// to <scalar(/x(\\)/y)>").target().parts()).containsExactly(new PathTemplate.Scalar("/x()/y"));
        assertThat(ViewParser.parse("map \"a topic\" to \"another-topic\"").selector()).isEqualTo("a topic");
        assertThat(ViewParser.parse("map 'alice\\'s topic' to 'bob-s-topic'").selector()).isEqualTo("alice's topic");
        // a topic path has no white space in Pushgate: "another topic" is refused, where it is
        assertThatThrownBy(() -> ViewParser.parse("map a to another\\ topic"))
                .hasMessage("line 1, column 17: bad path template: the character ' ' is not allowed (segments are made of A-Z a-z 0-9 _ . -)");
        // white space in a pointer is significant: /x and "/x " differ
        assertThat(ViewParser.parse("map a to b as <value(/x)>")).isNotEqualTo(ViewParser.parse("map a to b as <value(/x )>"));
    }

    @Test
    void theRemoteViewExamplesParse() {
        assertThat(ViewParser.parse("map ?a// from server1 to b/<path(1)>").remoteServer()).contains("server1");
        assertThat(ViewParser.parse("map my/topic/path from 'Remote Server 1' to views/remote/<path(0)>").remoteServer())
                .contains("Remote Server 1");
    }
}
