package io.pushgate.bench.load;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntFunction;

/** Opens many connections with a bounded number in flight, from the scenario's (non-Vert.x) thread. */
public final class Connector {

    /**
     * What a batch of opens gave: the connections by index (null where one failed or was not
     * tried), how many failed, the first failure's message, and how long it took.
     */
    public record Opened<T>(List<T> connections, int failures, String firstError, double seconds) {

        public int count() {
            return (int) connections.stream().filter(java.util.Objects::nonNull).count();
        }
    }

    private Connector() {
    }

    /**
     * Opens {@code n} connections ({@code open.apply(i)}), at most {@code inFlight} at a time,
     * within {@code timeoutMillis} in all. Stops starting new ones once {@code maxFailures}
     * have failed (the machine is out of something), and waits for those in flight.
     */
    public static <T> Opened<T> openAll(int n, int inFlight, long timeoutMillis, int maxFailures, IntFunction<Future<T>> open)
            throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        AtomicReferenceArray<T> connections = new AtomicReferenceArray<>(n);
        AtomicInteger failures = new AtomicInteger();
        AtomicReference<String> firstError = new AtomicReference<>();
        Semaphore slots = new Semaphore(inFlight);
        int started = 0;
        CountDownLatch done = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            if (failures.get() >= maxFailures || System.nanoTime() > deadline) {
                break;
            }
            if (!slots.tryAcquire(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                break;
            }
            started++;
            Future<T> f;
            try {
                f = open.apply(i);
            } catch (RuntimeException e) {
                f = Future.failedFuture(e);
            }
            int index = i;
            f.onComplete(ar -> {
                if (ar.succeeded()) {
                    connections.set(index, ar.result());
                } else {
                    failures.incrementAndGet();
                    firstError.compareAndSet(null, String.valueOf(ar.cause().getMessage()));
                }
                slots.release();
                done.countDown();
            });
        }
        for (int i = started; i < n; i++) {
            done.countDown();
        }
        done.await(Math.max(1, deadline - System.nanoTime()) + TimeUnit.SECONDS.toNanos(20), TimeUnit.NANOSECONDS);
        List<T> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(connections.get(i));
        }
        return new Opened<>(list, failures.get() + (int) done.getCount(), firstError.get(), (System.nanoTime() - start) / 1e9);
    }
}
