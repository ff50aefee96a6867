package io.pushgate.bench.scenarios;

import io.pushgate.bench.RunContext;
import io.pushgate.bench.load.Fleet;
import io.pushgate.bench.load.Probe;
import io.pushgate.bench.peers.Peer;
import io.pushgate.bench.stats.PrometheusText;
import io.pushgate.bench.stats.Procs;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;

/**
 * Scenario 3, idle connections: as many as the machine holds (aim: 50,000), spread over the
 * source addresses; heap (after a full GC, for the JVM servers) and RSS per connection, from
 * the difference with the server's state before they connected. The gateway's connections
 * are plain {@code /v1/ws} sessions with no subscription. The other systems get
 * {@link #OTHERS} connections, for comparison.
 */
public final class Idle {

    /** Connections for the other systems: enough for a per-connection figure to compare with, at a fraction of the time. */
    static final int OTHERS = 5_000;

    private Idle() {
    }

    public static JsonObject run(RunContext ctx) {
        long self = ProcessHandle.current().pid();
        long[] selfLimit = Procs.openFilesLimit(self);
        JsonObject out = new JsonObject().put("aim", ctx.quick() ? 2000 : ctx.options().idleTarget())
                .put("aimOthers", ctx.quick() ? 2000 : OTHERS)
                .put("loadGeneratorOpenFilesLimit", selfLimit[0]);
        JsonObject systems = new JsonObject();
        out.put("systems", systems);
        for (Peer peer : ctx.peers()) {
            if (!peer.server().equals(peer.name())) {
                continue; // the same server as another peer: its idle connections are that peer's
            }
            if (ctx.remainingSeconds() < 40) {
                systems.put(peer.name(), new JsonObject().put("error", "skipped: the run's time budget is spent"));
                continue;
            }
            try {
                systems.put(peer.name(), system(ctx, peer, selfLimit[0]));
            } catch (Exception e) {
                ctx.log("idle %s FAILED: %s", peer.name(), e);
                systems.put(peer.name(), new JsonObject().put("error", e.getMessage() == null ? e.toString() : e.getMessage()));
            }
        }
        return out;
    }

    static boolean isJvm(Peer peer) {
        return peer.name().equals("gateway") || peer.name().equals("broadcaster");
    }

    private static JsonObject system(RunContext ctx, Peer peer, long selfLimit) throws Exception {
        long pid = peer.pids().isEmpty() ? -1 : peer.pids().get(0);
        long serverLimit = pid > 0 ? Procs.openFilesLimit(pid)[0] : -1;
        int aim = ctx.quick() ? 2000 : peer.name().equals("gateway") ? ctx.options().idleTarget() : Math.min(OTHERS, ctx.options().idleTarget());
        long cap = Math.min(selfLimit > 0 ? selfLimit : Long.MAX_VALUE, serverLimit > 0 ? serverLimit : Long.MAX_VALUE) - 1000;
        int target = (int) Math.min(aim, cap);
        JsonObject result = new JsonObject().put("aim", aim).put("attempted", target).put("serverOpenFilesLimit", serverLimit);
        if (target < aim) {
            result.put("limitedBy", "open files: the load generator may hold " + selfLimit + " and the server " + serverLimit
                    + " (RLIMIT_NOFILE; this machine's hard limit, which only CAP_SYS_RESOURCE could raise); "
                    + "each connection is one descriptor on each side, and ~1,000 are kept for everything else");
        }
        ctx.log("idle %s: opening %,d connections (aim %,d)", peer.name(), target, aim);
        Memory before = Memory.of(ctx, peer, pid);
        Probe probe = new Probe();
        try (Fleet fleet = new Fleet(peer, "idle", probe, target, i -> new int[0])) {
            result.put("connect", fleet.open(256, ctx.quick() ? 60_000 : 180_000, 0));
            TimeUnit.SECONDS.sleep(2);
            Memory after = Memory.of(ctx, peer, pid);
            int held = fleet.openCount();
            result.put("held", held);
            result.put("before", before.json()).put("after", after.json());
            if (held > 0) {
                if (before.heap >= 0 && after.heap >= 0) {
                    result.put("heapBytesPerConnection", Math.round((double) (after.heap - before.heap) / held));
                }
                if (before.metricsHeap >= 0 && after.metricsHeap >= 0) {
                    result.put("heapBytesPerConnectionFromMetrics", Math.round((after.metricsHeap - before.metricsHeap) / held));
                }
                if (before.rss >= 0 && after.rss >= 0) {
                    result.put("rssBytesPerConnection", Math.round((double) (after.rss - before.rss) / held));
                }
            }
            if (after.connections >= 0) {
                result.put("gatewayConnectionsGauge", after.connections);
            }
            ctx.log("idle %s: held %,d; heap/conn %s B, RSS/conn %s B", peer.name(), held,
                    result.getValue("heapBytesPerConnection", "n/a"), result.getValue("rssBytesPerConnection", "n/a"));
        }
        return result;
    }

    /** A server's memory at one moment: heap after a full GC (JVMs), RSS, and the gateway's own meters. */
    private record Memory(long heap, double metricsHeap, long rss, double connections) {

        static Memory of(RunContext ctx, Peer peer, long pid) throws Exception {
            long heap = -1;
            double metricsHeap = -1;
            double connections = -1;
            if (pid > 0 && isJvm(peer)) {
                Procs.gc(pid);
                TimeUnit.MILLISECONDS.sleep(300);
                heap = Procs.jstatHeapUsed(pid);
            }
            if (peer.name().equals("gateway")) {
                PrometheusText m = PrometheusText.fetch(Gateways.metricsUrl(ctx, peer));
                metricsHeap = m.sum("jvm_memory_used_bytes", new String[] {"area=\"heap\""}, "Old Gen", "Tenured Gen");
                connections = m.sum("pushgate_connections");
            }
            return new Memory(heap, Double.isNaN(metricsHeap) ? -1 : metricsHeap, pid > 0 ? Procs.rssBytes(pid) : -1,
                    Double.isNaN(connections) ? -1 : connections);
        }

        JsonObject json() {
            JsonObject j = new JsonObject().put("rssBytes", rss);
            if (heap >= 0) {
                j.put("heapBytes", heap);
            }
            if (metricsHeap >= 0) {
                j.put("heapBytesFromMetrics", Math.round(metricsHeap));
            }
            return j;
        }
    }
}
