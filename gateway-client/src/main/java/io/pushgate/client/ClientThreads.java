package io.pushgate.client;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads of one client, all daemon threads: the event thread (every state change and every
 * listener callback, one at a time, in the order the gateway sent the messages), a timer (request
 * timeouts, back-off, keep-alive pings) and a pool that completes the futures handed to the user,
 * so that code waiting on one never holds up the event thread or the socket's reading thread.
 */
final class ClientThreads {

    private static final AtomicInteger CLIENTS = new AtomicInteger();

    final ExecutorService events;
    final ScheduledExecutorService timer;
    final ExecutorService completions;

    ClientThreads() {
        int n = CLIENTS.incrementAndGet();
        this.events = Executors.newSingleThreadExecutor(daemon("pushgate-client-" + n + "-events"));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("pushgate-client-" + n + "-timer"));
        this.completions = Executors.newCachedThreadPool(daemon("pushgate-client-" + n + "-completions"));
    }

    /** Runs a task on the event thread, after those posted before it; false once the client has ended. */
    boolean post(Runnable task) {
        return post(events, task);
    }

    /** Runs a task on an executor; false if it no longer takes tasks (the client has ended). */
    static boolean post(Executor executor, Runnable task) {
        try {
            executor.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** Completes a user's future on the completions pool (here, once the pool is gone). */
    void complete(Runnable completion) {
        try {
            completions.execute(completion);
        } catch (RejectedExecutionException e) {
            completion.run(); // closing: no pool any more
        }
    }

    void shutdown() {
        timer.shutdownNow();
        events.shutdown();
        completions.shutdown();
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name.endsWith("completions") ? name + "-" + count.incrementAndGet() : name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
