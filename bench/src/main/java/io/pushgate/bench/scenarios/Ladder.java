package io.pushgate.bench.scenarios;

import io.pushgate.bench.RunContext;
import io.pushgate.bench.load.Fleet;
import io.pushgate.bench.load.Probe;
import io.pushgate.bench.load.StepRunner;
import io.pushgate.bench.peers.Peer;
import io.pushgate.bench.load.PublisherSlot;
import io.pushgate.bench.peers.Publisher;
import io.pushgate.bench.stats.CpuMeter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Rising rates until delivery falls behind: doubles the rate while steps pass, then narrows
 * the gap between the last passing and the first failing rate a few times (geometric middle).
 * Before each step the subscribers the server dropped are counted and reopened.
 */
final class Ladder {

    /** The ladder's outcome: every step, and the passing step with the most deliveries per second (or null). */
    record Outcome(JsonArray steps, JsonObject best) {
    }

    /** CPU (in cores) that other processes may use during a failing step before it is run again. */
    static final double OTHER_LOAD = 0.25;
    /** How long a step waits for the rest of the machine to go quiet before it starts anyway. */
    static final double QUIET_WAIT_SECONDS = 3;

    private Ladder() {
    }

    static Outcome climb(RunContext ctx, String scenario, Peer peer, Fleet fleet, PublisherSlot publisher, Probe probe,
                         StepRunner runner, int topics, double startRate, double maxRate, int maxSteps, int refinements,
                         double budgetSeconds) throws Exception {
        long end = System.nanoTime() + (long) (budgetSeconds * 1e9);
        JsonArray steps = new JsonArray();
        JsonObject best = null;
        double lo = -1;
        double hi = -1;
        double rate = startRate;
        for (int i = 0; i < maxSteps && rate <= maxRate && System.nanoTime() < end; i++) {
            JsonObject step = step(ctx, scenario, peer, fleet, publisher, probe, runner, topics, rate);
            steps.add(step);
            if (step.getBoolean("passed")) {
                lo = rate;
                best = better(best, step);
                rate *= 2;
            } else {
                hi = rate;
                break;
            }
        }
        for (int i = 0; i < refinements && lo > 0 && hi > 0 && hi / lo > 1.15 && System.nanoTime() < end; i++) {
            double mid = Math.round(Math.sqrt(lo * hi));
            JsonObject step = step(ctx, scenario, peer, fleet, publisher, probe, runner, topics, mid);
            steps.add(step);
            if (step.getBoolean("passed")) {
                lo = mid;
                best = better(best, step);
            } else {
                hi = mid;
            }
        }
        return new Outcome(steps, best);
    }

    /**
     * An unmeasured step before the ladder, at a rate every system sustains (twice the ladder's
     * first; a higher one left the slowest systems a backlog that their first step measured): a JVM server compiles its hot
     * paths (JIT) during its first tens of seconds of load, on the core it is pinned to, and the
     * ladder's first rates would measure that rather than the server. Every system gets the same.
     */
    static JsonObject warmUp(RunContext ctx, String scenario, Peer peer, Fleet fleet, PublisherSlot publisher, Probe probe,
                             StepRunner runner, int topics, double rate, double seconds) throws Exception {
        // In rounds, until the server's CPU for the same load stops falling (a round within 5% of
        // the lowest before it) and the JIT compiler threads of server and load generator are quiet (JitWarmth), at most
        // sixteen: the JIT of a server on one core takes its time, and while it compiles it takes
        // that core from the event loop, so the ladder's first steps measured the compiler (its
        // threads used 40-70 % of the core a minute into a breadth run).
        JsonArray rounds = new JsonArray();
        JsonArray compiling = new JsonArray();
        double lowest = Double.MAX_VALUE;
        JsonObject last = null;
        int max = ctx.quick() ? 2 : 16;
        for (int round = 0; round < max; round++) {
            JitWarmth jit = JitWarmth.start(peer);
            last = step(ctx, scenario + "-warmup", peer, fleet, publisher, probe, runner, topics, rate, seconds / 2);
            double jitCores = jit.cores();
            compiling.add(jitCores);
            double cpu = last.getDouble("serverCpuCores", -1.0);
            rounds.add(cpu);
            boolean steady = round >= 1 && cpu >= 0 && cpu >= lowest * 0.95;
            lowest = cpu >= 0 ? Math.min(lowest, cpu) : lowest;
            if ((steady && JitWarmth.quiet(jitCores)) || cpu < 0) {
                break;
            }
        }
        return last.put("serverCpuCoresPerRound", rounds).put("jitCompilerCoresPerRound", compiling);
    }

