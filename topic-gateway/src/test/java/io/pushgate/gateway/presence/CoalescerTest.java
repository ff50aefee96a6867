package io.pushgate.gateway.presence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CoalescerTest {

    /** A scheduler on a clock of its own: tasks run when the test advances the clock. */
    static final class ManualScheduler implements Coalescer.Scheduler {
        record Task(long at, long order, Runnable run) {
        }

        long now;
        long order;
        final PriorityQueue<Task> tasks = new PriorityQueue<>((x, y) -> x.at != y.at ? Long.compare(x.at, y.at) : Long.compare(x.order, y.order));
        final List<Long> requestedDelays = new ArrayList<>();

        @Override
        public void after(long delayMillis, Runnable task) {
            requestedDelays.add(delayMillis);
            tasks.add(new Task(now + delayMillis, order++, task));
        }

        void advance(long millis) {
            long until = now + millis;
            while (!tasks.isEmpty() && tasks.peek().at <= until) {
                Task t = tasks.poll();
                now = t.at;
                t.run.run();
            }
            now = until;
        }
    }

    private final ManualScheduler scheduler = new ManualScheduler();
    private final List<Set<String>> handedOver = new ArrayList<>();

    @Test
    void aBurstWithinOneIntervalIsHandedOverOnce() {
        Coalescer<String> coalescer = new Coalescer<>(scheduler, 250, handedOver::add);
        for (int i = 0; i < 1000; i++) { // a reconnect storm: a thousand subscribes to two rooms
            coalescer.mark(i % 2 == 0 ? "chat/lobby" : "chat/random");
            scheduler.advance(0);
        }
        assertThat(handedOver).isEmpty();
        scheduler.advance(249);
        assertThat(handedOver).isEmpty();
        scheduler.advance(1);
        assertThat(handedOver).containsExactly(Set.of("chat/lobby", "chat/random"));
        assertThat(scheduler.requestedDelays).containsExactly(250L);
    }

    @Test
    void marksDuringAnIntervalGoInTheNextHandOverAndAQuietKeyCostsNothing() {
        Coalescer<String> coalescer = new Coalescer<>(scheduler, 100, handedOver::add);
        coalescer.mark("a");
        scheduler.advance(60);
        coalescer.mark("b");
        scheduler.advance(40);
        assertThat(handedOver).containsExactly(Set.of("a", "b"));
        coalescer.mark("a");
        assertThat(coalescer.pending()).isEqualTo(1);
        scheduler.advance(100);
        assertThat(handedOver).containsExactly(Set.of("a", "b"), Set.of("a"));
        scheduler.advance(10_000);
        assertThat(handedOver).hasSize(2);
        assertThat(scheduler.requestedDelays).containsExactly(100L, 100L);
    }

    @Test
    void theIntervalIsTheConfiguredOne() {
        Coalescer<String> coalescer = new Coalescer<>(scheduler, 1000, handedOver::add);
        coalescer.mark("x");
        scheduler.advance(999);
        assertThat(handedOver).isEmpty();
        scheduler.advance(1);
        assertThat(handedOver).hasSize(1);
    }
}
