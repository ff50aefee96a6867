package io.pushgate.gateway.sessions.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pushgate.protocol.ErrorCode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The documented examples (Diffusion's and docs/protocol.md's), each against sessions it must and must not select. */
class SessionFilterTest {

    private static final Map<String, String> BOB = props("$SessionId", "r1-1", "$Principal", "bob",
            "$Roles", SessionProperties.roles(List.of("CLIENT", "MODERATOR")), "$Transport", "WEBSOCKET",
            "$ClientIP", "127.0.0.1", "$StartTime", "1700000000000", "country", "UK", "Department", "Accounts");
    private static final Map<String, String> ALICE_SSE = props("$SessionId", "r2-7", "$Principal", "alice",
            "$Roles", SessionProperties.roles(List.of("CLIENT")), "$Transport", "SSE", "$ClientIP", "10.0.0.2",
            "country", "UK", "Department", "Payroll", "Status", "Closed");
    private static final Map<String, String> ANONYMOUS = props("$SessionId", "r2-8", "$Principal", "anonymous",
            "$Roles", SessionProperties.roles(List.of("CLIENT")), "$Transport", "WEBSOCKET", "country", "FR");

    static Stream<Arguments> examples() {
        return Stream.of(
                example("$Principal is 'bob'", true, false, false),
                example("$Principal eq \"bob\"", true, false, false),
                example("$Principal ne 'bob'", false, true, true),
                example("$Roles has 'MODERATOR'", true, false, false),
                example("$Roles has 'CLIENT'", true, true, true),
                example("$Roles eq '\"MODERATOR\",\"CLIENT\"'", true, false, false),
                example("$Roles eq '\"CLIENT\"'", false, true, true),
                example("hasRoles ['CLIENT' 'MODERATOR']", true, false, false),
                example("hasRoles [\"CLIENT\", \"MODERATOR\"]", true, false, false),
                example("hasRoles []", true, true, true),
                example("country eq 'UK' and not $Transport eq 'SSE'", true, false, false),
                example("country eq 'UK' and not ($Transport eq 'SSE')", true, false, false),
                example("country in ['UK', 'FR']", true, true, true),
                example("country in ['DE' 'FR']", false, false, true),
                example("country in []", false, false, false),
                example("all", true, true, true),
                example("ALL", true, true, true),
                example("not all", false, false, false),
                example("Department is \"Accounts\"", true, false, false),
                example("Department is \"Payroll\" and Status is \"Closed\"", false, true, false),
                example("(Department is \"Accounts\" or Department is \"Payroll\") and Status is \"Closed\"", false, true, false),
                example("Department is \"Accounts\" or Department is \"Payroll\" and Status is \"Closed\"", true, true, false),
                example("not Department is \"Payroll\"", true, false, true),
                example("not (Department is \"Payroll\" or Department is \"Accounts\")", false, false, true),
                example("Status ne 'Closed'", true, false, true),
                example("missing eq ''", false, false, false),
                example("$Transport IS 'SSE' OR $Principal Is 'anonymous'", false, true, true),
                example("$SessionId is 'r2-7'", false, true, false),
                example("$SessionId in ['r1-1', 'r2-8']", true, false, true),
                example("((($Principal is 'bob')))", true, false, false),
                example("$Principal is 'bob'\nor\n$Principal is 'alice'", true, true, false));
    }