    /** The CPU the JIT compiler threads of a server (none for one that is not a JVM) and of the load generator use over a span. */
    static final class JitWarmth {
        /** Below this share of a core over a round, the JIT counts as done warming up. */
        static final double QUIET_CORES = 0.05;
        private final List<Long> pids;
        private final long startNanos;
        private final long startCpu;

        private JitWarmth(List<Long> pids) {
            this.pids = pids;
            this.startNanos = System.nanoTime();
            this.startCpu = cpu(pids);
        }

        /**
         * The server's compiler threads and the load generator's own: the load generator compiles
         * a scenario's code while it drives the first system of the scenario, on its own core, and
         * that system's first steps measured it (the system measured first in ingest acknowledged
         * half as much as the second, whichever build it was, in three runs of 7 December).
         */
        static JitWarmth start(Peer peer) {
            List<Long> pids = new ArrayList<>(peer.pids());
            pids.add(ProcessHandle.current().pid());
            return new JitWarmth(pids);
        }

        double cores() {
            long elapsed = System.nanoTime() - startNanos;
            return elapsed <= 0 ? 0 : Math.round(100.0 * (cpu(pids) - startCpu) / elapsed) / 100.0;
        }

        static boolean quiet(double cores) {
            return cores < QUIET_CORES;
        }

        private static long cpu(List<Long> pids) {
            long total = 0;
            for (long pid : pids) {
                total += io.pushgate.bench.stats.Procs.jitCompilerCpuNanos(pid);
            }
            return total;
        }
    }

    /**
     * A step of its own, after the measured ones, with the gateway's JFR recording on, at the best
     * sustained rate: no figure the targets use is measured while JFR runs (it cost the breadth
     * ladder a tenth of the gateway's CPU). Null for other systems. The result holds the step and
     * the profile.
     */
    static JsonObject profiled(RunContext ctx, String scenario, Peer peer, Fleet fleet, PublisherSlot publisher, Probe probe,
                               StepRunner runner, int topics, double rate, double seconds) throws Exception {
        if (!Gateways.isGateway(peer) || peer.pids().isEmpty() || rate <= 0) {
            return null;
        }
        io.pushgate.bench.profile.Profiler profiler = io.pushgate.bench.profile.Profiler.start(peer.pids().get(0),
                ctx.options().workDir().resolve(scenario + "-" + peer.name() + ".jfr"));
        JsonObject step;
        java.nio.file.Path recording;
        try {
            step = step(ctx, scenario + "-profiled", peer, fleet, publisher, probe, runner, topics, rate, seconds);
        } finally {
            recording = profiler.stop();
        }
        return io.pushgate.bench.profile.JfrProfile.analyze(recording, 20).put("file", recording.toString()).put("step", step);
    }

    static JsonObject step(RunContext ctx, String scenario, Peer peer, Fleet fleet, PublisherSlot publisher, Probe probe,
                           StepRunner runner, int topics, double rate) throws Exception {
        return step(ctx, scenario, peer, fleet, publisher, probe, runner, topics, rate, -1);
    }

