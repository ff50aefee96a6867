package io.pushgate.reliability.support;

import io.pushgate.testsupport.RedisServer;
import io.pushgate.testsupport.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The service processes of one test class: built from the packaged jars, stopped in reverse order
 * at the end, their logs copied to {@code target/reliability-logs/<test>/}.
 */
public final class Services implements AutoCloseable {

    private final String test;
    private final List<ServiceProcess> started = new ArrayList<>();

    public Services(String test) {
        this.test = test;
    }

    /**
     * A gateway on Redis whose anonymous role is ADMINISTRATOR (these tests are about faults, not
     * rights) and which trusts no issuer; {@code extra} adds or replaces properties.
     */
    public ServiceProcess gateway(String redisUri, Map<String, String> extra) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("quarkus.redis.hosts", redisUri);
        p.put("gateway.security.anonymous-roles", "ADMINISTRATOR");
        p.put("gateway.security.issuers", "http://127.0.0.1:1");
        p.putAll(extra);
        return service("topic-gateway", RedisServer.freePort(), p);
    }

    public ServiceProcess service(String module, int port, Map<String, String> properties) {
        ServiceProcess p = new ServiceProcess(module, ServiceProcess.jarOf(module), port, properties);
        synchronized (started) {
            started.add(p);
        }
        return p;
    }

    /** Starts processes side by side and waits until each is ready. */
    public static void startAll(ServiceProcess... processes) {
        CompletableFuture.allOf(Arrays.stream(processes).map(p -> CompletableFuture.runAsync(p::start))
                .toArray(CompletableFuture[]::new)).join();
    }

    /**
     * Lines of a service's log that report an error: ERROR-level lines, and the lines of a stack
     * trace (an exception's name at the start of a line, {@code at ...}, {@code Caused by:}).
     * Exception names quoted inside INFO or WARN lines (a health check saying Redis refused the
     * connection) are not errors of the service.
     */
    public static List<String> errorLines(ServiceProcess p) {
        try {
            return Files.readAllLines(p.log()).stream().filter(Services::isErrorLine).toList();
        } catch (IOException e) {
            return List.of("(cannot read " + p.log() + ": " + e + ")");
        }
    }

    static boolean isErrorLine(String line) {
        return line.contains(" ERROR [") || line.startsWith("\tat ") || line.startsWith("Caused by:")
                || line.matches("^[a-zA-Z_$][\\w.$]*(Exception|Error)(: .*)?$");
    }

    /**
     * Kills every process of the test (SIGKILL, all at once) and keeps the logs. Not SIGTERM: the
     * gateway's graceful shutdown waits out {@code quarkus.shutdown.timeout} (see
     * docs/reliability.md), which would cost every test class its length; the tests that are about
     * shutdown send SIGTERM themselves.
     */
    @Override
    public void close() {
        Path logs = Path.of("target", "reliability-logs", test);
        List<ServiceProcess> all;
        synchronized (started) {
            all = new ArrayList<>(started);
        }
        CompletableFuture.allOf(all.stream().map(p -> CompletableFuture.runAsync(p::kill)).toArray(CompletableFuture[]::new)).join();
        for (ServiceProcess p : all) {
            try {
                Files.createDirectories(logs);
                Files.copy(p.log(), logs.resolve(p.log().getFileName()), StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                // the test's outcome does not depend on the copy
            }
        }
    }
}
