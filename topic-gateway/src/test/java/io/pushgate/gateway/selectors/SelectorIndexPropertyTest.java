package io.pushgate.gateway.selectors;

import static io.pushgate.gateway.SeededCases.between;
import static io.pushgate.gateway.SeededCases.forEachSeed;
import static io.pushgate.gateway.SeededCases.size;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The index answers exactly what a brute-force filter over every registered (selector, subscriber)
 * pair answers, whatever the sequence of adds and removes. Selectors and paths come from a small
 * alphabet so that they often overlap, share roots and match. Each property runs on seeded random
 * cases (a failure names the seed that replays it).
 */
class SelectorIndexPropertyTest {

    enum Action { ADD, REMOVE, REMOVE_ALL }

    record Operation(Action action, String expression, int subscriber) {
    }

    @Test
    void subscribersMatchingEqualsTheBruteForceFilter() {
        forEachSeed("subscribersMatchingEqualsTheBruteForceFilter", 400, random ->
                subscribersMatchingEqualsTheBruteForceFilter(operations(random), pathList(random)));
    }

    private static void subscribersMatchingEqualsTheBruteForceFilter(List<Operation> operations, List<String> paths) {
        SelectorIndex<Integer> index = new SelectorIndex<>();
        Set<Map.Entry<TopicSelector, Integer>> registered = new HashSet<>();
        for (Operation operation : operations) {
            TopicSelector selector = TopicSelector.parse(operation.expression());
            Map.Entry<TopicSelector, Integer> pair = Map.entry(selector, operation.subscriber());
            switch (operation.action()) {
                case ADD -> {
                    index.add(selector, operation.subscriber());
                    registered.add(pair);
                }
                case REMOVE -> assertThat(index.remove(selector, operation.subscriber())).isEqualTo(registered.remove(pair));
                case REMOVE_ALL -> {
                    index.removeAll(operation.subscriber());
                    registered.removeIf(registeredPair -> registeredPair.getValue() == operation.subscriber());
                }
            }
        }

        assertThat(index.size()).isEqualTo(registered.size());
        for (String path : paths) {
            Set<Integer> expected = registered.stream().filter(pair -> pair.getKey().matches(path))
                    .map(Map.Entry::getValue).collect(Collectors.toSet());
            assertThat(index.subscribersMatching(path)).as("%s after %s", path, operations).isEqualTo(expected);
        }
        if (registered.isEmpty()) {
            assertThat(index.nodeCount()).isZero();
        }
    }

    @Test
    void everyMatchedPathIsTheRootPathOrBelowIt() {
        forEachSeed("everyMatchedPathIsTheRootPathOrBelowIt", 2000, random -> {
            String expression = selector(random);
            String path = path(random);
            TopicSelector selector = TopicSelector.parse(expression);
            String root = selector.rootPath();

            if (selector.matches(path)) {
                assertThat(root.isEmpty() || path.equals(root) || path.startsWith(root + "/"))
                        .as("%s matches %s outside its root '%s'", selector, path, root).isTrue();
            }
        });
    }

    @Test
    void theNormalizedExpressionParsesToAnEqualSelectorThatMatchesTheSame() {
        forEachSeed("theNormalizedExpressionParsesToAnEqualSelectorThatMatchesTheSame", 2000, random -> {
            String expression = selector(random);
            String path = path(random);
            TopicSelector selector = TopicSelector.parse(expression);
            TopicSelector reparsed = TopicSelector.parse(selector.expression());

            assertThat(reparsed).as(expression).isEqualTo(selector);
            assertThat(reparsed.expression()).isEqualTo(selector.expression());
            assertThat(reparsed.matches(path)).as("%s on %s", expression, path).isEqualTo(selector.matches(path));
        });
    }

    /** Up to 30 operations: add 6, remove 3, remove all 1; subscribers 0 to 3. */
    private static List<Operation> operations(Random random) {
        List<Operation> operations = new ArrayList<>();
        for (int n = size(random, 0, 30); n > 0; n--) {
            Action action = Action.values()[weighted(random, 6, 3, 1)];
            operations.add(new Operation(action, selector(random), between(random, 0, 3)));
        }
        return operations;
    }

    /** 1 to 12 paths. */
    private static List<String> pathList(Random random) {
        return list(random, 1, 12, SelectorIndexPropertyTest::path);
    }

    /** 1 to 4 segments, each a, b, ab, a.b or c. */
    private static String path(Random random) {
        return String.join("/", list(random, 1, 4, r -> oneOf(r, "a", "b", "ab", "a.b", "c")));
    }

    /** A simple selector (4 in 5), or a set of 1 to 3 of them. */
    private static String selector(Random random) {
        if (weighted(random, 4, 1) == 0) {
            return simpleSelector(random);
        }
        return "#" + String.join("////", list(random, 1, 3, SelectorIndexPropertyTest::simpleSelector));
    }

    /** A path, split-path or full-path selector, evenly. */
    private static String simpleSelector(Random random) {
        return switch (random.nextInt(3)) {
            case 0 -> pathSelector(random);
            case 1 -> splitPathSelector(random);
            default -> fullPathSelector(random);
        };
    }

    private static String qualifier(Random random) {
        return oneOf(random, "", "/", "//");
    }

    private static String pathSelector(Random random) {
        String prefix = oneOf(random, ">", "");
        String path = path(random);
        return prefix + path + qualifier(random);
    }

    private static String splitPathSelector(Random random) {
        List<String> segments = list(random, 1, 3, r -> oneOf(r,
                "a", "b", "ab", "[ab]", ".*", "a|b", "a\\.b", "a.b", "[^/]+", "(?i)A", "c?", "\\Qab\\E"));
        return "?" + String.join("/", segments) + qualifier(random);
    }

    private static String fullPathSelector(Random random) {
        String pattern = oneOf(random,
                "a.*", "a/b", "(a|b)/.*", ".*b", "a/[^/]+", "a\\.b/?.*", "[abc]+", "a|b/c", "ab?", "a/b$", "c/.*",
                "a/?b.*", "b/c|a/.*", "a\\.b", "a/b");
        return "*" + pattern + qualifier(random);
    }


    private static <T> List<T> list(Random random, int minSize, int maxSize, Function<Random, T> item) {
        List<T> out = new ArrayList<>();
        for (int n = size(random, minSize, maxSize); n > 0; n--) {
            out.add(item.apply(random));
        }
        return out;
    }

    /** An index into {@code weights}, chosen with those weights. */
    private static int weighted(Random random, int... weights) {
        int pick = random.nextInt(Arrays.stream(weights).sum());
        for (int i = 0; ; i++) {
            pick -= weights[i];
            if (pick < 0) {
                return i;
            }
        }
    }

    private static String oneOf(Random random, String... values) {
        return values[random.nextInt(values.length)];
    }
}
