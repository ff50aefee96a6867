package io.pushgate.gateway.views;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.pushgate.gateway.views.PathTemplate.Expand;
import io.pushgate.gateway.views.PathTemplate.Literal;
import io.pushgate.gateway.views.PathTemplate.Scalar;
import io.pushgate.gateway.views.PathTemplate.SourcePath;
import io.pushgate.gateway.views.ProcessStatement.And;
import io.pushgate.gateway.views.ProcessStatement.Compare;
import io.pushgate.gateway.views.ProcessStatement.Comparator;
import io.pushgate.gateway.views.ProcessStatement.Exists;
import io.pushgate.gateway.views.ProcessStatement.In;
import io.pushgate.gateway.views.ProcessStatement.Not;
import io.pushgate.gateway.views.ProcessStatement.Or;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.TopicType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The clauses Diffusion has beyond the first language: what each parses to, and that each round-trips. */
class ViewParserClausesTest {

    @Test
    void parsesExpandDirectivesNestedAndFollowedByAScalar() {
        ViewSpec spec = ViewParser.parse("map data to customers/<expand(/customers,/name)>/orders/<expand(/orders)>/<scalar(/id)>");

        assertThat(spec.target().parts()).containsExactly(new Literal("customers/"), new Expand("/customers", Optional.of("/name")),
                new Literal("/orders/"), new Expand("/orders", Optional.empty()), new Literal("/"), new Scalar("/id"));
        assertThat(spec.target().expands()).isTrue();
        assertThat(spec.requiresJsonSource()).isTrue();
        assertThat(ViewParser.parse("map ?a/path/ to b/<expand()>").target().parts())
                .containsExactly(new Literal("b/"), new Expand("", Optional.empty()));
        assertThat(ViewParser.parse("map ?a to b<expand(,/name)>").target().parts())
                .containsExactly(new Literal("b"), new Expand("", Optional.of("/name")));
        // ',' and ')' in a pointer are escaped
        assertThat(ViewParser.parse("map ?a to b/<expand(/x\\,y\\))>").target().parts())
                .containsExactly(new Literal("b/"), new Expand("/x,y)", Optional.empty()));
    }

    @Test
    void parsesAPatch() {
        ViewSpec spec = ViewParser.parse("map ?a// to b/<path(1)> patch '[{\"op\": \"add\", \"path\": \"/price\", \"value\": 22},\n"
                + "        {\"op\": \"remove\", \"path\": \"/name\"}]'");

        assertThat(spec.transformations()).containsExactly(new Transformation.Patch(
                Json.parse("[{\"op\":\"add\",\"path\":\"/price\",\"value\":22},{\"op\":\"remove\",\"path\":\"/name\"}]")));
        assertThat(spec.requiresJsonSource()).isTrue();
    }

    @Test
    void parsesProcessStatements() {
        ViewSpec spec = ViewParser.parse("map ?a// to b/<path(1)> process {if '/Price lt 50' set(/Tier, 1) elseif '/Price gt 50' set(/Tier, 2)}");
        ProcessStatement statement = ((Transformation.Process) spec.transformations().get(0)).statement();

        assertThat(statement.branches()).hasSize(2);
        assertThat(statement.branches().get(0).condition())
                .contains(new Compare("/Price", Comparator.LT, Optional.of(IntNode.valueOf(50)), Optional.empty()));
        assertThat(statement.branches().get(0).operations())
                .containsExactly(new ProcessStatement.Set("/Tier", Optional.of(IntNode.valueOf(1)), Optional.empty()));
        assertThat(statement.branches().get(1).condition())
                .contains(new Compare("/Price", Comparator.GT, Optional.of(IntNode.valueOf(50)), Optional.empty()));

        ProcessStatement chained = process("process {set(/Amount, calc \"/Value * /Number\"); remove(/Value); remove (/Number)}");
        assertThat(chained.conditional()).isFalse();
        assertThat(chained.branches().get(0).operations()).containsExactly(
                new ProcessStatement.Set("/Amount", Optional.empty(), Optional.of(new ProcessStatement.Arithmetic('*',
                        new ProcessStatement.Field("/Value"), new ProcessStatement.Field("/Number")))),
                new ProcessStatement.Remove("/Value"), new ProcessStatement.Remove("/Number"));
        assertThat(process("process {set(/Name, 'John')};").branches().get(0).operations())
                .containsExactly(new ProcessStatement.Set("/Name", Optional.of(TextNode.valueOf("John")), Optional.empty()));
        assertThat(process("process {if '/a = 1' continue elsf '/a = 2' remove(/b) else set(/c, true)}").branches()).hasSize(3);
    }

