package io.pushgate.bench;

import io.pushgate.bench.load.Clients;
import io.pushgate.bench.load.StepRunner;
import io.pushgate.bench.peers.Peer;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Locale;

/** What every scenario gets: options, the clients, the systems under test, the clock and the log. */
public final class RunContext {

    private final Options options;
    private final Clients clients;
    private final List<Peer> peers;
    private final long start = System.nanoTime();
    private final long deadline;

    RunContext(Options options, Clients clients, List<Peer> peers) {
        this.options = options;
        this.clients = clients;
        this.peers = peers;
        this.deadline = start + options.budgetSeconds * 1_000_000_000L;
    }

    public Options options() {
        return options;
    }

    public boolean quick() {
        return options.quick;
    }

    public Vertx vertx() {
        return clients.vertx();
    }

    public Clients clients() {
        return clients;
    }

    public List<Peer> peers() {
        return peers;
    }

    /** Seconds left of the run's time budget. */
    public double remainingSeconds() {
        return (deadline - System.nanoTime()) / 1e9;
    }

    public double elapsedSeconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    public StepRunner steps(double warmup, double measure, double grace) {
        return new StepRunner(warmup, measure, grace);
    }

    public void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[%6.1fs] %s%n", elapsedSeconds(), String.format(Locale.ROOT, format, args));
        System.out.flush();
    }
}
