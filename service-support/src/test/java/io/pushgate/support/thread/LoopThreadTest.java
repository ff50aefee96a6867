package io.pushgate.support.thread;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LoopThreadTest {

    @Test
    void theBodyRunsOnANamedDaemonThreadUntilStoppedAndAStopCutsAPauseShort() throws InterruptedException {
        AtomicReference<Thread> ran = new AtomicReference<>();
        AtomicInteger rounds = new AtomicInteger();
        LoopThread[] self = new LoopThread[1];
        self[0] = new LoopThread("worker", Duration.ofSeconds(5), () -> {
            ran.set(Thread.currentThread());
            while (self[0].running()) {
                rounds.incrementAndGet();
                self[0].pause(Duration.ofMinutes(10));
            }
        });
        self[0].start();
        await().until(() -> rounds.get() == 1);

        long before = System.nanoTime();
        self[0].stop();

        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(5));
        assertThat(ran.get().getName()).isEqualTo("worker");
        assertThat(ran.get().isDaemon()).isTrue();
        assertThat(ran.get().isAlive()).isFalse();
        assertThat(self[0].running()).isFalse();
        assertThat(rounds.get()).isEqualTo(1);
    }

    @Test
    void startAfterStopRunsTheBodyAgainOnANewThreadAndASecondStartDoesNothing() throws InterruptedException {
        AtomicInteger starts = new AtomicInteger();
        LoopThread[] self = new LoopThread[1];
        self[0] = new LoopThread("worker", Duration.ofSeconds(5), () -> {
            starts.incrementAndGet();
            while (self[0].pause(Duration.ofMillis(20))) {
                // idle
            }
        });
        self[0].start();
        self[0].start();
        await().until(() -> starts.get() == 1);
        self[0].stop();

        self[0].start();

        await().until(() -> starts.get() == 2);
        assertThat(self[0].running()).isTrue();
        self[0].stop();
    }

    @Test
    void aPauseAnswersTrueWhenItWaitedItsTimeAndFalseOnceStopped() throws InterruptedException {
        LoopThread idle = new LoopThread("idle", Duration.ofSeconds(1), () -> { });
        idle.start();
        assertThat(idle.pause(Duration.ofMillis(10))).isTrue();
        idle.stop();
        assertThat(idle.pause(Duration.ofMillis(10))).isFalse();
    }
}
