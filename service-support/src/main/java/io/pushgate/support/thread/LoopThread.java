package io.pushgate.support.thread;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A daemon thread that runs a loop until it is stopped, for a service's background worker (a
 * stream consumer, a writer): {@link #start()} runs {@code body} on a new thread, and the body
 * loops while {@link #running()}; {@link #pause} waits between attempts but returns at once when
 * {@link #stop()} is called, so a stop never waits out a back-off. Restartable: {@code start()}
 * after {@code stop()} runs the body again on a new thread. An interrupt of the thread stops it.
 */
public final class LoopThread {

    private final String name;
    private final Duration joinTimeout;
    private final Runnable body;

    private volatile boolean running;
    private Thread thread;
    private volatile CountDownLatch stopSignal = new CountDownLatch(1);

    /**
     * @param joinTimeout how long {@link #stop()} waits for the body to return (its longest
     *     blocking call, a blocking read or one attempt, plus a margin)
     */
    public LoopThread(String name, Duration joinTimeout, Runnable body) {
        this.name = Objects.requireNonNull(name, "name");
        this.joinTimeout = Objects.requireNonNull(joinTimeout, "joinTimeout");
        this.body = Objects.requireNonNull(body, "body");
    }

    /** Starts the body on a new thread; does nothing if it is running. */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        stopSignal = new CountDownLatch(1);
        thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Asks the body to end (a {@link #pause} in progress returns at once) and waits for it, at most the join timeout. */
    public void stop() throws InterruptedException {
        Thread t;
        synchronized (this) {
            running = false;
            stopSignal.countDown();
            t = thread;
        }
        if (t != null) {
            t.join(joinTimeout.toMillis());
        }
    }

    /** True from {@link #start()} until {@link #stop()} (or an interrupt during a pause). */
    public boolean running() {
        return running;
    }

    /** Waits {@code delay}; false when the thread was stopped meanwhile (or interrupted, which stops it). */
    public boolean pause(Duration delay) {
        try {
            return !stopSignal.await(delay.toMillis(), TimeUnit.MILLISECONDS) && running;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            return false;
        }
    }
}
