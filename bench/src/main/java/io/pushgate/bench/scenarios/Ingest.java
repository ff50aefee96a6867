package io.pushgate.bench.scenarios;

import io.pushgate.bench.RunContext;
import io.pushgate.bench.load.IngestDriver;
import io.pushgate.bench.load.IngestProbe;
import io.pushgate.bench.load.StepRunner;
import io.pushgate.bench.peers.AckedPublisher;
import io.pushgate.bench.peers.Ingesting;
import io.pushgate.bench.peers.Peer;
import io.pushgate.bench.peers.Subscriber;
import io.pushgate.bench.profile.JfrProfile;
import io.pushgate.bench.profile.Profiler;
import io.pushgate.bench.stats.CpuMeter;
import io.pushgate.bench.stats.LatencyHistogram;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Scenario 5 (issue 14), ingest: the update path itself. {@code publishers} connections each keep
 * {@code window} acknowledged writes in flight over {@code topics} JSON topics (each topic has
 * one writer), and one subscriber follows every topic through a wildcard. Reported: the highest
 * acknowledged writes per second; the acknowledgement latency there, at half that rate (paced)
 * and for one publisher with one write at a time; the publish-to-subscriber latency; and whether
 * the subscriber ended on every topic's last acknowledged value.
 */
public final class Ingest {

    static final String NS = "ingest";

    private Ingest() {
    }

    public static JsonObject run(RunContext ctx) {
        boolean quick = ctx.quick();
        int topics = quick ? 200 : 1000;
        int publishers = 4;
        int window = 64;
        double warm = quick ? 0.5 : 1.0;
        double measure = quick ? 1.5 : 4.0;
        double single = quick ? 1.5 : 3.0;
        // Unmeasured load first, in rounds, until a round is no more than 5% faster than the best
        // before it (at most jitRounds): a server pinned to one core compiles its write path (JIT)
        // for a minute or more, and a cold gateway acknowledged half as many writes as a warm one.
        double jitWarmup = quick ? 3.0 : 5.0;
        int jitRounds = quick ? 3 : 16;
        double budget = quick ? 30 : 120;
        JsonObject out = new JsonObject()
                .put("topics", topics)
                .put("publishers", publishers)
                .put("window", window)
                .put("payloadBytes", io.pushgate.bench.load.Payloads.SIZE)
                .put("stepSeconds", new JsonObject().put("jitWarmupRound", jitWarmup).put("jitWarmupRoundsAtMost", jitRounds).put("warmup", warm).put("measured", measure).put("single", single))
                .put("acknowledgements", "gateway: the set is stored in Redis and applied by the gateway (ok); nats: PONG after each PUB "
                        + "(processed, nothing stored); socketio: the event's ack after emitting to the room through the Redis adapter; "
                        + "redis: the PUBLISH reply (routed, nothing stored)");
        JsonObject systems = new JsonObject();
        out.put("systems", systems);
        for (Peer peer : ctx.peers()) {
            if (!(peer instanceof Ingesting) || !peer.name().equals(peer.server())) {
                continue;
            }
            if (ctx.remainingSeconds() < budget) {
                systems.put(peer.name(), new JsonObject().put("error", "skipped: the run's time budget is spent"));
                continue;
            }
            ctx.log("ingest %s: %d publishers x %d in flight over %d topics", peer.name(), publishers, window, topics);
            try {
                systems.put(peer.name(), system(ctx, peer, topics, publishers, window, jitWarmup, jitRounds, warm, measure, single));
            } catch (Exception e) {
                ctx.log("ingest %s FAILED: %s", peer.name(), e);
                systems.put(peer.name(), new JsonObject().put("error", e.getMessage() == null ? e.toString() : e.getMessage()));
            }
        }
        return out;
    }