    @Test
    void conditionsHaveTheUsualPrecedenceAndEveryOperatorSpelling() {
        Compare age50 = new Compare("/Age", Comparator.EQ, Optional.of(IntNode.valueOf(50)), Optional.empty());
        Compare age80 = new Compare("/Age", Comparator.GT, Optional.of(IntNode.valueOf(80)), Optional.empty());
        Compare accounts = new Compare("/Department", Comparator.EQ, Optional.of(TextNode.valueOf("Accounts")), Optional.empty());
        assertThat(condition("/Age = 50 or /Age > 80 & /Department eq \"Accounts\""))
                .isEqualTo(new Or(age50, new And(age80, accounts)));
        assertThat(condition("(/Age = 50 or /Age > 80) and /Department eq \"Accounts\""))
                .isEqualTo(new And(new Or(age50, age80), accounts));
        assertThat(condition("not (/Age = 50 | /Age>80)")).isEqualTo(new Not(new Or(age50, age80)));
        assertThat(condition("/Age > /RetirementAge"))
                .isEqualTo(new Compare("/Age", Comparator.GT, Optional.empty(), Optional.of("/RetirementAge")));
        assertThat(condition("/primary_value exists")).isEqualTo(new Exists("/primary_value"));
        assertThat(condition("/ccy in (\"USD\", \"EUR\", 3)"))
                .isEqualTo(new In("/ccy", List.of(TextNode.valueOf("USD"), TextNode.valueOf("EUR"), IntNode.valueOf(3))));
        for (String[] spelling : new String[][] {{"=", "eq"}, {"!=", "ne"}, {">", "gt"}, {"<", "lt"}, {">=", "ge"}, {"<=", "le"}}) {
            assertThat(condition("/a " + spelling[0] + " 1")).isEqualTo(condition("/a " + spelling[1] + " 1"));
        }
        assertThat(condition("/price_per_share > 20.5"))
                .isEqualTo(new Compare("/price_per_share", Comparator.GT, Optional.of(Json.parse("20.5")), Optional.empty()));
    }

    @Test
    void calculationsHaveTheUsualPrecedence() {
        assertThat(ProcessText.calc(calc("/Salary + 1000 + /Age * 10"))).isEqualTo("(/Salary + 1000) + (/Age * 10)");
        assertThat(ProcessText.calc(calc("(/Salary + 1000 + /Age) * 10"))).isEqualTo("((/Salary + 1000) + /Age) * 10");
        assertThat(ProcessText.calc(calc("/Value / 2 - -3.5"))).isEqualTo("(/Value / 2) - -3.5");
        assertThat(ProcessText.calc(calc("/a/b * 1e2"))).isEqualTo("/a/b * 100");
    }

    @Test
    void parsesInserts() {
        ViewSpec spec = ViewParser.parse("map ?a// to b/<path(1)> insert AC/<path(1,1)>/<scalar(/myval)> key /name at /T/- default \"unknown\""
                + " insert AnyTopic at /T insert rates at /rate default 1.0 live inserts");

        assertThat(spec.transformations()).containsExactly(
                new Transformation.Insert(PathTemplate.of(List.of(new Literal("AC/"), new SourcePath(1, OptionalInt.of(1)),
                        new Literal("/"), new Scalar("/myval"))), Optional.of("/name"), "/T/-", Optional.of(TextNode.valueOf("unknown"))),
                new Transformation.Insert(PathTemplate.parse("AnyTopic"), Optional.empty(), "/T", Optional.empty()),
                new Transformation.Insert(PathTemplate.parse("rates"), Optional.empty(), "/rate", Optional.of(IntNode.valueOf(1))));
        assertThat(spec.inserts()).hasSize(3);
        assertThat(spec.liveInserts()).isTrue();
        assertThat(ViewParser.parse("map my/topic/path/original_cast\n  to views/the_flintstones\n"
                + "  insert my/topic/path/additional_cast/1 at /-\n  insert my/topic/path/additional_cast/2 at /-").inserts())
                .extracting(Transformation.Insert::at).containsExactly("/-", "/-");
    }

    @Test
    void parsesOptions() {
        ViewSpec spec = ViewParser.parse("map ?a// to b/<path(1)> with properties 'CONFLATION':'off', 'DONT_RETAIN_VALUE':'true'"
                + " preserve topics type JSON");

        assertThat(spec.properties()).isEqualTo(Map.of("CONFLATION", "off", "DONT_RETAIN_VALUE", "true"));
        assertThat(spec.preserveTopics()).isTrue();
        assertThat(spec.type()).contains(TopicType.JSON);
        assertThat(ViewParser.parse("map ?a// to b/<path(1)> with properties CONFLATION:off, PUBLISH_VALUES_ONLY : true,"
                + "TIME_SERIES_SUBSCRIPTION_RANGE:'limit 20'").properties())
                .isEqualTo(Map.of("CONFLATION", "off", "PUBLISH_VALUES_ONLY", "true", "TIME_SERIES_SUBSCRIPTION_RANGE", "limit 20"));
        assertThat(ViewParser.parse("map ?a// to b/<path(1)> with properties conflation:UNSUBSCRIBE").properties())
                .isEqualTo(Map.of("CONFLATION", "unsubscribe"));
    }

