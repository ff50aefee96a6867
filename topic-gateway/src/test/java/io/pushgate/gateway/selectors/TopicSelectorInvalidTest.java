package io.pushgate.gateway.selectors;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.ProtocolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every bad expression is refused as INVALID, saying what is wrong and where. */
class TopicSelectorInvalidTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            >               | a path selector needs a topic path at index 1
            >//             | a path selector needs a topic path at index 1
            >/              | a path selector needs a topic path at index 1
            ?               | a split-path pattern needs at least one segment at index 1
            ?//             | a split-path pattern needs at least one segment at index 1
            *               | a full-path pattern needs a regular expression at index 1
            */              | a full-path pattern needs a regular expression at index 1
            '#'             | a selector set needs at least one selector at index 1
            '#////////'     | a selector set needs at least one selector at index 1
            >a///           | 3 trailing '/' at index 2
            ?a/.*///        | 3 trailing '/' at index 5
            >a//b           | empty path segment at index 3
            /a              | empty path segment at index 0
            >a b            | character ' ' at index 2 is not allowed in a topic path
            a*b             | character '*' at index 1 is not allowed in a topic path
            >a/é            | character 'é' at index 3 is not allowed in a topic path
            ?a//b           | empty segment pattern at index 3
            ?/a             | empty segment pattern at index 1
            ?a/[b           | unclosed character class '[' at index 3
            ?a/[^/]+/[c/d   | unclosed character class '[' at index 9
            *a[             | unclosed character class '[' at index 2
            ?(a             | unclosed group '(' at index 1
            ?a)             | unmatched ')' at index 2
            ?(a/b)          | unclosed group '(' at index 1
            ?a\\            | trailing backslash at index 2
            *\\Qa/b         | unterminated quote '\\Q' at index 1
            *(a)\\1         | backreference '\\1' at index 4 is not supported (RE2 syntax)
            *(?<n>a)\\k<n>  | backreference '\\k' at index 8 is not supported (RE2 syntax)
            *a(?=b)         | lookahead '(?=' at index 2 is not supported (RE2 syntax)
            *a(?!b)         | negative lookahead '(?!' at index 2 is not supported (RE2 syntax)
            *(?<=a)b        | lookbehind '(?<=' at index 1 is not supported (RE2 syntax)
            *(?<!a)b        | negative lookbehind '(?<!' at index 1 is not supported (RE2 syntax)
            *(?>a)          | atomic group '(?>' at index 1 is not supported (RE2 syntax)
            *(?P<n>a)(?P=n) | named backreference '(?P=' at index 9 is not supported (RE2 syntax)
            *a*+            | possessive quantifier '*+' at index 2 is not supported (RE2 syntax)
            ?a{2}+          | possessive quantifier '{2}+' at index 2 is not supported (RE2 syntax)
            *a**            | invalid nested repetition operator '**' (RE2 syntax)
            *x{2,1}         | invalid repeat count '{2,1}' (RE2 syntax)
            ?ok/x{1001}     | invalid regular expression 'x{1001}' at index 4: invalid repeat count
            *[z-a]          | invalid character class range 'z-a' (RE2 syntax)
            *+a             | missing argument to repetition operator '+' (RE2 syntax)
            *((a{100}){100}){100} | pattern too large: its repetitions expand it beyond 4096 atoms, at index 10
            '#>a////?['     | set member '?[': unclosed character class '[' at index 8
            '#>a////>b c'   | set member '>b c': character ' ' at index 9
            '#>a///////>b'  | set member '>a///': 3 trailing '/' at index 3
            """)
    void refuses(String expression, String message) {
        assertThatThrownBy(() -> TopicSelector.parse(expression))
                .isInstanceOfSatisfying(ProtocolException.class, e -> org.assertj.core.api.Assertions
                        .assertThat(e.code()).isEqualTo(ErrorCode.INVALID))
                .hasMessageStartingWith("invalid topic selector '")
                .hasMessageContaining(message);
    }

    @Test
    void refusesNullAndEmpty() {
        assertThatThrownBy(() -> TopicSelector.parse(null)).isInstanceOf(ProtocolException.class)
                .hasMessage("empty topic selector");
        assertThatThrownBy(() -> TopicSelector.parse("")).isInstanceOf(ProtocolException.class)
                .hasMessage("empty topic selector");
    }

    @Test
    void refusesAnExpressionLongerThan4096Characters() {
        String tooLong = ">" + "a/".repeat(2048);

        assertThatThrownBy(() -> TopicSelector.parse(tooLong)).isInstanceOf(ProtocolException.class)
                .hasMessage("topic selector longer than 4096 characters (4097)");
    }

    @Test
    void refusesAPathLongerThanATopicPath() {
        assertThatThrownBy(() -> TopicSelector.parse(">" + "a".repeat(1025))).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("topic path at index 1 is longer than 1024 characters");
    }

    @Test
    void refusesDeepNesting() {
        String deep = "*" + "(".repeat(33) + "a" + ")".repeat(33);

        assertThatThrownBy(() -> TopicSelector.parse(deep)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("groups nested deeper than 32 at index 33");
    }

    @Test
    void abbreviatesALongExpressionInTheMessage() {
        String expression = "?" + "a".repeat(200) + "/[";

        assertThatThrownBy(() -> TopicSelector.parse(expression)).isInstanceOf(ProtocolException.class)
                .hasMessageStartingWith("invalid topic selector '?aaaa")
                .hasMessageContaining("...': unclosed character class '[' at index 202");
    }
}
