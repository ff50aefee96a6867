package io.pushgate.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis for tests: a {@code redis-server} child process in the foreground on a free
 * loopback port, with no persistence, stopped by its pid. The process is not daemonized
 * because a daemonized one outlives the test JVM as a zombie (see shared/ENVIRONMENT.md).
 *
 * <p>{@link #stop()} and {@link #start()} may be called repeatedly on the same port, which is
 * what fault tests use to take Redis away and bring it back.
 */
public final class RedisServer implements AutoCloseable {

    private final int port;
    private final Path workDir;
    private Process process;
    private boolean appendOnly;
    private long clusterNodeTimeoutMillis = -1;

    public RedisServer() {
        this(freePort());
    }

    public RedisServer(int port) {
        this.port = port;
        try {
            this.workDir = Files.createTempDirectory("redis-test-");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a work directory for redis-server", e);
        }
    }

    /**
     * Makes the server keep every write in an append-only file, synced before each reply
     * ({@code appendfsync always}), in its work directory: a server {@link #kill}ed and started
     * again holds everything it acknowledged. For tests of what survives a crash.
     */
    public synchronized RedisServer appendOnly() {
        this.appendOnly = true;
        return this;
    }

    /**
     * Makes the server a Redis Cluster node ({@code --cluster-enabled yes}, its node file in its
     * work directory) that declares a master failed after {@code nodeTimeoutMillis} without an
     * answer. {@link RedisCluster} joins six of them into a cluster.
     */
    public synchronized RedisServer clusterNode(long nodeTimeoutMillis) {
        this.clusterNodeTimeoutMillis = nodeTimeoutMillis;
        return this;
    }

    /**
     * A free loopback port for a cluster node: at most 55535, with {@code port + 10000} (the
     * node's cluster bus port) free too. redis-server refuses a higher port in cluster mode, and
     * {@link #freePort()} may give one up to 60999 here.
     */
    public static int freeClusterPort() {
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = freePort();
            if (port <= 55535 && isFree(port + 10000)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port p <= 55535 with p + 10000 free too");
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A loopback port nobody listens on at the moment of the call. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    public synchronized RedisServer start() {
        if (process != null && process.isAlive()) {
            return this;
        }
        List<String> command = new java.util.ArrayList<>(List.of(executable(), "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--dir", workDir.toString(), "--loglevel", "warning"));
        command.addAll(appendOnly ? List.of("--appendonly", "yes", "--appendfsync", "always") : List.of("--appendonly", "no"));
        if (clusterNodeTimeoutMillis > 0) {
            command.addAll(List.of("--cluster-enabled", "yes", "--cluster-config-file", workDir.resolve("nodes.conf").toString(),
                    "--cluster-node-timeout", String.valueOf(clusterNodeTimeoutMillis),
                    // a replica takes over however long it was out of touch: tests kill masters at any moment
                    "--cluster-replica-validity-factor", "0"));
        }
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(workDir.resolve("redis.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server (is it installed? apt-get install -y redis-server)", e);
        }
        awaitPing(Duration.ofSeconds(20));
        return this;
    }

    /** Stops the server (SIGTERM, then SIGKILL) and waits for the process to end. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Kills the server at once (SIGKILL), as a crash would, and waits for the process to end. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    @Override
    public void close() {
        stop();
    }

    public int port() {
        return port;
    }

    /** The URI Quarkus' Redis client takes in {@code quarkus.redis.hosts}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Sends one inline command and returns the first line of the reply, for checks in tests. */
    public String command(String inline) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            return in.readLine();
        } catch (IOException e) {
            throw new IllegalStateException("redis on port " + port + " did not answer " + inline, e);
        }
    }

    /**
     * Sends one inline command whose reply is a bulk string (INFO, CLUSTER NODES) and returns its
     * text; a simple or error reply is returned as its line.
     */
    public String bulkCommand(String inline) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            java.io.InputStream in = socket.getInputStream();
            String head = readLine(in);
            if (!head.startsWith("$")) {
                return head;
            }
            int length = Integer.parseInt(head.substring(1));
            if (length < 0) {
                return null;
            }
            byte[] body = in.readNBytes(length);
            return new String(body, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("redis on port " + port + " did not answer " + inline, e);
        }
    }

    private static String readLine(java.io.InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    /** The server's log so far, for a test's failure message. */
    public String log() {
        try {
            return Files.readString(workDir.resolve("redis.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void awaitPing(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + process.exitValue()
                        + "; see " + workDir.resolve("redis.log"));
            }
            try {
                if ("+PONG".equals(command("PING"))) {
                    return;
                }
            } catch (IllegalStateException e) {
                last = e.getCause() instanceof IOException io ? io : null;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("redis-server did not answer PING on port " + port + " within " + timeout, last);
    }

    private static String executable() {
        String configured = System.getenv("REDIS_SERVER");
        return configured != null && !configured.isBlank() ? configured : "redis-server";
    }
}
