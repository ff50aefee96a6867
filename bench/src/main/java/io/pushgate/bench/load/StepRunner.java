package io.pushgate.bench.load;

import io.pushgate.bench.peers.Peer;
import io.pushgate.bench.peers.Publisher;
import io.pushgate.bench.stats.CpuMeter;
import io.pushgate.bench.stats.Procs;
import io.pushgate.bench.stats.LatencyHistogram;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;

/**
 * One step of a load ladder: publish at a rate for a warm-up and a measured window, then wait a
 * grace period; count the measured messages delivered before the deadline and their latency.
 * A step passes ("sustained") when at least {@link #PASS_RATIO} of the expected deliveries
 * arrived in time and the publisher achieved {@link #RATE_RATIO} of the asked rate.
 */
public final class StepRunner {

    public static final double PASS_RATIO = 0.98;
    public static final double RATE_RATIO = 0.95;

    private final long warmupNanos;
    private final long measureNanos;
    private final long graceNanos;
    private int key = 10;

    public StepRunner(double warmupSeconds, double measureSeconds, double graceSeconds) {
        this.warmupNanos = (long) (warmupSeconds * 1e9);
        this.measureNanos = (long) (measureSeconds * 1e9);
        this.graceNanos = (long) (graceSeconds * 1e9);
    }

    /**
     * Runs one step at {@code rate} messages per second over {@code topics} topics, measuring for
     * {@code measureNanos} (or the runner's default when negative); the JSON of the step.
     */
    public JsonObject run(Peer peer, Publisher publisher, Probe probe, double rate, int topics, IntUnaryOperator fanout,
                          long measureNanos) throws Exception {
        if (measureNanos < 0) {
            measureNanos = this.measureNanos;
        }
        key += 2;
        probe.reset(key);
        CpuMeter server = new CpuMeter(peer.pids()).start();
        CpuMeter self = new CpuMeter(List.of(ProcessHandle.current().pid())).start();
        CpuMeter machine = CpuMeter.machine().start();
        int serverCpu = peer.pids().isEmpty() ? -1 : Procs.pinnedCpu(peer.pids().get(0));
        int selfCpu = Procs.pinnedCpu(ProcessHandle.current().pid());
        CpuMeter serverCpuBusy = serverCpu < 0 ? null : CpuMeter.cpu(serverCpu).start();
        CpuMeter selfCpuBusy = selfCpu < 0 || selfCpu == serverCpu ? null : CpuMeter.cpu(selfCpu).start();
        long errorsBefore = publisher.errors();
        Pacer.Sent sent = Pacer.run(publisher, rate, warmupNanos, measureNanos, key, topics, fanout)
                .toCompletionStage().toCompletableFuture()
                .get(TimeUnit.NANOSECONDS.toSeconds(warmupNanos + measureNanos) + 30, TimeUnit.SECONDS);
        double serverCores = server.cores();
        double selfCores = self.cores();
        double machineCores = machine.cores();
        double serverCpuBusyCores = serverCpuBusy == null ? -1 : serverCpuBusy.cores();
        double selfCpuBusyCores = selfCpuBusy == null ? -1 : selfCpuBusy.cores();
        double otherCores = machineCores < 0 || serverCores < 0 || selfCores < 0 ? -1 : Math.max(0, machineCores - serverCores - selfCores);
        long deadline = sent.endNanos() + graceNanos;
        probe.deadline(deadline);
        sleepUntil(deadline);
        long onTime = probe.onTime();
        LatencyHistogram h = probe.histogram();
        double seconds = sent.measuredSeconds();
        double ratio = sent.expectedDeliveries() == 0 ? 0 : (double) onTime / sent.expectedDeliveries();
        boolean ratePassed = sent.achievedRate() >= RATE_RATIO * rate;
        boolean passed = ratio >= PASS_RATIO && ratePassed;
        JsonObject step = new JsonObject()
                .put("rate", rate)
                .put("achievedRate", round(sent.achievedRate()))
                .put("measuredSeconds", round(seconds))
                .put("published", sent.measured())
                .put("expectedDeliveries", sent.expectedDeliveries())
                .put("delivered", onTime)
                .put("deliveredRatio", round4(ratio))
                .put("deliveriesPerSecond", round(seconds <= 0 ? 0 : onTime / seconds))
                .put("offeredDeliveriesPerSecond", round(seconds <= 0 ? 0 : sent.expectedDeliveries() / seconds))
                .put("lateAtDeadline", probe.late())
                .put("latencyMs", latency(h))
                .put("serverCpuCores", round(serverCores))
                .put("loadGeneratorCpuCores", round(selfCores))
                .put("otherProcessesCpuCores", round(otherCores))
                .put("serverCpuBusy", round(serverCpuBusyCores))
                .put("loadGeneratorCpuBusy", round(selfCpuBusyCores))
                .put("publisherStalledMs", sent.stalledTicks())
                .put("publisherErrors", publisher.errors() - errorsBefore)
                .put("passed", passed);
        if (!ratePassed) {
            step.put("note", "the publisher reached " + round(sent.achievedRate()) + " of " + rate + " messages/s"
                    + (sent.stalledTicks() > 0 ? " (the server did not read fast enough)" : " (the load generator could not publish faster)"));
        }
        if (!passed) {
            String starved = starved("the servers' CPU " + serverCpu, serverCpuBusyCores, serverCores)
                    + starved("the load generator's CPU " + selfCpu, selfCpuBusyCores, selfCores);
            if (!starved.isEmpty()) {
                step.put("cpuNote", starved.trim());
            }
        }
        if (publisher.errors() > errorsBefore && publisher.lastError() != null) {
            step.put("lastPublisherError", abbreviate(publisher.lastError()));
        }
        return step;
    }

    /** A note when a pinned CPU was busy and the process pinned there had only part of it: someone else ran there. */
    static String starved(String which, double cpuBusy, double ours) {
        if (cpuBusy < 0.9 || ours < 0 || cpuBusy - ours < 0.15) {
            return "";
        }
        return which + " was " + Math.round(cpuBusy * 100) + "% busy, " + Math.round(ours * 100) + "% of it ours. ";
    }

    /** Waits until no message has arrived for 300 ms (a backlog draining), at most {@code maxMillis}. */
    public static void drain(Probe probe, long maxMillis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
        while (System.nanoTime() < end) {
            long total = probe.total();
            Thread.sleep(300);
            if (probe.total() == total) {
                return;
            }
        }
    }

    public static JsonObject latency(LatencyHistogram h) {
        return new JsonObject()
                .put("count", h.count())
                .put("p50", ms(h.percentile(50)))
                .put("p90", ms(h.percentile(90)))
                .put("p99", ms(h.percentile(99)))
                .put("p999", ms(h.percentile(99.9)))
                .put("max", ms(h.max()))
                .put("mean", ms((long) h.mean()));
    }

    static double ms(long nanos) {
        return Math.round(nanos / 1e3) / 1e3;
    }

    public static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    static double round4(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }

    static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 197) + "...";
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }
}
