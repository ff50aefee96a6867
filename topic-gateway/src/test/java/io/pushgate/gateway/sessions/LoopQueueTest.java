package io.pushgate.gateway.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.junit.jupiter.api.Test;

/** Changes queued for a loop run in order, as batches whose deferred flushes run once each. */
class LoopQueueTest {

    /** An event loop that runs its tasks only when the test says. */
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private final LoopQueue queue = new LoopQueue(tasks::add);
    private final List<String> log = new ArrayList<>();

    private void runLoop() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            task.run();
        }
    }

    /** A write as a batching transport makes it: the message now, its flush at the batch's end. */
    private void write(String connection, String message) {
        log.add(connection + ":" + message);
        if (!WriteBatch.deferFlush(connection, () -> log.add(connection + ":flush"))) {
            log.add(connection + ":flush");
        }
    }

    @Test
    void changesQueuedTogetherAreOneBatchWithOneFlushPerConnection() {
        for (int i = 1; i <= 3; i++) {
            int n = i;
            queue.submit(() -> {
                write("a", "u" + n);
                write("b", "u" + n);
            });
        }
        assertThat(tasks).hasSize(1);
        runLoop();
        assertThat(log).containsExactly("a:u1", "b:u1", "a:u2", "b:u2", "a:u3", "b:u3", "a:flush", "b:flush");
    }

    @Test
    void aChangeAloneIsFlushedAtOnce() {
        queue.submit(() -> write("a", "u1"));
        runLoop();
        queue.submit(() -> write("a", "u2"));
        runLoop();
        assertThat(log).containsExactly("a:u1", "a:flush", "a:u2", "a:flush");
    }

    @Test
    void aLongQueueIsCutIntoBatchesSoTheLoopGetsOnWithOtherWork() {
        for (int i = 0; i < LoopQueue.MAX_BATCH + 1; i++) {
            queue.submit(() -> write("a", "u"));
        }
        runLoop();
        assertThat(log.stream().filter("a:flush"::equals)).hasSize(2);
        assertThat(log.stream().filter("a:u"::equals)).hasSize(LoopQueue.MAX_BATCH + 1);
    }

    @Test
    void aFailingChangeDoesNotStopTheOthersNorTheQueue() {
        queue.submit(() -> write("a", "u1"));
        queue.submit(() -> {
            throw new IllegalStateException("a broken session");
        });
        queue.submit(() -> write("a", "u2"));
        runLoop();
        queue.submit(() -> write("a", "u3"));
        runLoop();
        assertThat(log).containsExactly("a:u1", "a:u2", "a:flush", "a:u3", "a:flush");
    }

    @Test
    void outsideABatchNothingIsDeferred() {
        write("a", "u1");
        assertThat(log).containsExactly("a:u1", "a:flush");
    }
}
