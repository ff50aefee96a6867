package io.pushgate.bench;

import io.pushgate.bench.load.Clients;
import io.pushgate.bench.peers.BroadcasterPeer;
import io.pushgate.bench.peers.GatewayPeer;
import io.pushgate.bench.peers.NatsPeer;
import io.pushgate.bench.peers.Peer;
import io.pushgate.bench.peers.RedisPeer;
import io.pushgate.bench.peers.SocketIoPeer;
import io.pushgate.bench.report.Report;
import io.pushgate.bench.scenarios.Bandwidth;
import io.pushgate.bench.scenarios.Breadth;
import io.pushgate.bench.scenarios.FanOut;
import io.pushgate.bench.scenarios.Idle;
import io.pushgate.bench.scenarios.Ingest;
import io.pushgate.bench.stats.Procs;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The load generator: drives the systems bench/run.sh started through the scenarios of issue 9
 * and writes the results. A separate process from every server; run.sh pins it to its own core.
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        try {
            if (options.reportOnly != null) {
                JsonObject results = new JsonObject(Files.readString(options.reportOnly));
                Report.render(results, options.results);
                System.out.println("wrote " + options.results.resolve("summary.md") + " and " + options.results.resolve(Report.CHART));
                System.exit(0);
            }
            System.exit(run(options));
        } catch (Throwable e) {
            System.err.println("bench: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    static int run(Options o) throws IOException {
        int loops = Math.max(2, Runtime.getRuntime().availableProcessors());
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setWorkerPoolSize(4));
        Vertx publishers = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        Clients clients = new Clients(vertx, publishers, o.sources);
        List<Peer> peers = new ArrayList<>();
        for (String name : o.systems) {
            int port = o.port(name);
            if (port < 0) {
                System.out.println("bench: no port for " + name + ": left out");
                continue;
            }
            List<Long> pids = o.pids(name);
            peers.add(switch (name) {
                case "gateway" -> new GatewayPeer(clients, port, pids, -1);
                case "gateway-lines" -> new GatewayPeer(clients, port, pids, o.batchDelayMillis());
                case "gateway-before" -> new GatewayPeer(clients, port, pids, -1, "gateway-before");
                case "gateway-before-lines" -> new GatewayPeer(clients, port, pids, o.batchDelayMillis(), "gateway-before");
                // run.sh --cluster: the same build on a three-master Redis Cluster, without and with WAIT 1
                case "gateway-cluster", "gateway-cluster-wait" -> new GatewayPeer(clients, port, pids, -1, name);
                case "broadcaster" -> new BroadcasterPeer(clients, port, pids);
                case "socketio" -> new SocketIoPeer(clients, port, pids);
                case "nats" -> new NatsPeer(clients, port, pids);
                case "redis" -> new RedisPeer(clients, port, pids);
                default -> throw new IllegalArgumentException(name);
            });
        }
        RunContext ctx = new RunContext(o, clients, peers);
        OffsetDateTime started = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
        String runId = started.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + (o.quick ? "-quick" : "");
        JsonObject results = new JsonObject().put("run", runInfo(o, ctx, started, loops));
        ctx.log("bench %s: scenarios %s, systems %s", runId, o.scenarios, peers.stream().map(Peer::name).toList());
        for (String scenario : o.scenarios) {
            try {
                results.put(scenario, switch (scenario) {
                    case "fanout" -> FanOut.run(ctx);
                    case "breadth" -> Breadth.run(ctx);
                    case "ingest" -> Ingest.run(ctx);
                    case "idle" -> Idle.run(ctx);
                    case "bandwidth" -> Bandwidth.run(ctx);
                    default -> throw new IllegalArgumentException(scenario);
                });
            } catch (Exception e) {
                ctx.log("%s FAILED: %s", scenario, e);
                results.put(scenario, new JsonObject().put("error", String.valueOf(e)));
            }
            // The load generator starts each scenario with a collected heap: after tens of
            // thousands of idle connections its garbage slowed the next scenario's readers.
            System.gc();
        }
        results.getJsonObject("run").put("seconds", Math.round(ctx.elapsedSeconds()));
        if (o.gatewayLog != null && peers.stream().anyMatch(p -> p.name().equals("gateway"))) {
            results.put("gatewayLog", logSummary(o.gatewayLog));
        }
        Path file = Report.write(results, o.results, runId);
        ctx.log("wrote %s, latest.json, summary.md and %s in %s", file.getFileName(), Report.CHART, o.results);
        JsonArray targets = results.getJsonArray("targets");
        for (int i = 0; i < targets.size(); i++) {
            JsonObject t = targets.getJsonObject(i);
            Boolean met = t.getBoolean("met");
            System.out.printf("  %-4s %-52s %-22s %s%n", met == null ? "?" : met ? "ok" : "MISS", t.getString("target"), t.getString("bound"),
                    t.getString("measured"));
        }
        clients.close();
        vertx.close();
        publishers.close();
        return 0;
    }

    private static JsonObject runInfo(Options o, RunContext ctx, OffsetDateTime started, int loops) {
        long self = ProcessHandle.current().pid();
        JsonObject servers = new JsonObject();
        for (Peer p : ctx.peers()) {
            JsonObject s = new JsonObject().put("label", p.label()).put("pids", new JsonArray(new ArrayList<>(p.pids())));
            if (!p.pids().isEmpty()) {
                s.put("cpus", Procs.cpusAllowed(p.pids().get(0)));
            }
            servers.put(p.name(), s);
        }
        JsonObject info = new JsonObject();
        for (Map.Entry<String, String> e : o.info.entrySet()) {
            info.put(e.getKey(), e.getValue());
        }
        return new JsonObject()
                .put("startedAt", started.toString())
                .put("quick", o.quick)
                .put("scenarios", new JsonArray(o.scenarios))
                .put("systems", new JsonArray(ctx.peers().stream().map(Peer::name).toList()))
                .put("machine", new JsonObject()
                        .put("cpus", onlineCpus())
                        .put("cpuModel", firstLine("/proc/cpuinfo", "model name"))
                        .put("memory", firstLine("/proc/meminfo", "MemTotal"))
                        .put("kernel", read("/proc/sys/kernel/osrelease"))
                        .put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")))
                .put("loadGeneratorCpus", Procs.cpusAllowed(self))
                .put("eventLoops", loops)
                .put("sources", String.join(", ", o.sources))
                .put("servers", servers)
                .put("info", info);
    }

    /** Counts the gateway log's warnings and errors and keeps the first few. */
    static JsonObject logSummary(Path log) {
        JsonObject j = new JsonObject().put("file", log.toString());
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            int warnings = 0;
            int errors = 0;
            JsonArray first = new JsonArray();
            for (String l : lines) {
                boolean warn = l.contains(" WARN ") || l.contains(" WARNING ");
                boolean error = l.contains(" ERROR ") || l.contains(" SEVERE ");
                if (warn) {
                    warnings++;
                }
                if (error) {
                    errors++;
                }
                if ((warn || error) && first.size() < 12) {
                    first.add(l.length() > 300 ? l.substring(0, 297) + "..." : l);
                }
            }
            return j.put("warnings", warnings).put("errors", errors).put("first", first);
        } catch (IOException e) {
            return j.put("warnings", -1).put("errors", -1).put("first", new JsonArray().add(e.toString()));
        }
    }

    private static int onlineCpus() {
        try {
            String s = Files.readString(Path.of("/sys/devices/system/cpu/online")).trim();
            int n = 0;
            for (String part : s.split(",")) {
                String[] r = part.split("-");
                n += r.length == 1 ? 1 : Integer.parseInt(r[1]) - Integer.parseInt(r[0]) + 1;
            }
            return n;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static String firstLine(String file, String prefix) {
        try {
            for (String l : Files.readAllLines(Path.of(file))) {
                if (l.startsWith(prefix)) {
                    return l.substring(l.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            return "?";
        }
        return "?";
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file)).trim();
        } catch (IOException e) {
            return "?";
        }
    }
}
