package io.pushgate.backend.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pushgate.backend.gateway.MemoryGateway;
import io.pushgate.backend.gateway.GatewayException;
import io.pushgate.backend.gateway.GatewayPort;
import io.pushgate.protocol.ErrorCode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GatewayWriterTest {

    private final List<String> events = new CopyOnWriteArrayList<>();
    private final AtomicInteger retries = new AtomicInteger();
    private final GatewayWriter writer = new GatewayWriter(new MemoryGateway(), new WriteQueue(2), Duration.ofMillis(5), Duration.ofMillis(20),
            new GatewayWriter.Listener() {
                @Override
                public void retried(WriteOp op, GatewayException failure) {
                    retries.incrementAndGet();
                }
            });

    /** An op that fails {@code failures} times with {@code error} before succeeding. */
    class Scripted implements WriteOp {
        final String name;
        final boolean droppable;
        int failures;
        final GatewayException error;

        Scripted(String name, boolean droppable, int failures, GatewayException error) {
            this.name = name;
            this.droppable = droppable;
            this.failures = failures;
            this.error = error;
        }

        @Override
        public boolean droppable() {
            return droppable;
        }

        @Override
        public void run(GatewayPort gateway) {
            events.add("run " + name);
            if (failures > 0) {
                failures--;
                throw error;
            }
        }

        @Override
        public boolean givesUpOn(GatewayException failure) {
            return !failure.isTransient();
        }

        @Override
        public void done() {
            events.add("done " + name);
        }

        @Override
        public void dropped() {
            events.add("dropped " + name);
        }

        @Override
        public void failed(GatewayException failure) {
            events.add("failed " + name);
        }

        @Override
        public String describe() {
            return name;
        }
    }

    @AfterEach
    void stop() throws InterruptedException {
        writer.stop();
    }

    @Test
    void retriesATransientFailureAndKeepsTheOrder() {
        writer.submit(new Scripted("a", true, 3, MemoryGateway.away()));
        writer.submit(new Scripted("b", false, 0, null));
        writer.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("done b"));
        assertThat(events).containsExactly("run a", "run a", "run a", "run a", "done a", "run b", "done b");
        assertThat(retries).hasValue(3);
    }

    @Test
    void givesUpOnAPermanentFailure() {
        writer.submit(new Scripted("a", false, 1, GatewayException.refused(ErrorCode.PERMISSION_DENIED, "no")));
        writer.submit(new Scripted("b", false, 0, null));
        writer.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("done b"));
        assertThat(events).containsExactly("run a", "failed a", "run b", "done b");
    }

    @Test
    void aFullBufferDropsTheOldestPriceBeforeItRuns() {
        writer.submit(new Scripted("p1", true, 0, null));
        writer.submit(new Scripted("p2", true, 0, null));
        writer.submit(new Scripted("p3", true, 0, null));
        writer.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("done p3"));
        assertThat(events).containsExactly("dropped p1", "run p2", "done p2", "run p3", "done p3");
    }

    @Test
    void stoppingAbandonsTheOpBeingRetried() throws InterruptedException {
        writer.submit(new Scripted("a", true, Integer.MAX_VALUE, MemoryGateway.away()));
        writer.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> events.size() >= 2);
        writer.stop();
        assertThat(events).allMatch(e -> e.equals("run a"));
    }
}
