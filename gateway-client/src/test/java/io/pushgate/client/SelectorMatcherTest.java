package io.pushgate.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Client-side selector matching, by the contract's table (docs/protocol.md, "Topic selectors"). */
class SelectorMatcherTest {

    @ParameterizedTest(name = "{0} on {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            // path selectors
            ">a/b        | a/b     | true",
            ">a/b        | a/b/c   | false",
            "a/b         | a/b     | true",
            "a/b         | a/bc    | false",
            ">a/b//      | a/b     | true",
            ">a/b//      | a/b/c/d | true",
            ">a/b//      | a/bc    | false",
            ">a/b/       | a/b     | false",
            ">a/b/       | a/b/c   | true",
            // split-path patterns: one expression per whole segment
            "?a/[^/]+/c  | a/x/c   | true",
            "?a/[^/]+/c  | a/x/y/c | false",
            "?a/.*/c     | a/x/c   | true",
            "?a/b        | a/bb    | false",
            "?prices//   | prices  | true",
            "?prices//   | prices/btc/usd | true",
            "?prices/    | prices  | false",
            "?prices/    | prices/btc | true",
            "?p.*        | prices  | true",
            "?p.*        | prices/btc | false",
            "?a/[]x]/c   | a/]/c   | true",
            // full-path patterns: one expression over the whole path
            "*a/.*       | a/b/c   | true",
            "*a/.*       | b/a/c   | false",
            "*a/b        | a/bc    | false",
            "*a/b[0-9]// | a/b1/x  | true",
            "*a/b[0-9]// | a/b1    | true",
            "*a/b[0-9]/  | a/b1    | false",
            "*a/b[0-9]/  | a/b1/x  | true",
            // selector sets
            "#>a////?b/. | a       | true",
            "#>a////?b/. | b/c     | true",
            "#>a////?b/. | c       | false",
    })
    void matches(String selector, String path, boolean expected) {
        SelectorMatcher matcher = SelectorMatcher.parse(selector.trim());
        assertThat(matcher.certain()).isTrue();
        assertThat(matcher.matches(path.trim())).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"?a/[unclosed", "*(?P<n>a)", "''", ">"})
    void selectorsItCannotReadAreUncertainAndMatchNothing(String selector) {
        SelectorMatcher matcher = SelectorMatcher.parse(selector);
        assertThat(matcher.certain()).isFalse();
        assertThat(matcher.matches("a")).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"a/b,>a/b", ">a/b,>a/b", "?a//,?a//", "*a/.*,*a/.*", "#>a////>b,#>a////>b"})
    void aBarePathIsKeyedAsAPathSelector(String selector, String key) {
        assertThat(SelectorMatcher.normalize(selector)).isEqualTo(key);
    }
}
