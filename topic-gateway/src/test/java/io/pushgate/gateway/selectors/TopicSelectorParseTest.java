package io.pushgate.gateway.selectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushgate.gateway.selectors.TopicSelector.Type;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each form parses to the right type, normalized expression and root path. */
class TopicSelectorParseTest {

    @ParameterizedTest(name = "{0} -> {1} ({2}), root ''{3}''")
    @CsvSource(delimiter = '|', emptyValue = "", textBlock = """
            >a/b                | >a/b                 | PATH               | a/b
            a/b                 | >a/b                 | PATH               | a/b
            >a/b//              | >a/b//               | PATH               | a/b
            >a/b/               | >a/b/                | PATH               | a/b
            >prices.btc         | >prices.btc          | PATH               | prices.btc
            ?prices/btc//       | >prices/btc//        | PATH               | prices/btc
            ?prices\\.btc/usd   | >prices.btc/usd      | PATH               | prices.btc/usd
            ?a\\-b              | >a-b                 | PATH               | a-b
            ?a/\\Qb.c\\E        | >a/b.c               | PATH               | a/b.c
            *a/b                | >a/b                 | PATH               | a/b
            *a\\/b//            | >a/b//               | PATH               | a/b
            ?a/[^/]+/c          | ?a/[^/]+/c           | SPLIT_PATH_PATTERN | a
            ?prices.btc         | ?prices.btc          | SPLIT_PATH_PATTERN | ''
            ?a/b/.*//           | ?a/b/.*//            | SPLIT_PATH_PATTERN | a/b
            ?a\\.b/x.y/c        | ?a\\.b/x.y/c         | SPLIT_PATH_PATTERN | a.b
            ?.*//               | ?.*//                | SPLIT_PATH_PATTERN | ''
            *a/.*               | *a/.*                | FULL_PATH_PATTERN  | a
            *a/b/c.*            | *a/b/c.*             | FULL_PATH_PATTERN  | a/b
            *a/b/c/.*//         | *a/b/c/.*//          | FULL_PATH_PATTERN  | a/b/c
            *a/bc?              | *a/bc?               | FULL_PATH_PATTERN  | a
            *a/b/?c             | *a/b/?c              | FULL_PATH_PATTERN  | a
            *a/b/+c             | *a/b/+c              | FULL_PATH_PATTERN  | a
            '*a/b|c'            | '*a/b|c'             | FULL_PATH_PATTERN  | ''
            '*a/(b|c)'          | '*a/(b|c)'           | FULL_PATH_PATTERN  | a
            *(?i)a/b            | *(?i)a/b             | FULL_PATH_PATTERN  | ''
            *prices.btc         | *prices.btc          | FULL_PATH_PATTERN  | ''
            *.*                 | *.*                  | FULL_PATH_PATTERN  | ''
            '#>b////>a'           | #>a////>b            | SELECTOR_SET       | ''
            '#>a/b////?a/c/.*'    | #>a/b////?a/c/.*     | SELECTOR_SET       | a
            '#>a/b/c////>a/b//'   | #>a/b//////>a/b/c    | SELECTOR_SET       | a/b
            '#>a/b////>a/bc'      | #>a/b////>a/bc       | SELECTOR_SET       | a
            '#>a'                 | >a                   | PATH               | a
            '#>a////>a'           | >a                   | PATH               | a
            '#>a////#>b////>c'    | #>a////>b////>c      | SELECTOR_SET       | ''
            '##>x'                | >x                   | PATH               | x
            '#////>a////////>b////'  | #>a////>b          | SELECTOR_SET       | ''
            """)
    void parses(String expression, String normalized, Type type, String rootPath) {
        TopicSelector selector = TopicSelector.parse(expression);

        assertThat(selector.expression()).isEqualTo(normalized);
        assertThat(selector.type()).isEqualTo(type);
        assertThat(selector.rootPath()).isEqualTo(rootPath);
        assertThat(selector.toString()).isEqualTo(normalized);
        assertThat(TopicSelector.parse(normalized)).isEqualTo(selector); // the normal form is a fixed point
    }

    @Test
    void equalsAndHashCodeFollowTheNormalizedExpression() {
        assertThat(TopicSelector.parse("a/b//")).isEqualTo(TopicSelector.parse(">a/b//"))
                .hasSameHashCodeAs(TopicSelector.parse("?a/b//"));
        assertThat(TopicSelector.parse("#>a////?b/.*")).isEqualTo(TopicSelector.parse("#?b/.*////>a////>a"));
        assertThat(TopicSelector.parse(">a/b")).isNotEqualTo(TopicSelector.parse(">a/b//"));
        assertThat(TopicSelector.parse("?a.b")).isNotEqualTo(TopicSelector.parse(">a.b"));
    }

    @Test
    void aRunOfSlashesInASetEndsThePreviousMemberBeforeTheSeparator() {
        assertThat(TopicSelector.parse("#>a//////>b").expression()).isEqualTo("#>a//////>b");
        assertThat(TopicSelector.parse("#>a/////>b").expression()).isEqualTo("#>a/////>b");
        assertThat(TopicSelector.parse("#>a//////>b").matches("a/x")).isTrue();
        assertThat(TopicSelector.parse("#>a/////>b").matches("a")).isFalse();
        assertThat(TopicSelector.parse("#>a/////>b").matches("a/x")).isTrue();
    }

    @Test
    void aSelectorOfTheMaximumLengthIsAccepted() {
        String regex = "*" + "[a-z]".repeat((TopicSelector.MAX_EXPRESSION_LENGTH - 1) / 5);
        assertThat(regex.length()).isLessThanOrEqualTo(TopicSelector.MAX_EXPRESSION_LENGTH);

        assertThat(TopicSelector.parse(regex).matches("abc")).isFalse();
    }

    @Test
    void aLiteralSplitPathLongerThanAnyTopicPathStaysAPatternThatMatchesNothing() {
        String literal = "?" + "abcdefghij/".repeat(100) + "x";

        TopicSelector selector = TopicSelector.parse(literal);

        assertThat(selector.type()).isEqualTo(Type.SPLIT_PATH_PATTERN);
        assertThat(selector.matches("abcdefghij/x")).isFalse();
    }

    @Test
    void matchesIsFalseForInvalidPaths() {
        TopicSelector all = TopicSelector.parse("*.*");

        assertThat(all.matches(null)).isFalse();
        assertThat(all.matches("")).isFalse();
        assertThat(all.matches("/a")).isFalse();
        assertThat(all.matches("a/")).isFalse();
        assertThat(all.matches("a b")).isFalse();
        assertThat(all.matches("a".repeat(1025))).isFalse();
        assertThat(all.matches("a".repeat(1024))).isTrue();
    }
}