    static JsonObject step(RunContext ctx, String scenario, Peer peer, Fleet fleet, PublisherSlot slot, Probe probe,
                           StepRunner runner, int topics, double rate, double measureSeconds) throws Exception {
        int droppedBefore = fleet.collectDrops();
        JsonObject reopened = droppedBefore > 0 ? fleet.open(100, 60_000, 0.5) : null;
        int closedBefore = slot.closes().size();
        Publisher publisher = slot.get();
        awaitQuiet(ctx, peer);
        int[] perTopic = fleet.subscribersPerTopic(topics);
        long measureNanos = measureSeconds > 0 ? (long) (measureSeconds * 1e9) : -1;
        JsonObject step = runner.run(peer, publisher, probe, rate, topics, t -> perTopic[t], measureNanos);
        step.put("subscribersOpen", fleet.openCount());
        StepRunner.drain(probe, 15_000);
        if (!publisher.isOpen()) {
            ctx.log("%s %-11s the server closed the publisher: %s", scenario, peer.name(), publisher.closeReason());
            step.put("passed", false).put("publisherClosed", String.valueOf(publisher.closeReason()));
        }
        if (slot.closes().size() > closedBefore) {
            step.put("publisherReopenedBefore", slot.closes().get(slot.closes().size() - 1));
        }
        double other = step.getDouble("otherProcessesCpuCores", 0.0);
        if (!step.getBoolean("passed") && other > OTHER_LOAD && publisher.isOpen()) {
            // another session's build took the CPU during the step: run it once more, keep both
            ctx.log("%s %-11s %7.0f msg/s fell behind while other processes used %.2f cores: once more", scenario, peer.name(), rate, other);
            fleet.collectDrops();
            int[] again = fleet.subscribersPerTopic(topics);
            JsonObject first = step;
            step = runner.run(peer, publisher, probe, rate, topics, t -> again[t], measureNanos);
            step.put("subscribersOpen", fleet.openCount()).put("retryOf", first);
            StepRunner.drain(probe, 15_000);
        }
        int dropped = fleet.collectDrops();
        if (dropped > 0) {
            step.put("subscribersDropped", dropped);
        }
        if (reopened != null) {
            step.put("reopenedBefore", reopened.put("droppedBefore", droppedBefore));
        }
        JsonObject lat = step.getJsonObject("latencyMs");
        ctx.log("%s %-11s %7.0f msg/s -> %,10.0f deliveries/s (%.1f%% in time) p50 %.2f p99 %.2f ms, server %.2f, loadgen %.2f, others %.2f cores%s%s",
                scenario, peer.name(), rate, step.getDouble("deliveriesPerSecond"), 100 * step.getDouble("deliveredRatio"),
                lat.getDouble("p50"), lat.getDouble("p99"), step.getDouble("serverCpuCores"), step.getDouble("loadGeneratorCpuCores"),
                step.getDouble("otherProcessesCpuCores"),
                step.getBoolean("passed") ? "" : "  BEHIND", dropped > 0 ? "  (" + dropped + " subscribers dropped)" : "");
        return step;
    }

    /**
     * Waits (at most {@link #QUIET_WAIT_SECONDS}) until the rest of this shared machine uses less
     * than {@link #OTHER_LOAD} of a core, measured over half a second while the system under test
     * is idle between steps, so that a step starts on a quiet machine when there is one.
     */
    static void awaitQuiet(RunContext ctx, Peer peer) throws InterruptedException {
        long end = System.nanoTime() + (long) (QUIET_WAIT_SECONDS * 1e9);
        List<Long> ours = new ArrayList<>(peer.pids());
        ours.add(ProcessHandle.current().pid());
        double other = 0;
        while (System.nanoTime() < end) {
            CpuMeter machine = CpuMeter.machine().start();
            CpuMeter mine = new CpuMeter(ours).start();
            TimeUnit.MILLISECONDS.sleep(500);
            other = machine.cores() - mine.cores();
            if (other < OTHER_LOAD) {
                return;
            }
        }
        ctx.log("%-11s other processes still use %.2f cores after %.0f s: going on", peer.name(), other, QUIET_WAIT_SECONDS);
    }

    private static JsonObject better(JsonObject best, JsonObject step) {
        return best == null || step.getDouble("deliveriesPerSecond") > best.getDouble("deliveriesPerSecond") ? step : best;
    }
}
