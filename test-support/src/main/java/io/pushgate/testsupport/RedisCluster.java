package io.pushgate.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real Redis Cluster for tests: six {@code redis-server} processes on free loopback ports
 * ({@code --cluster-enabled yes}), joined by {@code redis-cli --cluster create … --cluster-replicas 1}
 * into three masters with one replica each, and awaited until every node reports
 * {@code cluster_state:ok}. Each node keeps its writes in an append-only file, so that a node
 * {@link #kill}ed and started again rejoins with its data, as a crashed server would.
 *
 * <p>The node timeout is short (2 s by default) so that a killed master's replica is promoted
 * within a few seconds, which is what failover tests wait for.
 */
public final class RedisCluster implements AutoCloseable {

    /** One node of the cluster, as {@code CLUSTER NODES} describes it. */
    public record Node(RedisServer server, String id, boolean master, String masterId) {

        public int port() {
            return server.port();
        }
    }

    private final List<RedisServer> servers = new ArrayList<>();
    private final long nodeTimeoutMillis;

    public RedisCluster() {
        this(2000);
    }

    public RedisCluster(long nodeTimeoutMillis) {
        this.nodeTimeoutMillis = nodeTimeoutMillis;
        for (int i = 0; i < 6; i++) {
            servers.add(new RedisServer(RedisServer.freeClusterPort()).appendOnly().clusterNode(nodeTimeoutMillis));
        }
    }

    /** Starts the six nodes, creates the cluster and waits until it serves every slot. */
    public RedisCluster start() {
        servers.forEach(RedisServer::start);
        List<String> command = new ArrayList<>(List.of(cli(), "--cluster", "create"));
        servers.forEach(s -> command.add("127.0.0.1:" + s.port()));
        command.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
        try {
            Process create = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(create.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!create.waitFor(60, TimeUnit.SECONDS) || create.exitValue() != 0) {
                throw new IllegalStateException("redis-cli --cluster create failed:\n" + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run redis-cli (apt-get install -y redis-tools)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        awaitOk(Duration.ofSeconds(60));
        awaitTopology(Duration.ofSeconds(30));
        awaitReplicasInSync(Duration.ofSeconds(30));
        return this;
    }

    /** {@code quarkus.redis.hosts} for this cluster: every node's URI, comma-separated. */
    public String hosts() {
        return servers.stream().map(RedisServer::uri).collect(Collectors.joining(","));
    }

    /** The settings a Quarkus service needs to use this cluster. */
    public java.util.Map<String, String> quarkusConfig() {
        return java.util.Map.of("quarkus.redis.hosts", hosts(), "quarkus.redis.client-type", "cluster");
    }

    public List<RedisServer> servers() {
        return List.copyOf(servers);
    }

    /** The nodes as a running node sees them now (masters and replicas). */
    public List<Node> nodes() {
        for (RedisServer s : servers) {
            if (!s.isRunning()) {
                continue;
            }
            try {
                return parseNodes(s.bulkCommand("CLUSTER NODES"));
            } catch (IllegalStateException e) {
                // that node does not answer: ask the next
            }
        }
        throw new IllegalStateException("no node of the cluster answers");
    }

    /** The running masters. */
    public List<Node> masters() {
        return nodes().stream().filter(Node::master).filter(n -> n.server().isRunning()).toList();
    }

    /** The replica of {@code master}. */
    public Node replicaOf(Node master) {
        return nodes().stream().filter(n -> master.id().equals(n.masterId())).findFirst()
                .orElseThrow(() -> new IllegalStateException("no replica of " + master));
    }

    /** The number of keys on each running master, in {@link #masters()} order. */
    public List<Long> keysPerMaster() {
        return masters().stream().map(n -> Long.parseLong(n.server().command("DBSIZE").substring(1))).toList();
    }

    /** Kills a node at once (SIGKILL), as a crash would. */
    public void kill(Node node) {
        node.server().kill();
    }

    /**
     * Waits until {@code replica} is a master and the cluster serves every slot again; returns the
     * time that took.
     */
    public Duration awaitPromoted(Node replica, Duration timeout) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String role = safe(() -> replica.server().bulkCommand("ROLE"));
            Optional<Node> self = safeNodes().stream().filter(n -> n.id().equals(replica.id())).findFirst();
            if (self.isPresent() && self.get().master() && clusterOk(replica.server())) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            sleep(50);
            if (role == null) {
                sleep(50);
            }
        }
        throw new IllegalStateException("replica " + replica + " was not promoted within " + timeout + "; its log:\n"
                + replica.server().log());
    }

    /** Waits until every running node reports {@code cluster_state:ok}. */
    public void awaitOk(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (servers.stream().filter(RedisServer::isRunning).allMatch(RedisCluster::clusterOk)) {
                return;
            }
            sleep(100);
        }
        throw new IllegalStateException("the cluster did not reach cluster_state:ok within " + timeout);
    }

    /** Waits until every running node knows three masters, each with a replica. */
    private void awaitTopology(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            boolean agreed = servers.stream().allMatch(s -> {
                List<Node> seen = parseNodes(s.bulkCommand("CLUSTER NODES"));
                return seen.stream().filter(Node::master).count() == 3 && seen.stream().filter(n -> !n.master()).count() == 3;
            });
            if (agreed) {
                return;
            }
            sleep(100);
        }
        throw new IllegalStateException("the nodes did not agree on three masters with a replica each within " + timeout);
    }

    /**
     * Waits until every running replica's link to its master is up: a replica that never synced
     * would not take over from a master killed right after the cluster was made.
     */
    public void awaitReplicasInSync(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            boolean synced = safeNodes().stream().filter(n -> !n.master() && n.server().isRunning())
                    .allMatch(n -> {
                        String info = safe(() -> n.server().bulkCommand("INFO replication"));
                        return info != null && info.contains("master_link_status:up");
                    });
            if (synced && !safeNodes().isEmpty()) {
                return;
            }
            sleep(100);
        }
        throw new IllegalStateException("the replicas did not sync with their masters within " + timeout);
    }

    public long nodeTimeoutMillis() {
        return nodeTimeoutMillis;
    }

    @Override
    public void close() {
        servers.forEach(RedisServer::stop);
    }

    private List<Node> safeNodes() {
        try {
            return nodes();
        } catch (IllegalStateException e) {
            return List.of();
        }
    }

    private static boolean clusterOk(RedisServer server) {
        String info = safe(() -> server.bulkCommand("CLUSTER INFO"));
        return info != null && info.contains("cluster_state:ok");
    }

    private List<Node> parseNodes(String text) {
        List<Node> nodes = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length < 8) {
                continue;
            }
            // <id> <ip:port@cport> <flags> <master> <ping-sent> <pong-recv> <config-epoch> <link-state> <slot> ...
            int port = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1, f[1].indexOf('@')));
            RedisServer server = servers.stream().filter(s -> s.port() == port).findFirst().orElse(null);
            if (server == null) {
                continue;
            }
            boolean master = List.of(f[2].split(",")).contains("master");
            nodes.add(new Node(server, f[0], master, "-".equals(f[3]) ? null : f[3]));
        }
        return nodes;
    }

    private static String safe(java.util.function.Supplier<String> call) {
        try {
            return call.get();
        } catch (IllegalStateException e) {
            return null;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String cli() {
        String configured = System.getenv("REDIS_CLI");
        return configured != null && !configured.isBlank() ? configured : "redis-cli";
    }
}
