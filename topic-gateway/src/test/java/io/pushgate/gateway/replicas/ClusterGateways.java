package io.pushgate.gateway.replicas;

import static io.pushgate.testsupport.JsonWebSocket.op;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.testsupport.JsonWebSocket;
import io.pushgate.testsupport.RedisCluster;
import io.pushgate.testsupport.RedisServer;
import io.pushgate.testsupport.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Two gateway processes from the packaged jar on a real six-node Redis Cluster (three masters,
 * three replicas), pointed at it with Quarkus' standard settings, and the failover drill both
 * cluster test classes run: a steady stream of sets, a master SIGKILLed, its replica promoted.
 */
abstract class ClusterGateways {

    static RedisCluster cluster;
    static ServiceProcess a;
    static ServiceProcess b;

    static void startAll(Map<String, String> extra) {
        cluster = new RedisCluster().start();
        a = gateway("gateway-a", extra).start();
        b = gateway("gateway-b", extra).start();
    }

    static void stopAll() {
        for (AutoCloseable c : new AutoCloseable[] {a, b, cluster}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // best effort
            }
        }
    }

    static ServiceProcess gateway(String name, Map<String, String> extra) {
        Map<String, String> config = new HashMap<>(cluster.quarkusConfig());
        config.put("gateway.security.anonymous-roles", "ADMINISTRATOR");
        config.putAll(extra);
        return new ServiceProcess(name, ServiceProcess.jarOf("topic-gateway"), RedisServer.freePort(), config);
    }

    /** What a failover drill saw. */
    record Failover(long acked, long refused, long lostAcked, List<Long> lostWrites, long ackedBeforeKill, Duration promotion,
                    Duration readyAfterPromotion, boolean sawNotReady) {

        String describe() {
            return "acked " + acked + " (" + ackedBeforeKill + " before the kill), refused " + refused + ", acknowledged writes lost "
                    + lostAcked + (lostWrites.isEmpty() ? "" : " (writes " + lostWrites.get(0) + ".." + lostWrites.get(lostWrites.size() - 1) + ")")
                    + ", replica promoted " + promotion.toMillis() + " ms after the kill, both gateways ready "
                    + readyAfterPromotion.toMillis() + " ms after the promotion";
        }
    }

    /**
     * Writes sets in a steady stream through replica a, each to a topic of its own under
     * {@code prefix} (made by the set, with a spec), so that every acknowledged write can be
     * checked afterwards; kills a master while they go on, waits for its replica to take over and
     * for both gateways to be ready again, writes a little longer, and stops. An acknowledged
     * write is lost when its topic is not in the store afterwards with its value.
     */
    static Failover failoverDrill(String prefix) throws Exception {
        List<Long> acked = new ArrayList<>();
        long[] refused = new long[1];
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            try (JsonWebSocket ws = JsonWebSocket.connect(a.wsUrl() + "/v1/ws")) {
                long n = 0;
                while (!stop.get()) {
                    // a few in flight at once, as a publisher pipelines
                    List<String> ids = new ArrayList<>();
                    for (int k = 0; k < 8; k++, n++) {
                        ids.add(ws.request(op("set", "id", "w" + n, "topic", prefix + "/" + n, "value", Map.of("n", n),
                                "spec", Map.of("type", "JSON"))));
                    }
                    for (String id : ids) {
                        JsonNode reply = ws.await(m -> id.equals(m.path("id").asText()), Duration.ofSeconds(60));
                        if ("ok".equals(reply.path("type").asText())) {
                            synchronized (acked) {
                                acked.add(Long.parseLong(id.substring(1)));
                            }
                        } else {
                            refused[0]++;
                        }
                    }
                }
            }
        });
        writer.start();
        Thread.sleep(3000);

        RedisCluster.Node victim = cluster.masters().get(0);
        RedisCluster.Node replica = cluster.replicaOf(victim);
        // Readiness of both gateways, polled from the kill on.
        AtomicBoolean sawNotReady = new AtomicBoolean();
        AtomicBoolean watching = new AtomicBoolean(true);
        Thread watcher = new Thread(() -> {
            while (watching.get()) {
                if (!a.isReady() || !b.isReady()) {
                    sawNotReady.set(true);
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        long ackedBeforeKill;
        synchronized (acked) {
            ackedBeforeKill = acked.size();
        }
        cluster.kill(victim);
        watcher.start();
        Duration promotion = cluster.awaitPromoted(replica, Duration.ofSeconds(60));
        long promoted = System.nanoTime();
        long deadline = promoted + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && !(a.isReady() && b.isReady())) {
            Thread.sleep(50);
        }
        Duration readyAfter = Duration.ofNanos(System.nanoTime() - promoted);
        watching.set(false);
        watcher.join();
        Thread.sleep(3000);
        stop.set(true);
        writer.join(120_000);

        Map<String, JsonNode> stored = new HashMap<>();
        try (JsonWebSocket ws = JsonWebSocket.connect(b.wsUrl() + "/v1/ws")) {
            String id = ws.request(op("fetch", "selector", "?" + prefix + "/"));
            JsonNode results = ws.await(m -> id.equals(m.path("id").asText()), Duration.ofSeconds(60)).path("results");
            results.forEach(r -> stored.put(r.path("topic").asText(), r.path("value")));
        }
        long lost = 0;
        List<Long> lostWrites = new ArrayList<>();
        synchronized (acked) {
            for (long n : acked) {
                JsonNode value = stored.get(prefix + "/" + n);
                if (value == null || value.path("n").asLong() != n) {
                    lost++;
                    lostWrites.add(n);
                }
            }
        }
        Failover result = new Failover(acked.size(), refused[0], lost, lostWrites, ackedBeforeKill, promotion, readyAfter, sawNotReady.get());
        // Bring the killed node back (it rejoins as a replica of the promoted one) for the tests after this one.
        victim.server().start();
        cluster.awaitOk(Duration.ofSeconds(60));
        cluster.awaitReplicasInSync(Duration.ofSeconds(60));
        return result;
    }

    /** The median and 99th percentile (ms) of {@code count} sets made one at a time through replica a. */
    static String oneAtATime(String topic, int count) {
        long[] nanos = new long[count];
        try (JsonWebSocket ws = JsonWebSocket.connect(a.wsUrl() + "/v1/ws")) {
            ws.call(op("set", "topic", topic, "value", Map.of("n", -1), "spec", Map.of("type", "JSON")));
            for (int i = 0; i < count; i++) {
                long start = System.nanoTime();
                JsonNode reply = ws.call(op("set", "topic", topic, "value", Map.of("n", i)));
                nanos[i] = System.nanoTime() - start;
                assertThat(reply.path("type").asText()).as("%s", reply).isEqualTo("ok");
            }
        }
        java.util.Arrays.sort(nanos);
        return String.format("one set at a time: ack p50 %.2f ms, p99 %.2f ms over %d", nanos[count / 2] / 1e6,
                nanos[(int) (count * 0.99)] / 1e6, count);
    }

    static void report(String name, String text) {
        System.out.println(name + ": " + text);
        try {
            Path out = Path.of("target", "cluster-failover.txt");
            Files.createDirectories(out.getParent());
            Files.writeString(out, name + ": " + text + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // the report is a convenience; the assertions are what count
        }
    }
}
