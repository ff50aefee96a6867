package io.pushgate.gateway.selectors;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The tricky cases, one row each: selector, path, whether it matches, and why. */
class TopicSelectorMatchingTest {

    @ParameterizedTest(name = "{0} vs {1} -> {2}: {3}")
    @CsvSource(delimiter = '|', textBlock = """
            ?a/[^/]+/c    | a/b/c          | true  | one pattern per segment
            ?a/[^/]+/c    | a/bbb/c        | true  | [^/]+ takes a whole segment
            ?a/[^/]+/c    | a/b/c/d        | false | the segment counts must be equal
            ?a/[^/]+/c    | a//c           | false | not a topic path (empty segment)
            ?a/[^/]+/c    | a/c            | false | too few segments
            ?a/[^/]+/c//  | a/b/c/d        | true  | // adds descendants
            ?a/[^/]+/c//  | a/b/c          | true  | // keeps the match itself
            ?a/[^/]+/c/   | a/b/c          | false | / excludes the match itself
            ?a/[^/]+/c/   | a/b/c/d/e      | true  | / keeps all descendants
            ?a/[/]        | a/b            | false | a / in a class does not split: [/] never matches a segment
            ?a\\/b        | a/b            | false | an escaped / does not split: one segment never holding /
            >a            | a              | true  | exact path
            >a            | a/b            | false | no qualifier, no descendants
            a             | a/b            | false | bare path: same
            >a//          | a              | true  | // includes the path
            >a//          | a/b/c          | true  | // includes every descendant
            >a/           | a              | false | / excludes the path
            >a/           | a/b            | true  | / includes descendants
            >a//          | ab             | false | a descendant follows a /, not any prefix
            >a/           | ab/c           | false | same for /
            >prices.btc   | prices.btc     | true  | a . in a path is a dot
            >prices.btc   | pricesXbtc     | false | ... and only a dot
            ?prices.btc   | pricesXbtc     | true  | a . in a pattern is any character
            ?prices\\.btc | pricesXbtc     | false | an escaped . is a dot
            ?prices.btc   | prices/btc     | false | a split-path segment never spans a /
            *prices.btc   | prices/btc     | true  | but a full-path . matches / too
            ?a            | ab             | false | anchored: the whole segment
            ?a            | ba             | false | anchored at both ends
            ?b            | ab             | false | no search for a substring
            *a            | ab             | false | anchored: the whole path
            *a.*          | ab             | true  | the pattern may cover the rest
            *a.*          | a/b/c          | true  | .* crosses segments in a full path
            ?a.*          | a/b            | false | ... not in a split path
            ?.*//         | x/y/z          | true  | everything
            *.*           | x              | true  | everything
            ?[ab]/c       | b/c            | true  | class
            ?(?i)abc      | ABC            | true  | flags work in a segment
            '?a|b/c'      | b/c            | true  | alternation stays inside its segment
            '?a|b/c'      | a/b/c          | false | ... and the segment count stays 2
            '*a|b//'      | a/x            | true  | the qualifier applies to the whole alternation
            '*a|b//'      | b/x            | true  | the qualifier applies to the whole alternation
            *a/.*//       | a              | false | a/.* needs something after a/
            *a/.*//       | a/b/c          | true  | matched, so are its descendants
            *a//          | a/b            | true  | full path with //
            *a/           | a              | false | full path with /
            *[ab]/        | b/c            | true  | full path with /: descendants of a match
            *a$//         | a/b            | false | $ is the end of the whole path (documented)
            *a$//         | a              | true  | ... so only a itself
            '*(a|b)/c'    | b/c            | true  | group with a literal after it
            '#>a////>b'     | b              | true  | set: any member
            '#>a////>b'     | c              | false | set: no member
            '#>a'           | a              | true  | set of one
            '#>a//////>b'   | a/x            | true  | a run of six: >a// then the separator
            '#>a////////>b' | b              | true  | an empty member is ignored
            '#>a////'       | a              | true  | a trailing empty member is ignored
            '#?x/.*////*y'  | y              | true  | mixed forms
            '#?x/.*////*y'  | x/q            | true  | mixed forms
            ?[a-z]+/      | abc            | false | split path / excludes the match
            ?[a-z]+/      | abc/d          | true  | split path / includes descendants
            >A            | a              | false | case-sensitive
            >a.b//        | a.b/c          | true  | dotted path with descendants
            ?[^/]+        | a/b            | false | one segment only
            *[^/]+        | a/b            | false | a full path [^/]+ is one segment
            ?\\Qa.b\\E    | axb            | false | quoted text is literal
            """)
    void matches(String expression, String path, boolean expected, String why) {
        assertThat(TopicSelector.parse(expression).matches(path)).as(why).isEqualTo(expected);
    }
}