    private static Arguments example(String filter, boolean bob, boolean aliceSse, boolean anonymous) {
        return Arguments.of(filter, bob, aliceSse, anonymous);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void eachExampleSelectsExactlyItsSessions(String text, boolean bob, boolean aliceSse, boolean anonymous) {
        SessionFilter filter = SessionFilter.parse(text);
        assertThat(filter.matches(BOB)).as("bob").isEqualTo(bob);
        assertThat(filter.matches(ALICE_SSE)).as("alice over SSE").isEqualTo(aliceSse);
        assertThat(filter.matches(ANONYMOUS)).as("anonymous").isEqualTo(anonymous);
        assertThat(SessionFilter.parse(filter.text())).as("the canonical text parses back").isEqualTo(filter);
    }

    @Test
    void andBindsTighterThanOr() {
        assertThat(SessionFilter.parse("a is '1' or b is '2' and c is '3'")).isEqualTo(new SessionFilter.Or(List.of(
                new SessionFilter.Equals("a", "1"),
                new SessionFilter.And(List.of(new SessionFilter.Equals("b", "2"), new SessionFilter.Equals("c", "3"))))));
    }

    @Test
    void escapesInValues() {
        SessionFilter filter = SessionFilter.parse("name is 'O\\'Brien \\\\ \"x\"'");
        assertThat(filter).isEqualTo(new SessionFilter.Equals("name", "O'Brien \\ \"x\""));
        assertThat(filter.matches(Map.of("name", "O'Brien \\ \"x\""))).isTrue();
        assertThat(SessionFilter.parse(filter.text())).isEqualTo(filter);
    }

    @Test
    void rolesWithQuotesRoundTrip() {
        String value = SessionProperties.roles(List.of("a\"b", "c\\d", "e"));
        assertThat(SessionProperties.parseRoles(value)).containsExactly("a\"b", "c\\d", "e");
        assertThat(SessionProperties.parseRoles("CLIENT, MODERATOR")).containsExactly("CLIENT", "MODERATOR");
        assertThat(SessionProperties.parseRoles("")).isEmpty();
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                error("", "line 1, column 1: empty filter: expected a clause such as $Principal is 'bob', or all"),
                error("   ", "line 1, column 4: empty filter: expected a clause such as $Principal is 'bob', or all"),
                error("$Principal", "line 1, column 11: expected is, eq, ne, has or in after $Principal, not the end of the filter"),
                error("$Principal == 'bob'", "line 1, column 12: unexpected character '='"),
                error("$Principal is bob", "line 1, column 15: expected a quoted value after $Principal is, not 'bob'"),
                error("$Principal is 'bob", "line 1, column 15: unterminated quote"),
                error("$Principal is 'bob' and", "line 1, column 24: expected a property name, not, all, hasRoles or '(', not the end of the filter"),
                error("$Principal is 'bob' $Roles has 'x'", "line 1, column 21: expected and, or or the end of the filter, not '$Roles'"),
                error("($Principal is 'bob'", "line 1, column 21: expected ')' to close the '(' at line 1, column 1, not the end of the filter"),
                error("()", "line 1, column 2: empty brackets: expected a clause"),
                error("a is 'x')", "line 1, column 9: expected and, or or the end of the filter, not ')'"),
                error("country in 'UK'", "line 1, column 12: expected '[' and a list of quoted values after country in, not the value 'UK'"),
                error("country in ['UK' 'FR'", "line 1, column 22: expected a quoted value or ']' to close the '[' at line 1, column 12, not the end of the filter"),
                error("country in ['UK',, 'FR']", "line 1, column 18: expected a quoted value or ']' to close the '[' at line 1, column 12, not ','"),
                error("country in [,'UK']", "line 1, column 13: expected a quoted value or ']' to close the '[' at line 1, column 12, not ','"),
                error("hasRoles 'A'", "line 1, column 10: expected '[' and a list of quoted values after hasRoles, not the value 'A'"),
                error("and is 'x'", "line 1, column 1: expected a property name before 'and'"),
                error("9lives is 'x'", "line 1, column 1: '9lives' is not a property name: a fixed property ($Principal, $Roles...) or letters, digits, _ . - starting with a letter or _"),
                error("a is 'x\\n'", "line 1, column 8: unknown escape '\\n': only \\' \\\" and \\\\ are escapes"),
                error("a is 'x' or\n  b eq", "line 2, column 7: expected a quoted value after b eq, not the end of the filter"),
                error("a is 'x'\nand\n   b lt 'y'", "line 3, column 6: expected is, eq, ne, has or in after b, not 'lt'"),
                error("not", "line 1, column 4: expected a property name, not, all, hasRoles or '(', not the end of the filter"));
    }

    private static Arguments error(String filter, String message) {
        return Arguments.of(filter, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void eachErrorNamesItsPosition(String text, String message) {
        SessionFilterSyntaxException e = catchThrowableOfType(SessionFilterSyntaxException.class, () -> SessionFilter.parse(text));
        assertThat(e).as("refused").isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID);
        assertThat(e.getMessage()).isEqualTo("session filter: " + message);
        assertThat("line " + e.line() + ", column " + e.column() + ": " + e.reason()).isEqualTo(message);
    }

    @Test
    void nestingIsBounded() {
        String deep = "(".repeat(5) + "a is 'x'" + ")".repeat(5);
        assertThat(SessionFilter.parse(deep, 5).matches(Map.of("a", "x"))).isTrue();
        SessionFilterSyntaxException e = catchThrowableOfType(SessionFilterSyntaxException.class, () -> SessionFilter.parse(deep, 4));
        assertThat(e.getMessage()).isEqualTo("session filter: line 1, column 5: nested more than 4 deep");
        String nots = "not ".repeat(100_000) + "all";
        e = catchThrowableOfType(SessionFilterSyntaxException.class, () -> SessionFilter.parse(nots));
        assertThat(e.reason()).isEqualTo("nested more than " + SessionFilter.DEFAULT_MAX_DEPTH + " deep");
    }

    private static Map<String, String> props(String... kv) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            map.put(kv[i], kv[i + 1]);
        }
        return map;
    }
}
