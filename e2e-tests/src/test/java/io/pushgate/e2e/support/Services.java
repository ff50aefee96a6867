package io.pushgate.e2e.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.testsupport.Http;
import io.pushgate.testsupport.JsonWebSocket;
import io.pushgate.testsupport.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The service processes of a pipeline test, each from its module's packaged jar with the same
 * Redis settings, started side by side and stopped in reverse order, their logs kept.
 */
public final class Services {

    private final Map<String, String> redis;
    private final List<ServiceProcess> started = new ArrayList<>();

    /** {@code redis}: the Redis settings every service gets (hosts, and the client type on a cluster). */
    public Services(Map<String, String> redis) {
        this.redis = Map.copyOf(redis);
    }

    /** A service of {@code module} on {@code port}, with the Redis settings and {@code properties}; not started yet. */
    public ServiceProcess add(String module, int port, Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(properties);
        all.putAll(redis);
        ServiceProcess p = new ServiceProcess(module, ServiceProcess.jarOf(module), port, all);
        started.add(p);
        return p;
    }

    public List<ServiceProcess> all() {
        return List.copyOf(started);
    }

    /** Starts processes side by side and waits until each is ready. */
    public static void startAll(ServiceProcess... processes) {
        CompletableFuture.allOf(Arrays.stream(processes).map(p -> CompletableFuture.runAsync(p::start))
                .toArray(CompletableFuture[]::new)).join();
    }

    /** Stops every service, the last added first, and copies its log into {@code logs}. */
    public void stopKeepingLogs(Path logs) throws IOException {
        Files.createDirectories(logs);
        for (int i = started.size() - 1; i >= 0; i--) {
            ServiceProcess p = started.get(i);
            p.stop();
            Files.copy(p.log(), logs.resolve(p.log().getFileName().toString().replaceAll("-\\d+\\.log$", ".log")),
                    StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * The pipeline's gateway set up as the administrator: clients may post in chat rooms; the role
     * MODERATOR (backend-app's) may edit their events and change principals' permissions; the view
     * of the USD price; the room chat/lobby.
     */
    public static void configurePipelineGateway(ServiceProcess gateway, String adminToken) {
        String url = gateway.httpUrl();
        Http.put(url + "/v1/security/roles/CLIENT", adminToken, "application/json", """
                {"defaultPathPermissions": ["SELECT_TOPIC", "READ_TOPIC"],
                 "pathPermissions": {"chat": ["SELECT_TOPIC", "READ_TOPIC", "UPDATE_TOPIC"]}}""").expectSuccess();
        Http.put(url + "/v1/security/roles/MODERATOR", adminToken, "application/json", """
                {"pathPermissions": {"chat": ["SELECT_TOPIC", "READ_TOPIC", "UPDATE_TOPIC", "MODIFY_TOPIC", "EDIT_TIME_SERIES_EVENTS"]},
                 "globalPermissions": ["VIEW_SECURITY", "MODIFY_SECURITY", "VIEW_SESSION", "MODIFY_SESSION"]}""").expectSuccess();
        Http.put(url + "/v1/views/usd", adminToken, "text/plain",
                "map ?prices/ to views/<path(1)>/usd as <value(/bpi/USD/rate_float)>").expectSuccess();
        try (JsonWebSocket admin = JsonWebSocket.connect(gateway.wsUrl() + "/v1/ws", Map.of("Authorization", "Bearer " + adminToken))) {
            // PRESENCE: like the demo's rooms, with $presence/chat/lobby kept by the gateway
            JsonNode ok = admin.call(Map.of("op", "add", "topic", "chat/lobby",
                    "spec", Map.of("type", "TIME_SERIES", "eventType", "JSON", "properties", Map.of("PRESENCE", "true"))));
            assertThat(ok.path("type").asText()).as("add chat/lobby: %s", ok).isEqualTo("ok");
        }
    }
}