    private static JsonObject system(RunContext ctx, Peer peer, int topics, int publishers, int window, double jitWarmup, int jitRounds,
                                     double warm, double measure, double single) throws Exception {
        Ingesting ingesting = (Ingesting) peer;
        JsonObject result = new JsonObject().put("label", peer.label());
        peer.prepareTopics(NS, topics).toCompletionStage().toCompletableFuture().get(150, TimeUnit.SECONDS);
        IngestProbe probe = new IngestProbe(topics);
        AtomicLongArray lastAcked = new AtomicLongArray(topics);
        Subscriber subscriber = ingesting.subscribeAll(0, NS, topics, probe).toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);
        List<IngestDriver> drivers = new ArrayList<>();
        Profiler profiler = null;
        try {
            for (int i = 0; i < publishers; i++) {
                IngestDriver d = new IngestDriver(i, publishers, topics, lastAcked);
                AckedPublisher p = ingesting.ackedPublisher(NS, d).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
                d.attach(p);
                drivers.add(d);
            }
            io.vertx.core.json.JsonArray rounds = new io.vertx.core.json.JsonArray();
            io.vertx.core.json.JsonArray compiling = new io.vertx.core.json.JsonArray();
            double best = 0;
            for (int round = 0; round < jitRounds; round++) {
                Ladder.JitWarmth jit = Ladder.JitWarmth.start(peer);
                double rate = step(ctx, peer, drivers, probe, window, -1, 0, jitWarmup, 16).getDouble("ackedPerSecond");
                double jitCores = jit.cores();
                rounds.add(rate);
                compiling.add(jitCores);
                // Steady: no more gain, and the JIT compiler no longer takes the server's core.
                boolean steady = round >= 1 && rate <= best * 1.05 && Ladder.JitWarmth.quiet(jitCores);
                best = Math.max(best, rate);
                if (steady) {
                    break;
                }
            }
            result.put("jitWarmupAckedPerSecond", rounds).put("jitCompilerCoresPerRound", compiling);
            Gateways.Counters counters = Gateways.counters(ctx, peer);
            Ladder.awaitQuiet(ctx, peer);
            JsonObject max = step(ctx, peer, drivers, probe, window, -1, warm, measure, 20);
            result.put("max", max);
            result.put("consistency", consistency(drivers, probe, lastAcked));
            double maxRate = max.getDouble("ackedPerSecond");
            result.put("maxAckedPerSecond", maxRate);
            if (maxRate > 0) {
                Ladder.awaitQuiet(ctx, peer);
                JsonObject half = step(ctx, peer, drivers, probe, 0, maxRate / 2, warm, measure, 22);
                result.put("half", half);
            }
            Ladder.awaitQuiet(ctx, peer);
            JsonObject one = step(ctx, peer, drivers.subList(0, 1), probe, 1, -1, warm, single, 24);
            result.put("single", one);
            result.put("consistencyAtEnd", consistency(drivers, probe, lastAcked));
            counters.putDelta(result);
            // Profiled after the measured steps, in a closed-loop step of its own (JFR costs the server CPU).
            if (Gateways.isGateway(peer) && !peer.pids().isEmpty()) {
                profiler = Profiler.start(peer.pids().get(0), ctx.options().workDir().resolve("ingest-" + peer.name() + ".jfr"));
                JsonObject profiledStep;
                Path recording;
                try {
                    profiledStep = step(ctx, peer, drivers, probe, window, -1, 0, ctx.quick() ? 2 : 4, 26);
                } finally {
                    recording = profiler.stop();
                    profiler = null;
                }
                result.put("profile", JfrProfile.analyze(recording, 20).put("file", recording.toString()).put("step", profiledStep));
            }
        } finally {
            if (profiler != null) {
                profiler.stop();
            }
            drivers.forEach(d -> {
                if (d.publisher() != null) {
                    d.publisher().close();
                }
            });
            subscriber.close();
        }
        return result;
    }

    /**
     * One step: closed-loop with {@code window} in flight per publisher, or paced at {@code rate}
     * messages per second in all when {@code window} is 0.
     */
    private static JsonObject step(RunContext ctx, Peer peer, List<IngestDriver> drivers, IngestProbe probe, int window, double rate,
                                   double warm, double measure, int key) throws Exception {
        long now = System.nanoTime();
        long from = now + (long) (warm * 1e9);
        long to = from + (long) (measure * 1e9);
        probe.reset(key);
        long receivedBefore = probe.received();
        CpuMeter server = null;
        CpuMeter self = null;
        CpuMeter machine = null;
        for (IngestDriver d : drivers) {
            if (window > 0) {
                d.startClosedLoop(window, key, from, to);
            } else {
                d.startPaced(rate / drivers.size(), key, from, to);
            }
        }
        TimeUnit.NANOSECONDS.sleep(Math.max(0, from - System.nanoTime()));
        server = new CpuMeter(peer.pids()).start();
        self = new CpuMeter(List.of(ProcessHandle.current().pid())).start();
        machine = CpuMeter.machine().start();
        TimeUnit.NANOSECONDS.sleep(Math.max(0, to - System.nanoTime()));
        double serverCores = server.cores();
        double selfCores = self.cores();
        double machineCores = machine.cores();
        LatencyHistogram acks = new LatencyHistogram();
        long sent = 0;
        long acked = 0;
        long errors = 0;
        long stalled = 0;
        String lastError = null;
        for (IngestDriver d : drivers) {
            IngestDriver.StepResult r = d.finish().get(10, TimeUnit.SECONDS);
            sent += r.sent();
            acked += r.ackedInWindow();
            errors += r.errors();
            stalled += r.stalledTicks();
            if (r.lastError() != null) {
                lastError = r.lastError();
            }
            acks.add(r.ackLatency());
        }
        long drainEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        int inFlight = Integer.MAX_VALUE;
        while (System.nanoTime() < drainEnd) {
            inFlight = 0;
            for (IngestDriver d : drivers) {
                inFlight += d.inFlight().get(5, TimeUnit.SECONDS);
            }
            if (inFlight == 0) {
                break;
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        JsonObject step = new JsonObject()
                .put("mode", window > 0 ? "closed loop, " + window + " in flight per publisher" : "paced at " + StepRunner.round(rate) + " msg/s in all")
                .put("publishers", drivers.size())
                .put("sent", sent)
                .put("ackedPerSecond", StepRunner.round(acked / measure))
                .put("ackLatencyMs", StepRunner.latency(acks))
                .put("deliveryLatencyMs", StepRunner.latency(probe.histogram()))
                .put("subscriberReceived", probe.received() - receivedBefore)
                .put("errors", errors)
                .put("unacknowledgedAfter15s", inFlight)
                .put("serverCpuCores", StepRunner.round(serverCores))
                .put("loadGeneratorCpuCores", StepRunner.round(selfCores))
                .put("otherProcessesCpuCores", StepRunner.round(Math.max(0, machineCores - serverCores - selfCores)));
        if (rate > 0) {
            step.put("rate", StepRunner.round(rate)).put("publisherStalledMs", stalled);
        }
        if (serverCores > 0) {
            step.put("ackedPerServerCpuSecond", StepRunner.round(acked / measure / serverCores));
        }
        if (lastError != null) {
            step.put("lastError", lastError.length() > 200 ? lastError.substring(0, 197) + "..." : lastError);
        }
        ctx.log("ingest %-14s %-44s %,9.0f acked/s, ack p50 %.2f p99 %.2f ms, delivery p50 %.2f p99 %.2f ms, server %.2f cores%s",
                peer.name(), step.getString("mode"), step.getDouble("ackedPerSecond"),
                step.getJsonObject("ackLatencyMs").getDouble("p50"), step.getJsonObject("ackLatencyMs").getDouble("p99"),
                step.getJsonObject("deliveryLatencyMs").getDouble("p50"), step.getJsonObject("deliveryLatencyMs").getDouble("p99"),
                serverCores, errors > 0 ? "  (" + errors + " errors: " + lastError + ")" : "");
        return step;
    }

    /**
     * Whether the subscriber holds every topic's last acknowledged value (waiting up to 10 s for
     * what is still on its way): the topics written, and those where it does not.
     */
    private static JsonObject consistency(List<IngestDriver> drivers, IngestProbe probe, AtomicLongArray lastAcked) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long start = System.nanoTime();
        int written = 0;
        int mismatched = 0;
        int firstMismatch = -1;
        while (true) {
            written = 0;
            mismatched = 0;
            firstMismatch = -1;
            for (int t = 0; t < lastAcked.length(); t++) {
                long acked = lastAcked.get(t);
                if (acked == 0) {
                    continue;
                }
                written++;
                if (probe.last(t) != acked) {
                    mismatched++;
                    if (firstMismatch < 0) {
                        firstMismatch = t;
                    }
                }
            }
            if (mismatched == 0 || System.nanoTime() > end) {
                break;
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        JsonObject j = new JsonObject().put("topicsWritten", written).put("topicsNotOnLastValue", mismatched)
                .put("waitedMs", (System.nanoTime() - start) / 1_000_000).put("holds", mismatched == 0 && written > 0);
        if (firstMismatch >= 0) {
            j.put("firstMismatch", new JsonObject().put("topic", firstMismatch).put("lastAckedSendTime", lastAcked.get(firstMismatch))
                    .put("subscriberSendTime", probe.last(firstMismatch)));
        }
        return j;
    }
}
