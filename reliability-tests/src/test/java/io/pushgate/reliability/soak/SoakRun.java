package io.pushgate.reliability.soak;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.pushgate.client.PushgateClient;
import io.pushgate.reliability.support.Metrics;
import io.pushgate.reliability.support.PriceApi;
import io.pushgate.reliability.support.ProcessStats;
import io.pushgate.reliability.support.Services;
import io.pushgate.reliability.support.Sleep;
import io.pushgate.testsupport.Http;
import io.pushgate.testsupport.JsonWebSocket;
import io.pushgate.testsupport.RedisServer;
import io.pushgate.testsupport.ServiceProcess;
import io.pushgate.testsupport.SseClient;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The soak run behind {@code soak/run.sh}: the pipeline of e2e-tests (Redis, auth-service, gateway,
 * redis-bridge, backend-app, data-feeder on a local price API) under a mixed load for
 * {@code -Dsoak.minutes} (10 by default), then a report of each service's heap, file descriptors and
 * threads at the start and at the end, in {@code soak/results/}. Not part of the build's tests: its
 * name does not end in IT; run.sh names it.
 *
 * <p>The load: {@value #WRITERS} writers setting {@value #TOPICS} JSON topics (about 50 updates a
 * second in all), {@value #SUBSCRIBERS} Java-client subscribers ({@code ?soak//}, the price and its
 * view), {@value #SSE} SSE subscribers, {@value #CHATTERS} chat authors appending to
 * {@code chat/lobby} every half second (one message in ten with a flagged word, which backend-app
 * bleeps), a view over the soak topics, the feeder polling a price every second, and a subscriber
 * connecting and leaving every second (churn).
 */
class SoakRun {

    private static final String ADMIN_PASSWORD = "soak-admin-password";
    private static final String BACKEND_SECRET = "soak-backend-secret";
    private static final int TOPICS = 50;
    private static final int WRITERS = 5;
    private static final int SUBSCRIBERS = 50;
    private static final int SSE = 10;
    private static final int CHATTERS = 5;

    @Test
    void soak() throws Exception {
        double minutes = Double.parseDouble(System.getProperty("soak.minutes", "10"));
        Path resultsDir = Path.of(System.getProperty("soak.results", "../soak/results"));
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("minutes", minutes);
        report.put("startedAt", Instant.now().toString());
        report.put("machine", Runtime.getRuntime().availableProcessors() + " cores");

        RedisServer redis = new RedisServer().start();
        ExecutorService load = Executors.newCachedThreadPool();
        AtomicBoolean running = new AtomicBoolean(true);
        List<AutoCloseable> clients = new ArrayList<>();
        try (Services services = new Services("SoakRun"); PriceApi api = new PriceApi()) {
            int authPort = RedisServer.freePort();
            String authUrl = "http://127.0.0.1:" + authPort;
            ServiceProcess auth = services.service("auth-service", authPort, Map.of(
                    "quarkus.redis.hosts", redis.uri(), "auth.issuer", authUrl, "auth.admin-password", ADMIN_PASSWORD,
                    "auth.demo-principals", "true", "auth.clients.backend-app.secret", BACKEND_SECRET,
                    "auth.clients.backend-app.roles", "TOPIC_CONTROL,MODERATOR"));
            ServiceProcess bridge = services.service("redis-bridge", RedisServer.freePort(), Map.of(
                    "quarkus.redis.hosts", redis.uri(), "bridge.forward.streams", "prices.btc.stream", "bridge.forward.group-start-id", "0"));
            Services.startAll(auth, bridge);
            ServiceProcess gateway = services.service("topic-gateway", RedisServer.freePort(), Map.of(
                    "quarkus.redis.hosts", redis.uri(), "gateway.security.issuers", authUrl));
            Services.startAll(gateway);
            String admin = Http.passwordToken(authUrl, "admin", ADMIN_PASSWORD);
            configure(gateway, admin);
            ServiceProcess backend = services.service("backend-app", RedisServer.freePort(), Map.of(
                    "quarkus.redis.hosts", redis.uri(), "backend.gateway-url", gateway.httpUrl(), "backend.auth-url", authUrl,
                    "backend.client-secret", BACKEND_SECRET, "backend.moderation.words", "darn,heck"));
            ServiceProcess feeder = services.service("data-feeder", RedisServer.freePort(), Map.of(
                    "quarkus.redis.hosts", redis.uri(), "feeder.source", "coindesk", "feeder.url", api.url(), "feeder.period", "1s",
                    "feeder.autostart", "false", "feeder.security.issuers", authUrl));
            Services.startAll(backend, feeder);
            Map<String, ServiceProcess> all = new LinkedHashMap<>();
            all.put("topic-gateway", gateway);
            all.put("auth-service", auth);
            all.put("redis-bridge", bridge);
            all.put("backend-app", backend);
            all.put("data-feeder", feeder);
            // redis-server rewrites its command line to "redis-server 127.0.0.1:<port>"
            long redisPid = ProcessStats.find("redis-server", "127.0.0.1:" + redis.port());

            // the load
            api.serveUpTo(Integer.MAX_VALUE);
            // starting the feed needs TOPIC_CONTROL: carol's
            Http.send("POST", feeder.httpUrl() + "/v1/feed/start",
                    Map.of("Authorization", "Bearer " + Http.passwordToken(authUrl, "carol", "carol-password")), new byte[0]).expectSuccess();
            AtomicLong received = new AtomicLong();
            AtomicLong written = new AtomicLong();
            AtomicLong writeErrors = new AtomicLong();
            AtomicLong chats = new AtomicLong();
            AtomicLong churned = new AtomicLong();
            for (int i = 0; i < SUBSCRIBERS; i++) {
                PushgateClient c = PushgateClient.builder(URI.create(gateway.wsUrl() + "/v1/ws")).connect();
                clients.add(c);
                c.subscribe("?soak//", (t, s, v) -> received.incrementAndGet()).join();
                c.subscribe("#>prices/btc////>views/btc/usd", (t, s, v) -> received.incrementAndGet()).join();
            }
            for (int i = 0; i < SSE; i++) {
                clients.add(SseClient.connect(gateway.httpUrl() + "/v1/sse?selector=%3Fsoak%2F%2F"));
            }
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                PushgateClient c = PushgateClient.builder(URI.create(gateway.wsUrl() + "/v1/ws")).token(admin).connect();
                clients.add(c);
                load.execute(() -> {
                    Random random = new Random(writer);
                    long next = System.nanoTime();
                    while (running.get()) {
                        String topic = "soak/t" + (writer + WRITERS * random.nextInt(TOPICS / WRITERS));
                        c.set(topic, Map.of("n", random.nextInt(1000), "at", System.currentTimeMillis(), "w", writer), "JSON")
                                .whenComplete((seq, e) -> (e == null ? written : writeErrors).incrementAndGet());
                        next += 100_000_000L;
                        Sleep.until(next);
                    }
                });
            }
            for (int a = 0; a < CHATTERS; a++) {
                int author = a;
                String token = Http.passwordToken(authUrl, author % 2 == 0 ? "alice" : "bob", author % 2 == 0 ? "alice-password" : "bob-password");
                JsonWebSocket ws = JsonWebSocket.connect(gateway.wsUrl() + "/v1/ws", Map.of("Authorization", "Bearer " + token));
                clients.add(ws);
                load.execute(() -> {
                    long next = System.nanoTime();
                    for (int n = 0; running.get(); n++) {
                        // "darn" now and then: backend-app bleeps it (and, after three, revokes the author in the room)
                        ws.request(Map.of("op", "append", "topic", "chat/lobby", "value",
                                Map.of("text", n % 10 == 0 ? "darn it " + n : "hello " + n, "user", "soaker" + author)));
                        chats.incrementAndGet();
                        ws.drain();
                        next += 500_000_000L;
                        Sleep.until(next);
                    }
                });
            }
            load.execute(() -> {
                while (running.get()) {
                    try (JsonWebSocket ws = JsonWebSocket.connect(gateway.wsUrl() + "/v1/ws")) {
                        ws.call(Map.of("op", "subscribe", "selector", "?soak//"));
                        ws.call(Map.of("op", "fetch", "selector", ">views/btc/usd"));
                        churned.incrementAndGet();
                    } catch (RuntimeException | AssertionError e) {
                        writeErrors.incrementAndGet();
                    }
                    Sleep.millis(1000);
                }
            });

            Sleep.millis(15_000); // warm-up: JIT, pools, first GCs
            report.put("start", snapshot(all, redisPid));
            long end = System.nanoTime() + (long) (minutes * 60e9) - 15_000_000_000L;
            List<Map<String, Object>> samples = new ArrayList<>();
            while (System.nanoTime() < end) {
                Sleep.millis(Math.min(30_000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
                Map<String, Object> sample = new LinkedHashMap<>();
                sample.put("at", Instant.now().toString());
                all.forEach((name, p) -> sample.put(name + ".rssMb", ProcessStats.rssKb(p.pid()) / 1024));
                sample.put("gateway.connections", Metrics.value(gateway.httpUrl(), "pushgate_connections"));
                samples.add(sample);
            }
            report.put("end", snapshot(all, redisPid));
            running.set(false);
            load.shutdown();
            load.awaitTermination(10, TimeUnit.SECONDS);

            Map<String, Object> counts = new LinkedHashMap<>();
            counts.put("updatesWritten", written.get());
            counts.put("writeOrRequestErrors", writeErrors.get());
            counts.put("updatesReceivedByJavaSubscribers", received.get());
            counts.put("chatAppends", chats.get());
            counts.put("churnedSessions", churned.get());
            counts.put("pricesServed", api.served());
            counts.put("historyEvents", Http.get(gateway.httpUrl() + "/v1/timeseries/prices/btc/history?fromLast=10000").json().path("events").size());
            counts.put("gatewayMessagesOut", Metrics.value(gateway.httpUrl(), "pushgate_messages_out_total"));
            counts.put("gatewayConflations", Metrics.value(gateway.httpUrl(), "pushgate_conflations_total"));
            Map<String, Integer> logErrors = new LinkedHashMap<>();
            all.forEach((name, p) -> logErrors.put(name, Services.errorLines(p).size()));
            counts.put("errorLinesInLogs", logErrors);
            counts.put("allAlive", all.values().stream().allMatch(ServiceProcess::isAlive));
            report.put("counts", counts);
            report.put("samples", samples);
            report.put("endedAt", Instant.now().toString());
            write(resultsDir, report);
            assertThat(all.values()).allMatch(ServiceProcess::isAlive);
        } finally {
            running.set(false);
            load.shutdownNow();
            for (AutoCloseable c : clients) {
                try {
                    c.close();
                } catch (Exception e) {
                    // closing anyway
                }
            }
            redis.stop();
        }
    }

    /** As e2e-tests' PipelineIT: clients may post in chat, backend-app's MODERATOR may moderate, the USD view, a soak view. */
    private static void configure(ServiceProcess gateway, String admin) {
        String url = gateway.httpUrl();
        Http.put(url + "/v1/security/roles/CLIENT", admin, "application/json", """
                {"defaultPathPermissions": ["SELECT_TOPIC", "READ_TOPIC"],
                 "pathPermissions": {"chat": ["SELECT_TOPIC", "READ_TOPIC", "UPDATE_TOPIC"]}}""").expectSuccess();
        Http.put(url + "/v1/security/roles/MODERATOR", admin, "application/json", """
                {"pathPermissions": {"chat": ["SELECT_TOPIC", "READ_TOPIC", "UPDATE_TOPIC", "MODIFY_TOPIC", "EDIT_TIME_SERIES_EVENTS"]},
                 "globalPermissions": ["VIEW_SECURITY", "MODIFY_SECURITY"]}""").expectSuccess();
        Http.put(url + "/v1/views/usd", admin, "text/plain", "map ?prices/ to views/<path(1)>/usd as <value(/bpi/USD/rate_float)>").expectSuccess();
        Http.put(url + "/v1/views/soak", admin, "text/plain", "map ?soak/ to soakviews/<path(1)> as <value(/n)> throttle to 1 update every 1 second")
                .expectSuccess();
        try (JsonWebSocket ws = JsonWebSocket.connect(gateway.wsUrl() + "/v1/ws", Map.of("Authorization", "Bearer " + admin))) {
            ws.call(Map.of("op", "add", "topic", "chat/lobby", "spec", Map.of("type", "TIME_SERIES", "eventType", "JSON",
                    "properties", Map.of("TIME_SERIES_RETAINED_RANGE", "limit 1000"))));
        }
    }

    private static Map<String, Object> snapshot(Map<String, ServiceProcess> services, long redisPid) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("at", Instant.now().toString());
        services.forEach((name, p) -> s.put(name, ProcessStats.afterGc(p.pid()).asMap()));
        if (redisPid > 0) {
            s.put("redis-server", ProcessStats.ofNative(redisPid).asMap());
        }
        return s;
    }

    @SuppressWarnings("unchecked")
    private static void write(Path dir, Map<String, Object> report) throws IOException {
        Files.createDirectories(dir);
        String stamp = DateTimeFormatter.ofPattern("uuuuMMdd-HHmmss", Locale.ROOT).withZone(ZoneOffset.UTC).format(Instant.now());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("soak-" + stamp + ".json").toFile(), report);
        Map<String, Object> start = (Map<String, Object>) report.get("start");
        Map<String, Object> end = (Map<String, Object>) report.get("end");
        StringBuilder md = new StringBuilder();
        md.append("# Soak run ").append(report.get("startedAt")).append("\n\n");
        md.append(String.format(Locale.ROOT, "%s minutes of mixed load on %s (soak/run.sh; the load is described in SoakRun's Javadoc). "
                + "Heap figures are after a full GC (`jcmd <pid> GC.run`); start = after a 15 s warm-up.%n%n", report.get("minutes"), report.get("machine")));
        md.append("| service | RSS MB start → end | heap used MB start → end | heap committed MB start → end | threads start → end | fds start → end |\n");
        md.append("|---|---|---|---|---|---|\n");
        for (String name : start.keySet()) {
            if ("at".equals(name)) {
                continue;
            }
            Map<String, Object> a = (Map<String, Object>) start.get(name);
            Map<String, Object> b = (Map<String, Object>) end.get(name);
            md.append("| ").append(name);
            for (String k : List.of("rssMb", "heapUsedMb", "heapCommittedMb", "threads", "fds")) {
                Object x = a.get(k);
                Object y = b == null ? "?" : b.get(k);
                md.append(" | ").append("-1".equals(String.valueOf(x)) ? "n/a" : x + " → " + y);
            }
            md.append(" |\n");
        }
        md.append("\n## Counts\n\n");
        ((Map<String, Object>) report.get("counts")).forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        md.append("\nRSS every 30 s and the raw figures: `").append("soak-").append(stamp).append(".json`.\n");
        Files.writeString(dir.resolve("soak-" + stamp + ".md"), md.toString());
        System.out.println(md);
    }
}
