package io.pushgate.reliability.support;

import io.pushgate.testsupport.RedisServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} child process with the append-only file on ({@code appendonly yes},
 * {@code appendfsync always}) in a directory of its own, so that what it acknowledged survives a
 * stop and a start on the same port. test-support's {@link RedisServer} runs without persistence
 * (and is final), hence this small variant with the same life cycle.
 */
public final class PersistentRedis implements AutoCloseable {

    private final int port = RedisServer.freePort();
    private final Path dir;
    private Process process;

    public PersistentRedis() {
        try {
            dir = Files.createTempDirectory("redis-aof-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public synchronized PersistentRedis start() {
        List<String> command = List.of("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--dir", dir.toString(), "--loglevel", "warning");
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile())).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server", e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited; see " + dir.resolve("redis.log"));
            }
            if ("+PONG".equals(command("PING"))) {
                return this;
            }
            Sleep.millis(50);
        }
        throw new IllegalStateException("redis-server did not answer on port " + port);
    }

    /** SIGTERM (Redis flushes the append-only file), and waits for the end. */
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

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** One inline command's first reply line, or null if Redis does not answer. */
    public String command(String inline) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
