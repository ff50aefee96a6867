package io.pushgate.e2e;

import static io.pushgate.testsupport.JsonWebSocket.op;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.testsupport.JsonWebSocket;
import io.pushgate.testsupport.RedisServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's first command, as a user runs it: {@code ./run.sh} starts the whole system, the
 * web app's URL it prints answers, a price reaches a gateway subscriber, and Ctrl-C (SIGINT)
 * stops every process it started. Ports are moved off the defaults so that the test does not
 * collide with anything on the machine; the data-feeder finds no price API here and replays
 * its recorded prices.
 */
class RunScriptIT {

    @Test
    void runShStartsEverythingAndCtrlCLeavesNothingBehind() throws Exception {
        Path root = repositoryRoot();
        Map<String, String> ports = Map.of(
                "REDIS_PORT", String.valueOf(RedisServer.freePort()),
                "GATEWAY_PORT", String.valueOf(RedisServer.freePort()),
                "AUTH_PORT", String.valueOf(RedisServer.freePort()),
                "BRIDGE_PORT", String.valueOf(RedisServer.freePort()),
                "FEEDER_PORT", String.valueOf(RedisServer.freePort()),
                "BACKEND_PORT", String.valueOf(RedisServer.freePort()),
                "WEB_PORT", String.valueOf(RedisServer.freePort()));
        // As from a terminal, where Ctrl-C's SIGINT is not ignored: a shell cannot trap a signal that was
        // ignored when it started, and a build started in the background (nohup ... &) hands its
        // children SIGINT ignored. perl (in every Debian) puts it back to the default and execs.
        ProcessBuilder builder = new ProcessBuilder("perl", "-e", "$SIG{INT} = 'DEFAULT'; exec 'bash', 'run.sh'").directory(root.toFile()).redirectErrorStream(true);
        builder.environment().putAll(ports);
        builder.environment().put("LOGS", root.resolve("e2e-tests/target/run-sh-logs").toString());
        // Tests talk to 127.0.0.1 only: the recorded prices, not the live API.
        builder.environment().put("FEEDER_SOURCE", "replay");
        Process run = builder.start();
        List<String> output = new ArrayList<>();
        CompletableFuture<String> webUrl = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(run.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    synchronized (output) {
                        output.add(line);
                    }
                    int at = line.indexOf("Open the web app: ");
                    if (at >= 0) {
                        webUrl.complete(line.substring(at + "Open the web app: ".length()).trim());
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
            webUrl.completeExceptionally(new AssertionError("run.sh ended without printing the web app's URL"));
        }, "run.sh-output");
        reader.setDaemon(true);
        reader.start();
        List<ProcessHandle> started = new ArrayList<>();
        try {
            String url;
            try {
                url = webUrl.get(5, TimeUnit.MINUTES);
            } catch (Exception e) {
                throw new AssertionError("run.sh did not come up: " + output, e);
            }
            assertThat(url).isEqualTo("http://localhost:" + ports.get("WEB_PORT"));
            HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);

            // The replayed feed flows feeder → Redis → bridge → backend-app → gateway.
            try (JsonWebSocket ws = JsonWebSocket.connect("ws://127.0.0.1:" + ports.get("GATEWAY_PORT") + "/v1/ws")) {
                ws.call(op("subscribe", "selector", "prices/btc"));
                JsonNode value = ws.await(m -> m.path("type").asText().equals("value"), Duration.ofSeconds(90));
                assertThat(value.path("value").path("bpi").path("USD").path("rate_float").isNumber()).isTrue();
            }
            run.descendants().forEach(started::add);
            assertThat(started).hasSizeGreaterThanOrEqualTo(6);
        } finally {
            // Ctrl-C: SIGINT to the script, which stops what it started.
            new ProcessBuilder("kill", "-INT", Long.toString(run.pid())).start().waitFor();
            boolean ended = run.waitFor(60, TimeUnit.SECONDS);
            if (!ended) {
                run.descendants().forEach(ProcessHandle::destroyForcibly);
                run.destroyForcibly();
            }
            assertThat(ended).as("run.sh ended after SIGINT; what it printed: %s", output).isTrue();
        }
        for (ProcessHandle process : started) {
            process.onExit().get(30, TimeUnit.SECONDS);
            assertThat(process.isAlive()).as("process %d (%s) after Ctrl-C", process.pid(), process.info().command().orElse("?")).isFalse();
        }
    }

    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("run.sh")) && Files.exists(dir.resolve("mvnw"))) {
                return dir;
            }
        }
        throw new IllegalStateException("run.sh not found above " + Path.of("").toAbsolutePath());
    }
}
