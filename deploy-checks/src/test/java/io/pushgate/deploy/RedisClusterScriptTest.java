package io.pushgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/create-redis-cluster.sh, the one definition of how Pushgate's Redis Cluster is made
 * (compose.cluster.yaml's one-shot container runs it, and {@code run.sh --cluster}), run with
 * {@code sh} against real redis-server nodes on 127.0.0.1: six new nodes become three masters with
 * a replica each, every node reporting cluster_state:ok; run again, it changes nothing; nodes that
 * are not in cluster mode, or some already in a cluster and some not, end it with a message and
 * are left as they were; a number of nodes that cannot make three masters is refused.
 */
class RedisClusterScriptTest {

    private static final Path SCRIPT = Repository.get().deploy().resolve("create-redis-cluster.sh");

    @TempDir
    Path dir;

    private final List<Process> servers = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : servers) {
            p.destroy();
        }
        for (Process p : servers) {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void sixNewNodesBecomeThreeMastersWithAReplicaEachAndRunningItAgainChangesNothing() {
        List<Integer> ports = startNodes(6, true);
        Result first = run(addresses(ports));
        assertThat(first.exit()).as("its exit status; its output:\n" + first.output()).isZero();
        assertThat(first.output()).contains("creating a cluster of 6 nodes (3 masters, 1 replica(s) each)")
                .contains("cluster_state:ok on all 6 nodes");
        for (int port : ports) {
            Map<String, String> info = clusterInfo(port);
            assertThat(info).as("CLUSTER INFO of 127.0.0.1:" + port).containsEntry("cluster_state", "ok")
                    .containsEntry("cluster_known_nodes", "6").containsEntry("cluster_size", "3")
                    .containsEntry("cluster_slots_assigned", "16384");
        }
        // the replicas' roles reach every node by gossip: wait for the first node to see them all
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (clusterNodes(ports.get(0)).stream().filter(n -> n[2].contains("slave")).count() < 3 && System.nanoTime() < deadline) {
            sleep(100);
        }
        List<String[]> nodes = clusterNodes(ports.get(0));
        assertThat(nodes).as("the nodes node 1 knows").hasSize(6);
        List<String> masters = nodes.stream().filter(n -> n[2].contains("master")).map(n -> n[0]).toList();
        assertThat(masters).as("masters").hasSize(3);
        assertThat(nodes.stream().filter(n -> n[2].contains("slave")).map(n -> n[3]).sorted().toList())
                .as("the replicas' masters: one replica each").isEqualTo(masters.stream().sorted().toList());
        String before = roles(nodes);

        Result again = run(addresses(ports));
        assertThat(again.exit()).as("run again; its output:\n" + again.output()).isZero();
        assertThat(again.output()).contains("already form a cluster; nothing to create").doesNotContain("creating");
        assertThat(roles(clusterNodes(ports.get(0)))).as("the nodes and their roles after running it again").isEqualTo(before);
    }

    @Test
    void nodesNeitherNewNorOneClusterAreRefusedAndLeftAlone() {
        List<Integer> ports = startNodes(7, true);
        assertThat(run(addresses(ports.subList(0, 6))).exit()).isZero();
        // five nodes of that cluster and a new one
        List<Integer> mixed = new ArrayList<>(ports.subList(0, 5));
        mixed.add(ports.get(6));
        Result result = run(addresses(mixed));
        assertThat(result.exit()).as("its output:\n" + result.output()).isNotZero();
        assertThat(result.output()).contains("the nodes are neither new nor one cluster of these 6");
        assertThat(clusterInfo(ports.get(6))).as("the new node, left alone").containsEntry("cluster_known_nodes", "1")
                .containsEntry("cluster_slots_assigned", "0");
        assertThat(clusterInfo(ports.get(0))).containsEntry("cluster_known_nodes", "6");

        List<Integer> standalone = startNodes(1, false);
        Result notClustered = run(addresses(List.of(standalone.get(0), ports.get(1), ports.get(2), ports.get(3), ports.get(4), ports.get(5))));
        assertThat(notClustered.exit()).isNotZero();
        assertThat(notClustered.output()).contains("127.0.0.1:" + standalone.get(0) + " is not a cluster node (start redis-server with"
                + " --cluster-enabled yes)");
    }

    @Test
    void aNumberOfNodesThatCannotMakeThreeMastersIsRefused() {
        for (int count : List.of(2, 4, 5)) {
            List<String> nodes = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                nodes.add("127.0.0.1:" + (7000 + i));
            }
            Result result = run(nodes);
            assertThat(result.exit()).as(count + " nodes").isNotZero();
            assertThat(result.output()).as(count + " nodes").containsAnyOf("at least three nodes", "cannot make at least three masters");
        }
    }

    // ---- helpers

    private record Result(int exit, String output) {
    }

    private Result run(List<String> nodes) {
        List<String> command = new ArrayList<>(List.of("sh", SCRIPT.toString()));
        command.addAll(nodes);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("REDIS_CLUSTER_TIMEOUT", "60");
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(process));
            if (!process.waitFor(150, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return fail("deploy/create-redis-cluster.sh did not end within 150 s: " + out.getNow(""));
            }
            return new Result(process.exitValue(), out.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String readAll(Process process) {
        try {
            return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> addresses(List<Integer> ports) {
        return ports.stream().map(p -> "127.0.0.1:" + p).toList();
    }

    /** Starts redis-server nodes on free ports (a cluster node's bus port, port + 10000, free too), each in a directory of its own. */
    private List<Integer> startNodes(int count, boolean cluster) {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int port = freePort();
            Path data = dir.resolve(String.valueOf(port));
            List<String> command = new ArrayList<>(List.of("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                    "--dir", data.toString(), "--save", "", "--appendonly", "yes", "--loglevel", "warning"));
            if (cluster) {
                command.addAll(List.of("--cluster-enabled", "yes", "--cluster-config-file", data.resolve("nodes.conf").toString(),
                        "--cluster-node-timeout", "5000"));
            }
            try {
                Files.createDirectories(data);
                servers.add(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(data.resolve("redis.log").toFile()).start());
            } catch (IOException e) {
                return fail("cannot start redis-server (these checks need it and redis-cli: apt-get install -y redis-server): " + e.getMessage());
            }
            ports.add(port);
        }
        for (int port : ports) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!command(port, "PING").startsWith("+PONG")) {
                if (System.nanoTime() > deadline) {
                    fail("redis-server on " + port + " did not answer PING within 20 s");
                }
                sleep(50);
            }
        }
        return ports;
    }

    private static int freePort() {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                int port = socket.getLocalPort();
                if (port + 10000 <= 65535 && free(port + 10000)) {
                    return port;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return fail("no free port p with p + 10000 free too");
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** One command in Redis's inline form; the reply, bulk strings read whole. */
    private static String command(int port, String command) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
            var in = new java.io.BufferedInputStream(socket.getInputStream());
            String first = line(in);
            if (!first.startsWith("$")) {
                return first;
            }
            int length = Integer.parseInt(first.substring(1));
            return length < 0 ? "" : new String(in.readNBytes(length), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "-" + e.getMessage();
        }
    }

    private static String line(java.io.InputStream in) throws IOException {
        StringBuilder out = new StringBuilder();
        for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
            if (c != '\r') {
                out.append((char) c);
            }
        }
        return out.toString();
    }

    private static Map<String, String> clusterInfo(int port) {
        Map<String, String> out = new TreeMap<>();
        for (String line : command(port, "CLUSTER INFO").split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                out.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return out;
    }

    /** CLUSTER NODES: id, address, flags, master id, ... per node. */
    private static List<String[]> clusterNodes(int port) {
        return command(port, "CLUSTER NODES").lines().filter(l -> !l.isBlank()).map(l -> l.trim().split(" ")).toList();
    }

    /** Each node's id, flags (without myself) and master, sorted: what running the script again must not change. */
    private static String roles(List<String[]> nodes) {
        return nodes.stream().map(n -> n[0] + " " + n[2].replace("myself,", "") + " " + n[3]).sorted().toList().toString();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
