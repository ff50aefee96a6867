package io.pushgate.gateway.selectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Patterns that make a backtracking engine take exponential time return promptly here (RE2/J is
 * linear). The timeouts are generous: they catch a hang, they do not measure speed.
 */
class RegexCostTest {

    private static final Duration HANG = Duration.ofSeconds(10);

    @ParameterizedTest
    @ValueSource(strings = {"*(a+)+b", "*(a|a)*b", "*(a|aa)+b", "*(.*)*b", "*(a*)*b", "*([a-z]+)+b"})
    void aCatastrophicPatternReturnsOnA10000CharacterText(String expression) {
        TopicSelector selector = TopicSelector.parse(expression);
        String text = "a".repeat(10_000); // longer than a topic path: matched below the validation

        assertTimeoutPreemptively(HANG, () -> assertThat(selector.matchesValidPath(text)).isFalse());
    }

    @ParameterizedTest
    @ValueSource(strings = {"*(a+)+b", "*(a+)+b//", "*(a|a)*b/", "?(a+)+b", "?(a+)+b//", "*(a/?)+b"})
    void aCatastrophicPatternReturnsOnTheLongestTopicPaths(String expression) {
        TopicSelector selector = TopicSelector.parse(expression);
        String flat = "a".repeat(1024);
        String deep = "a/".repeat(511) + "a";

        assertTimeoutPreemptively(HANG, () -> {
            assertThat(selector.matches(flat)).isFalse();
            assertThat(selector.matches(deep)).isFalse();
        });
    }
}