    @Test
    void parsesFromWithPlainAndQuotedServerNames() {
        assertThat(ViewParser.parse("map ?a// from server1 to b/<path(1)>").remoteServer()).contains("server1");
        assertThat(ViewParser.parse("map my/topic/path from 'Remote Server 1' to views/remote/<path(0)>").remoteServer())
                .contains("Remote Server 1");
        assertThat(ViewParser.parse("map ?a// FROM \"it's\" to b").remoteServer()).contains("it's");
        assertThat(ViewParser.parse("map ?a// from a\\ b to b").remoteServer()).contains("a b");
        assertThat(ViewParser.parse("map ?a// to b").remoteServer()).isEmpty();
    }

    @Test
    void quotesAndEscapesInTemplates() {
        assertThat(ViewParser.parse("map \"a//\" to \"views/<path(1)>\"").target()).isEqualTo(PathTemplate.parse("views/<path(1)>"));
        assertThat(ViewParser.parse("map 'alice\\'s topic' to 'bob'").selector()).isEqualTo("alice's topic");
        assertThat(ViewParser.parse("map ?a// to vi\\ews").target()).isEqualTo(PathTemplate.parse("views"));
        assertThat(ViewParser.parse("map ?a// to <scalar(/x(\\)/y)>").target().parts()).containsExactly(new Scalar("/x()/y"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "map ?a/path/ to b/<expand()> preserve topics",
        "map data to customers/<expand(/customers,/name)>/orders/<expand(/orders, /id)>",
        "map ?a to b/<expand(/x\\,y\\)\\\\)>",
        "map ?a// to b/<path(1)> patch '[{\"op\": \"add\", \"path\": \"/it\\'s\", \"value\": \"a\\\\\\\\b\"}]'",
        "map ?a// to b/<path(1)> process {set(/Name, 'John')};",
        "map ?a// to b/<path(1)> process {if '/Price gt 50' continue}",
        "map ?a// to b/<path(1)> process {if '/Price lt 50' set(/Tier, 1) elseif '/Price gt 50' set(/Tier, 2)}",
        "map ?a// to b/<path(1)> process {if '/tier eq \"prem\\'ium\" and (/balance > 10000 or not (/x exists))' set(/p, 'hi')"
                + " elsf '/c in (1, \"two\", true, null)' remove(/x y) else set(/n, -2.50); continue}",
        "map ?a// to b/<path(1)> process {set(/a, calc '-(/x) * (2 + /y) / 4 - -1')} process {remove(/a\\,b)}",
        "map ?a// to b/<path(1)> insert AC/<path(1,1)>/<scalar(/myval)> key /na\\ me at /T/- default \"un'known\" insert x at /y default 3",
        "map ?a// from 'Remote Server 1' to b/<path(1)> with properties CONFLATION:off, TIME_SERIES_RETAINED_RANGE:'limit 10'",
        "map ?a// to b/<path(1)> patch '[]' process {continue} insert c at /c live inserts preserve topics as <value(/c)>",
    })
    void parsesBackToAnEqualSpec(String text) {
        ViewSpec spec = ViewParser.parse(text);
        String dsl = spec.toDsl();

        assertThat(ViewParser.parse(dsl)).as(dsl).isEqualTo(spec);
        assertThat(ViewParser.parse(dsl).toDsl()).isEqualTo(dsl);
    }

    @Test
    void rendersCanonically() {
        assertThat(ViewParser.parse("map ?a// to b process {if '/Age = 50 or /Age > 80 & /D eq \"A\"' set(/x,1)}").toDsl())
                .isEqualTo("map ?a// to b process {if '/Age = 50 or (/Age > 80 and /D = \"A\")' set(/x, 1)}");
        assertThat(ViewParser.parse("map ?a// to b WITH PROPERTIES 'DONT_RETAIN_VALUE':'TRUE', conflation:off PRESERVE TOPICS").toDsl())
                .isEqualTo("map ?a// to b with properties CONFLATION:off, DONT_RETAIN_VALUE:true preserve topics");
        assertThat(ViewParser.parse("map ?a from s1 to b insert x  key  /k  at /T/-").toDsl()).isEqualTo("map ?a from s1 to b insert x key /k at /T/-");
    }

    private static ProcessStatement process(String clause) {
        return ((Transformation.Process) ViewParser.parse("map ?a// to b " + clause).transformations().get(0)).statement();
    }

    private static ProcessStatement.Condition condition(String text) {
        return process("process {if '" + text.replace("'", "\\'") + "' continue}").branches().get(0).condition().get();
    }

    private static ProcessStatement.Calc calc(String text) {
        return ((ProcessStatement.Set) process("process {set(/x, calc '" + text + "')}").branches().get(0).operations().get(0)).calc().get();
    }
}
