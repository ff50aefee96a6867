package io.pushgate.reliability.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A packaged service started like test-support's ServiceProcess, for the one case it cannot
 * await: a gateway that only speaks HTTPS ({@code quarkus.http.insecure-requests=disabled}), whose
 * readiness is asked over TLS with a client that trusts its certificate.
 */
public final class JavaProcess implements AutoCloseable {

    private final Path jar;
    private final Map<String, String> properties;
    private final Path log;
    private Process process;

    public JavaProcess(Path jar, Map<String, String> properties) {
        this.jar = jar;
        this.properties = properties;
        try {
            this.log = Files.createTempFile("tls-gateway-", ".log");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts the process and waits until {@code readyUrl} answers 200 through {@code client}. */
    public JavaProcess start(HttpClient client, String readyUrl) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(jar.toString());
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited; log: " + tail());
            }
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(readyUrl)).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            Sleep.millis(200);
        }
        throw new IllegalStateException("not ready within 60 s; log: " + tail());
    }

    public Path log() {
        return log;
    }

    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
