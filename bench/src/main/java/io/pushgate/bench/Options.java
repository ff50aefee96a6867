package io.pushgate.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The load generator's command line (bench/run.sh builds it); {@code --name value} pairs and flags. */
public final class Options {

    /**
     * Idle last: after it had opened and closed some 40,000 connections the load generator read
     * more slowly for the rest of the run, a full GC notwithstanding (batched fan-out 0.80M
     * deliveries/s after it, 1.9M without it, same build: bench/results/experiments/README.md).
     * Its heap figures are deltas after a full GC, so they do not need servers that never carried
     * load.
     */
    public static final List<String> ALL_SCENARIOS = List.of("fanout", "breadth", "ingest", "bandwidth", "idle");
    public static final List<String> ALL_SYSTEMS = List.of("gateway", "gateway-lines", "gateway-before", "gateway-before-lines",
            "gateway-cluster", "gateway-cluster-wait", "broadcaster", "socketio", "nats", "redis");

    /**
     * What runs without --systems: every system but the baseline's batched variant and the
     * cluster ones (run.sh --cluster measures those).
     */
    public static final List<String> DEFAULT_SYSTEMS = ALL_SYSTEMS.stream()
            .filter(s -> !s.equals("gateway-before-lines") && !s.startsWith("gateway-cluster")).toList();

    boolean quick;
    List<String> scenarios = ALL_SCENARIOS;
    List<String> systems = DEFAULT_SYSTEMS;
    List<String> sources = java.util.stream.IntStream.rangeClosed(2, 9).mapToObj(i -> "127.0.0." + i).toList();
    final Map<String, Integer> ports = new LinkedHashMap<>();
    final Map<String, List<Long>> pids = new LinkedHashMap<>();
    Path gatewayLog;
    /** The {@code batch-delay} (ms) of the {@code gateway-lines} subscribers. */
    int batchDelayMillis = DEFAULT_BATCH_DELAY_MILLIS;
    public static final int DEFAULT_BATCH_DELAY_MILLIS = 0;
    Path results = Path.of("bench/results");
    Path work = Path.of("bench/target");
    Path replay = Path.of("data-feeder/src/main/resources/replay/btc-bpi.jsonl");
    Path reportOnly;
    int idleTarget = 50_000;
    int budgetSeconds = 900;
    final Map<String, String> info = new LinkedHashMap<>();

    static Options parse(String[] args) {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick" -> o.quick = true;
                case "--scenario", "--scenarios" -> o.scenarios = list(value(args, ++i, a), ALL_SCENARIOS, "scenario");
                case "--systems" -> o.systems = list(value(args, ++i, a), ALL_SYSTEMS, "system");
                case "--sources" -> o.sources = Arrays.asList(value(args, ++i, a).split(","));
                case "--port" -> {
                    String[] kv = value(args, ++i, a).split("=", 2);
                    o.ports.put(kv[0], Integer.parseInt(kv[1]));
                }
                case "--pids" -> {
                    String[] kv = value(args, ++i, a).split("=", 2);
                    List<Long> list = new ArrayList<>();
                    for (String p : kv[1].split(",")) {
                        if (!p.isBlank()) {
                            list.add(Long.parseLong(p.trim()));
                        }
                    }
                    o.pids.put(kv[0], list);
                }
                case "--info" -> {
                    String[] kv = value(args, ++i, a).split("=", 2);
                    o.info.put(kv[0], kv.length > 1 ? kv[1] : "");
                }
                case "--gateway-log" -> o.gatewayLog = Path.of(value(args, ++i, a));
                case "--batch-delay" -> o.batchDelayMillis = Integer.parseInt(value(args, ++i, a));
                case "--results" -> o.results = Path.of(value(args, ++i, a));
                case "--work" -> o.work = Path.of(value(args, ++i, a));
                case "--replay" -> o.replay = Path.of(value(args, ++i, a));
                case "--report-only" -> o.reportOnly = Path.of(value(args, ++i, a));
                case "--idle-target" -> o.idleTarget = Integer.parseInt(value(args, ++i, a));
                case "--budget-seconds" -> o.budgetSeconds = Integer.parseInt(value(args, ++i, a));
                default -> throw new IllegalArgumentException("unknown option " + a + "\n" + usage());
            }
        }
        return o;
    }

    static String usage() {
        return """
                usage: java -jar bench/target/bench.jar [--quick] [--scenario fanout,breadth,ingest,bandwidth,idle]
                         [--systems gateway,gateway-lines,gateway-before,broadcaster,socketio,nats,redis] [--sources 127.0.0.2,127.0.0.3]
                         --port gateway=P --pids gateway=PID[,PID] (likewise broadcaster, socketio, nats, redis)
                         [--gateway-log FILE] [--batch-delay MS] [--results DIR] [--work DIR] [--replay FILE] [--idle-target N]
                         [--budget-seconds S] [--info key=value]...
                       java -jar bench/target/bench.jar --report-only bench/results/latest.json [--results DIR]
                bench/run.sh starts the servers and passes all of this; see bench/README.md.""";
    }

    private static String value(String[] args, int i, String name) {
        if (i >= args.length) {
            throw new IllegalArgumentException(name + " needs a value\n" + usage());
        }
        return args[i];
    }

    private static List<String> list(String csv, List<String> allowed, String what) {
        List<String> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            String v = s.trim();
            if (v.isEmpty()) {
                continue;
            }
            if (!allowed.contains(v)) {
                throw new IllegalArgumentException("unknown " + what + " '" + v + "': one of " + allowed);
            }
            out.add(v);
        }
        return out;
    }

    public boolean quick() {
        return quick;
    }

    public Path workDir() {
        return work;
    }

    public Path replayFile() {
        return replay;
    }

    public int batchDelayMillis() {
        return batchDelayMillis;
    }

    public Path gatewayLog() {
        return gatewayLog;
    }

    public int idleTarget() {
        return idleTarget;
    }

    public Map<String, String> info() {
        return info;
    }

    /** {@code gateway-lines} is the gateway's server, reached with {@code ?batch=lines} (likewise {@code gateway-before-lines}). */
    private static String server(String system) {
        return system.endsWith("-lines") ? system.substring(0, system.length() - "-lines".length()) : system;
    }

    public int port(String system) {
        Integer p = ports.get(server(system));
        return p == null ? -1 : p;
    }

    public List<Long> pids(String system) {
        return pids.getOrDefault(server(system), List.of());
    }
}
