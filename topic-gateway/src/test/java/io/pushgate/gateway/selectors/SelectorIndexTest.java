package io.pushgate.gateway.selectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SelectorIndexTest {

    private final SelectorIndex<String> index = new SelectorIndex<>();

    private void add(String expression, String subscriber) {
        index.add(TopicSelector.parse(expression), subscriber);
    }

    private boolean remove(String expression, String subscriber) {
        return index.remove(TopicSelector.parse(expression), subscriber);
    }

    @Test
    void findsPathSelectorsByQualifier() {
        add(">a/b", "exact");
        add(">a/b//", "self-and-below");
        add(">a/b/", "below");
        add(">a", "other");

        assertThat(index.subscribersMatching("a/b")).containsExactlyInAnyOrder("exact", "self-and-below");
        assertThat(index.subscribersMatching("a/b/c")).containsExactlyInAnyOrder("self-and-below", "below");
        assertThat(index.subscribersMatching("a/b/c/d")).containsExactlyInAnyOrder("self-and-below", "below");
        assertThat(index.subscribersMatching("a")).containsExactly("other");
        assertThat(index.subscribersMatching("a/bc")).isEmpty();
        assertThat(index.subscribersMatching("b")).isEmpty();
    }

    @Test
    void findsPatternSelectorsWhereverTheyAreRooted() {
        add("?prices/[a-z]+/usd", "split");
        add("*prices/.*//", "full");
        add("?.*/x", "anywhere");
        add("*(?i)PRICES/BTC", "case-insensitive");

        assertThat(index.subscribersMatching("prices/btc/usd")).containsExactlyInAnyOrder("split", "full");
        assertThat(index.subscribersMatching("prices/x")).containsExactlyInAnyOrder("full", "anywhere");
        assertThat(index.subscribersMatching("prices/btc")).containsExactlyInAnyOrder("full", "case-insensitive");
        assertThat(index.subscribersMatching("prices")).isEmpty();
    }

    @Test
    void literalPatternsAreFiledAsPaths() {
        add("?prices/btc//", "s1");
        add("*prices/btc", "s2");

        assertThat(index.subscribersMatching("prices/btc")).containsExactlyInAnyOrder("s1", "s2");
        assertThat(index.subscribersMatching("prices/btc/usd")).containsExactly("s1");
    }

    @Test
    void reportsEachSubscriberOnceWhateverNumberOfItsSelectorsMatch() {
        add(">a/b", "s");
        add(">a//", "s");
        add("?a/.*", "s");
        add("*.*", "s");
        add("#>a/b////?[ab]/b", "s");

        assertThat(index.subscribersMatching("a/b")).containsExactly("s");
        assertThat(index.size()).isEqualTo(5);
    }

    @Test
    void aSelectorSetIsFiledAsItsMembers() {
        add("#>a////?b/.*////*c/d//", "s");

        assertThat(index.subscribersMatching("a")).containsExactly("s");
        assertThat(index.subscribersMatching("b/x")).containsExactly("s");
        assertThat(index.subscribersMatching("c/d/e")).containsExactly("s");
        assertThat(index.subscribersMatching("a/x")).isEmpty();
        assertThat(index.size()).isEqualTo(1);

        assertThat(remove("#>a////?b/.*////*c/d//", "s")).isTrue();
        assertThat(index.subscribersMatching("a")).isEmpty();
        assertThat(index.subscribersMatching("b/x")).isEmpty();
        assertThat(index.nodeCount()).isZero();
    }

    @Test
    void removingASelectorKeepsASetThatSharesItsMember() {
        add(">a", "s");
        add("#>a////>b", "s");

        assertThat(remove(">a", "s")).isTrue();

        assertThat(index.subscribersMatching("a")).containsExactly("s");
        assertThat(index.size()).isEqualTo(1);
    }

    @Test
    void addIsIdempotentAndRemoveSaysWhetherThePairWasThere() {
        add(">a", "s");
        add("a", "s"); // the same selector, normalized

        assertThat(index.size()).isEqualTo(1);
        assertThat(remove(">a", "t")).isFalse();
        assertThat(remove(">b", "s")).isFalse();
        assertThat(remove(">a", "s")).isTrue();
        assertThat(remove(">a", "s")).isFalse();
        assertThat(index.size()).isZero();
        assertThat(index.subscribersMatching("a")).isEmpty();
    }

    @Test
    void aPatternSharedBySubscribersServesThemAll() {
        add("?a/[0-9]+", "s1");
        add("?a/[0-9]+", "s2");
        add("?a/[0-9]+", "s3");

        assertThat(index.subscribersMatching("a/42")).containsExactlyInAnyOrder("s1", "s2", "s3");
        assertThat(remove("?a/[0-9]+", "s2")).isTrue();
        assertThat(index.subscribersMatching("a/42")).containsExactlyInAnyOrder("s1", "s3");
    }

    @Test
    void removeAllForgetsEverySelectorOfASubscriberOnly() {
        add(">a", "closing");
        add("?b/.*", "closing");
        add("#>c////*d.*", "closing");
        add(">a", "staying");

        index.removeAll("closing");
        index.removeAll("never-seen");

        assertThat(index.subscribersMatching("a")).containsExactly("staying");
        assertThat(index.subscribersMatching("b/x")).isEmpty();
        assertThat(index.subscribersMatching("dd")).isEmpty();
        assertThat(index.size()).isEqualTo(1);
    }

    @Test
    void removalPrunesTheTrie() {
        add(">a/b/c/d", "s");
        add("?a/b/x.*", "s");
        add(">a/b//", "t");
        assertThat(index.nodeCount()).isEqualTo(4);

        remove(">a/b/c/d", "s");
        assertThat(index.nodeCount()).isEqualTo(2); // a/b still holds the others
        index.removeAll("s");
        index.removeAll("t");
        assertThat(index.nodeCount()).isZero();
        assertThat(index.size()).isZero();
    }

    @Test
    void anInvalidPathMatchesNothing() {
        add("*.*", "s");

        assertThat(index.subscribersMatching("a//b")).isEmpty();
        assertThat(index.subscribersMatching("")).isEmpty();
        assertThat(index.subscribersMatching(null)).isEmpty();
    }

    /**
     * Literal selectors cost a trie walk and patterns are only tried under their root: 200,000 literal
     * selectors and 5,000 patterns rooted elsewhere answer 20,000 lookups at once. Evaluating every
     * pattern per lookup (100 million regex runs) would take minutes; the timeout only catches that.
     */
    @Test
    void lookupCostDoesNotGrowWithUnrelatedSelectors() {
        for (int i = 0; i < 200_000; i++) {
            add(">prices/p" + i + (i % 3 == 0 ? "//" : ""), "literal-" + (i % 1000));
        }
        for (int i = 0; i < 5_000; i++) {
            add("?other/o" + i + "/(x+)+y", "pattern-" + i);
        }

        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            for (int i = 0; i < 20_000; i++) {
                assertThat(index.subscribersMatching("prices/p" + (i * 7) + "/usd"))
                        .hasSize((i * 7) % 3 == 0 ? 1 : 0);
            }
        });
    }
}
