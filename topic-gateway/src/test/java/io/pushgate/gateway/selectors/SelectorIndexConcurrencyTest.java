package io.pushgate.gateway.selectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Writers add and remove while readers look up: lookups stay consistent and the end state is exact. */
class SelectorIndexConcurrencyTest {

    private static final List<String> SELECTORS = List.of(
            ">s/a", ">s/a//", ">s/a/", ">s/b", "?s/[ab]", "?s/.*//", "*s/a.*", "#>s/b////?s/a/x", ">t//", "?t/[0-9]+");
    private static final List<String> PATHS = List.of("s/a", "s/b", "s/a/x", "s/c", "t", "t/1", "u");

    @Test
    void readersDuringConcurrentWritesSeeStableSubscribersAndTheEndStateIsExact() throws Exception {
        SelectorIndex<String> index = new SelectorIndex<>();
        // present throughout: every lookup must find them
        index.add(TopicSelector.parse(">s//"), "stable-s");
        index.add(TopicSelector.parse("*t.*"), "stable-t");
        int writers = 6;
        int rounds = 3_000;
        ExecutorService pool = Executors.newFixedThreadPool(writers + 2);
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean writing = new AtomicBoolean(true);
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        List<Future<Set<Map.Entry<TopicSelector, String>>>> writerTasks = new ArrayList<>();
        List<Future<?>> readerTasks = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            writerTasks.add(pool.submit(() -> {
                // each writer has its own subscribers, so it knows exactly which pairs it leaves behind
                Set<Map.Entry<TopicSelector, String>> left = new HashSet<>();
                start.await();
                for (int round = 0; round < rounds; round++) {
                    String subscriber = "w" + writer + "-" + (round % 5);
                    TopicSelector selector = TopicSelector.parse(SELECTORS.get((round * 7 + writer) % SELECTORS.size()));
                    index.add(selector, subscriber);
                    left.add(Map.entry(selector, subscriber));
                    if (round % 3 != 0) {
                        assertThat(index.remove(selector, subscriber)).isTrue();
                        left.remove(Map.entry(selector, subscriber));
                    }
                    if (round % 97 == 0) {
                        String closing = "w" + writer + "-" + ((round + 1) % 5);
                        index.removeAll(closing);
                        left.removeIf(pair -> pair.getValue().equals(closing));
                    }
                }
                return left;
            }));
        }
        for (int r = 0; r < 2; r++) {
            readerTasks.add(pool.submit(() -> {
                start.await();
                while (writing.get()) {
                    for (String path : PATHS) {
                        Set<String> found = index.subscribersMatching(path);
                        if (path.startsWith("s/") && !found.contains("stable-s")
                                || path.startsWith("t") && !found.contains("stable-t")) {
                            problems.add("lost a stable subscriber for " + path + ": " + found);
                        }
                        if (path.equals("u") && !found.isEmpty()) {
                            problems.add("strangers for u: " + found);
                        }
                    }
                }
                return null;
            }));
        }
        start.countDown();
        Set<Map.Entry<TopicSelector, String>> left = new HashSet<>();
        for (Future<Set<Map.Entry<TopicSelector, String>>> task : writerTasks) {
            left.addAll(task.get(60, TimeUnit.SECONDS));
        }
        writing.set(false);
        for (Future<?> task : readerTasks) {
            task.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        assertThat(problems).isEmpty();
        assertThat(index.size()).isEqualTo(2 + left.size());
        for (String path : PATHS) {
            Set<String> expected = new HashSet<>();
            if (path.startsWith("s/")) {
                expected.add("stable-s");
            }
            if (path.startsWith("t")) {
                expected.add("stable-t");
            }
            left.stream().filter(pair -> pair.getKey().matches(path)).forEach(pair -> expected.add(pair.getValue()));
            assertThat(index.subscribersMatching(path)).as(path).isEqualTo(expected);
        }
    }
}
