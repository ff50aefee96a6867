package io.pushgate.gateway.views;

import static io.pushgate.gateway.SeededCases.between;
import static io.pushgate.gateway.SeededCases.forEachSeed;
import static io.pushgate.gateway.SeededCases.size;
import static org.assertj.core.api.Assertions.assertThat;

import io.pushgate.gateway.views.ThrottleWindow.Decision;
import io.pushgate.gateway.views.ThrottleWindow.Send;
import io.pushgate.gateway.views.ThrottleWindow.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The throttle's decisions, driven by a fake clock (plain longs). */
class ThrottleWindowTest {

    private static ThrottleWindow<String> window(int updates, Duration period) {
        return new ThrottleWindow<>(new Throttle(updates, period));
    }

    @Test
    void oneUpdateEveryFiveSecondsHoldsTheLatestValue() {
        ThrottleWindow<String> w = window(1, Duration.ofSeconds(5));

        assertThat(w.offer("a", 0)).isEqualTo(new Send<>("a"));
        assertThat(w.offer("b", 1_000)).isEqualTo(new Wait<String>(5_000));
        assertThat(w.offer("c", 2_000)).isEqualTo(new Wait<String>(5_000)); // replaces b
        assertThat(w.hasPending()).isTrue();
        assertThat(w.pendingUntil()).isEqualTo(OptionalLong.of(5_000));
        assertThat(w.poll(4_999)).isEmpty();
        assertThat(w.poll(5_000)).contains("c"); // b never goes out
        assertThat(w.hasPending()).isFalse();
        assertThat(w.pendingUntil()).isEmpty();
        assertThat(w.poll(5_500)).isEmpty(); // nothing held
        // the send at 5s counts: the next update waits until 10s
        assertThat(w.offer("d", 6_000)).isEqualTo(new Wait<String>(10_000));
        assertThat(w.poll(10_000)).contains("d");
    }

    @Test
    void updatesSlowerThanTheRatePassUnconstrained() {
        ThrottleWindow<String> w = window(1, Duration.ofSeconds(5));

        assertThat(w.offer("a", 0)).isInstanceOf(Send.class);
        assertThat(w.offer("b", 5_000)).isInstanceOf(Send.class); // the window is (0, 5000]
        assertThat(w.offer("c", 10_500)).isInstanceOf(Send.class);
        assertThat(w.offer("d", 17_000)).isInstanceOf(Send.class);
        assertThat(w.hasPending()).isFalse();
    }

    @Test
    void nUpdatesPerPeriodIsASlidingWindow() {
        ThrottleWindow<String> w = window(2, Duration.ofSeconds(1));

        assertThat(w.offer("a", 0)).isInstanceOf(Send.class);
        assertThat(w.offer("b", 10)).isInstanceOf(Send.class);
        assertThat(w.offer("c", 20)).isEqualTo(new Wait<String>(1_000)); // when the send at 0 leaves
        assertThat(w.poll(1_000)).contains("c");
        assertThat(w.offer("d", 1_005)).isEqualTo(new Wait<String>(1_010)); // when the send at 10 leaves
        assertThat(w.poll(1_010)).contains("d");
        assertThat(w.offer("e", 1_500)).isEqualTo(new Wait<String>(2_000));
    }

    @Test
    void aLateTimerDoesNotDelayANewerValue() {
        ThrottleWindow<String> w = window(1, Duration.ofSeconds(1));

        w.offer("a", 0);
        assertThat(w.offer("b", 100)).isEqualTo(new Wait<String>(1_000));
        // the runtime's timer has not fired yet when a newer value arrives after the due time
        assertThat(w.offer("c", 1_500)).isEqualTo(new Send<>("c"));
        assertThat(w.hasPending()).isFalse(); // b is dropped, c is the latest
        assertThat(w.poll(1_600)).isEmpty();
    }

    @Test
    void aClockGoingBackwardsCountsAsTheLatestTimeSeen() {
        ThrottleWindow<String> w = window(1, Duration.ofMillis(100));

        w.offer("a", 1_000);
        assertThat(w.offer("b", 500)).isEqualTo(new Wait<String>(1_100));
        assertThat(w.poll(900)).isEmpty();
        assertThat(w.poll(1_100)).contains("b");
    }

    /**
     * The runtime's loop, simulated on 300 seeded random cases: 1 to 4 updates per period of 1 to
     * 3000 ms, offers at 1 to 60 gaps of 0 to 2000 ms, the timer fired when it is due. Whatever
     * the timing: at most N sends in any period, values never go backwards, and the last value
     * offered is delivered no later than one period after it was offered.
     */
    @Test
    void atMostNPerPeriodAlwaysEndingOnTheLatest() {
        forEachSeed("atMostNPerPeriodAlwaysEndingOnTheLatest", 300, random -> {
            int updates = between(random, 1, 4);
            int periodMillis = between(random, 1, 3_000);
            List<Integer> gaps = new ArrayList<>();
            for (int n = size(random, 1, 60); n > 0; n--) {
                gaps.add(between(random, 0, 2_000));
            }
            try {
                checkThrottle(updates, periodMillis, gaps);
            } catch (AssertionError e) {
                throw new AssertionError("updates=" + updates + ", periodMillis=" + periodMillis + ", gaps=" + gaps
                        + ": " + e.getMessage(), e);
            }
        });
    }

    private static void checkThrottle(int updates, int periodMillis, List<Integer> gaps) {
        ThrottleWindow<Integer> w = new ThrottleWindow<>(new Throttle(updates, Duration.ofMillis(periodMillis)));
        List<long[]> delivered = new ArrayList<>(); // {time, value}
        long now = 0;
        Long timer = null;
        for (int i = 0; i < gaps.size(); i++) {
            now += gaps.get(i);
            if (timer != null && timer <= now) {
                long due = timer;
                w.poll(due).ifPresent(v -> delivered.add(new long[] {due, v}));
                timer = null;
            }
            Decision<Integer> d = w.offer(i, now);
            if (d instanceof Send<Integer> s) {
                delivered.add(new long[] {now, s.value()});
            } else {
                timer = ((Wait<Integer>) d).untilMillis();
            }
        }
        long lastOffer = now;
        while (w.hasPending()) {
            long due = w.pendingUntil().getAsLong();
            w.poll(due).ifPresent(v -> delivered.add(new long[] {due, v}));
        }

        for (int i = 0; i < delivered.size(); i++) {
            long t = delivered.get(i)[0];
            long inWindow = delivered.stream().filter(x -> x[0] > t - periodMillis && x[0] <= t).count();
            assertThat(inWindow).as("sends in (%d, %d]", t - periodMillis, t).isLessThanOrEqualTo(updates);
            if (i > 0) {
                assertThat(delivered.get(i)[1]).isGreaterThan(delivered.get(i - 1)[1]);
                assertThat(delivered.get(i)[0]).isGreaterThanOrEqualTo(delivered.get(i - 1)[0]);
            }
        }
        long[] last = delivered.get(delivered.size() - 1);
        assertThat(last[1]).isEqualTo(gaps.size() - 1);
        assertThat(last[0]).isLessThanOrEqualTo(lastOffer + periodMillis);
    }

}
