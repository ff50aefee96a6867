package io.pushgate.gateway.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.client.PushgateClient;
import io.pushgate.client.Subscription;
import io.pushgate.client.ValueListener;
import io.pushgate.gateway.topics.TopicValue;
import io.pushgate.gateway.views.RemoteSources;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.TopicType;
import io.pushgate.testsupport.RedisServer;
import io.pushgate.testsupport.ServiceProcess;
import io.pushgate.testsupport.TestIssuer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jose4j.jwk.PublicJsonWebKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Remote views between two gateway processes on two Redis servers: a core gateway on Redis A, an
 * edge gateway on Redis B that names the core as remote server {@code core}, logging in there as
 * the principal {@code edge} (password grant at a token endpoint the core's issuer runs; the core
 * gives anonymous sessions nothing, so every value the edge gets proves the login). The core is
 * killed with SIGKILL and started again on the same port and Redis.
 *
 * <p>{@link #theAdapterFollowsTheCoreAcrossAKillAndARestart} drives the adapter at its port
 * ({@link RemoteSources}) from this JVM against the real core, and
 * {@link #aFeedOfACoreThatIsDownIsDormantUntilTheCoreFirstAnswers} follows a core that is not
 * running yet. {@link #aRemoteViewOnTheEdgeFollowsTheCoreAcrossAKillAndARestart}
 * defines {@code map ?prices// from core to edge/<path(1)>} on the edge gateway and reads its
 * reference topics there, through the whole chain: the view runtime, this adapter in the edge
 * process, the core. Figures go to {@code target/remote-views.txt}.
 */
class RemoteViewsIT {

    private static TestIssuer issuer;
    private static PublicJsonWebKey key;
    private static RedisServer redisA;
    private static RedisServer redisB;
    private static ServiceProcess core;
    private static ServiceProcess edge;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<String> FIGURES = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        issuer = new TestIssuer("/realm");
        key = issuer.addRsaKey("k1");
        issuer.principal("edge", "edge-password", key, "CLIENT");
        redisA = new RedisServer().start();
        redisB = new RedisServer().start();
        core = new ServiceProcess("core", ServiceProcess.jarOf("topic-gateway"), RedisServer.freePort(), Map.of(
                "quarkus.redis.hosts", redisA.uri(),
                "gateway.security.issuers", issuer.issuer(),
                "gateway.security.anonymous-roles", "NOBODY")).start(); // a role that grants nothing
        edge = new ServiceProcess("edge", ServiceProcess.jarOf("topic-gateway"), RedisServer.freePort(), Map.of(
                "quarkus.redis.hosts", redisB.uri(),
                "gateway.security.issuers", issuer.issuer(),
                "gateway.security.anonymous-roles", "ADMINISTRATOR",
                "gateway.remote-servers.core.url", core.wsUrl() + "/v1/ws",
                "gateway.remote-servers.core.principal", "edge",
                "gateway.remote-servers.core.token-url", issuer.tokenEndpoint(),
                "gateway.remote-servers.core.reconnect-min-delay", "200ms",
                "gateway.remote-servers.core.reconnect-max-delay", "1s",
                "gateway.remote-servers.core.ping-interval", "2s"))
                .environment(Map.of("GATEWAY_REMOTE_SERVERS_CORE_PASSWORD", "edge-password")) // a secret: not on the command line
                .start();
    }

    @AfterAll
    static void stop() throws IOException {
        for (AutoCloseable c : new AutoCloseable[] {edge, core, redisB, redisA, issuer}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // best effort
            }
        }
        if (!FIGURES.isEmpty()) {
            Path out = Path.of("target", "remote-views.txt");
            Files.createDirectories(out.getParent());
            Files.write(out, FIGURES);
            FIGURES.forEach(System.out::println);
        }
    }

    @BeforeEach
    void coreIsUp() {
        if (!core.isAlive()) {
            core.start();
        }
    }

    // ---------------------------------------------------------------- the adapter at its port

    @Test
    void theAdapterFollowsTheCoreAcrossAKillAndARestart() throws Exception {
        set("feed/doc", "JSON", "{\"n\":1,\"name\":\"first\"}");
        set("feed/count", "INT64", "5");
        set("feed/rate", "DOUBLE", "5");
        set("feed/label", "STRING", "\"hello\"");
        set("other/x", "JSON", "{\"x\":1}");

        await().atMost(Duration.ofSeconds(10)).until(() -> coreMetric("pushgate_connections") == 0); // the edge's views are gone
        try (RemoteGateways remote = RemoteGateways.of(Map.of("core", settings()))) {
            Recording feed = new Recording();
            Recording second = new Recording();
            Recording other = new Recording();
            Recording nowhere = new Recording();
            RemoteSources.Feed followed = remote.follow("core", "?feed//", feed);
            RemoteSources.Feed secondFeed = remote.follow("core", "?feed/do.*", second);
            RemoteSources.Feed otherFeed = remote.follow("core", ">other/x", other);
            remote.follow("nowhere", "?feed//", nowhere);

            // Dormant until the core answers, then every matching topic with its type.
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(feed.events()).hasSizeGreaterThanOrEqualTo(6));
            assertThat(feed.events().subList(0, 2)).containsExactly("disconnected", "connected");
            assertThat(feed.events().subList(2, 6)).containsExactlyInAnyOrder(
                    "value feed/doc JSON {\"n\":1,\"name\":\"first\"}", "value feed/count INT64 5",
                    "value feed/rate DOUBLE 5.0", "value feed/label STRING hello");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(second.events()).hasSizeGreaterThanOrEqualTo(3);
                assertThat(other.events()).hasSizeGreaterThanOrEqualTo(3);
            });
            assertThat(second.events()).containsExactly("disconnected", "connected", "value feed/doc JSON {\"n\":1,\"name\":\"first\"}");
            assertThat(other.events()).containsExactly("disconnected", "connected", "value other/x JSON {\"x\":1}");
            assertThat(nowhere.events()).containsExactly("disconnected");

            // Three views' feeds, one connection at the core (its own gauge), topics sent once each.
            assertThat(coreMetric("pushgate_connections")).isEqualTo(1);
            FIGURES.add("three feeds (selectors ?feed//, ?feed/do.*, >other/x) on one adapter: the core counts "
                    + (long) coreMetric("pushgate_connections") + " connection and " + (long) coreMetric("pushgate_subscriptions")
                    + " topic subscriptions (feed/doc, selected by two feeds, once)");
            assertThat(coreMetric("pushgate_subscriptions")).isEqualTo(5);

            // Updates and removals, in order.
            set("feed/doc", "JSON", "{\"n\":2,\"name\":\"first\"}");
            set("feed/count", "INT64", "6");
            remove("feed/label");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(feed.events()).hasSizeGreaterThanOrEqualTo(9));
            assertThat(feed.events().subList(6, 9)).containsExactly(
                    "value feed/doc JSON {\"n\":2,\"name\":\"first\"}", "value feed/count INT64 6", "removed feed/label");
            measureLatency(feed);

            // Without the login the core gives the same selector nothing (it would send the current
            // values on subscription): what the feeds got came with the edge principal's rights.
            try (RemoteGateways anonymous = RemoteGateways.of(Map.of("core", settings(null)))) {
                Recording anon = new Recording();
                anonymous.follow("core", "?feed//", anon);
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(anon.events()).contains("connected"));
                set("feed/count", "INT64", "7");
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(feed.last()).isEqualTo("value feed/count INT64 7"));
                assertThat(anon.events()).containsExactly("disconnected", "connected");
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> coreMetric("pushgate_connections") == 1);
            int beforeKill = feed.events().size();

            // The core dies: every feed of that server goes dormant.
            core.kill();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(feed.events()).hasSizeGreaterThan(beforeKill));
            assertThat(feed.events().subList(beforeKill, feed.events().size())).containsExactly("disconnected");
            assertThat(other.last()).isEqualTo("disconnected");
            assertThat(remote.isConnected("core").join()).isFalse();
            int whileDown = feed.events().size();

            // The core comes back on its port and Redis: the feeds resume with the current values.
            long restarted = System.nanoTime();
            core.start();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(feed.events()).hasSizeGreaterThanOrEqualTo(whileDown + 4));
            FIGURES.add("core restarted (process start until ready included): the adapter's feed was connected with its values again "
                    + Duration.ofNanos(System.nanoTime() - restarted).toMillis() + " ms after the start command");
            assertThat(feed.events().get(whileDown)).isEqualTo("connected");
            assertThat(feed.events().subList(whileDown + 1, whileDown + 4)).containsExactlyInAnyOrder(
                    "value feed/doc JSON {\"n\":" + latestN + ",\"name\":\"first\"}", "value feed/count INT64 7", "value feed/rate DOUBLE 5.0");
            set("feed/doc", "JSON", "{\"n\":1000,\"name\":\"after\"}");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(feed.last()).isEqualTo("value feed/doc JSON {\"n\":1000,\"name\":\"after\"}"));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(other.last()).isEqualTo("value other/x JSON {\"x\":1}"));
            assertThat(remote.isConnected("core").join()).isTrue();
            assertThat(feed.threads).containsExactly("pushgate-remote-core");

            // Closing a feed unsubscribes it; the others go on (the second feed is the witness).
            followed.close();
            int closedAt = feed.events().size();
            set("feed/doc", "JSON", "{\"n\":1001,\"name\":\"after\"}");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(second.last()).isEqualTo("value feed/doc JSON {\"n\":1001,\"name\":\"after\"}"));
            assertThat(feed.events()).hasSize(closedAt);
            await().atMost(Duration.ofSeconds(10)).until(() -> coreMetric("pushgate_subscriptions") == 2);

            // The last feed closed closes the connection.
            secondFeed.close();
            otherFeed.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> coreMetric("pushgate_connections") == 0);
        }
    }

    @Test
    void aFeedOfACoreThatIsDownIsDormantUntilTheCoreFirstAnswers() throws Exception {
        set("dormant/a", "STRING", "\"kept in Redis A\"");
        core.kill();
        try (RemoteGateways remote = RemoteGateways.of(Map.of("core", settings()))) {
            Recording feed = new Recording();
            remote.follow("core", "?dormant//", feed);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(feed.events()).contains("disconnected"));
            assertThat(remote.isConnected("core").join()).isFalse();

            core.start(); // attempts every 200 ms doubling to 1 s meanwhile
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(feed.events())
                    .containsExactly("disconnected", "connected", "value dormant/a STRING kept in Redis A"));
            assertThat(remote.isConnected("core").join()).isTrue();
        }
    }

    private static int latestN = 2;

    /** Median and worst time from a set acknowledged by the core's REST API to the value at the feed's listener, over 30 sets. */
    private void measureLatency(Recording feed) throws Exception {
        List<Long> micros = new ArrayList<>();
        for (int n = 3; n <= 32; n++) {
            String expected = "value feed/doc JSON {\"n\":" + n + ",\"name\":\"first\"}";
            long sent = System.nanoTime();
            set("feed/doc", "JSON", "{\"n\":" + n + ",\"name\":\"first\"}");
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1)).until(() -> feed.arrivals.containsKey(expected));
            micros.add((feed.arrivals.get(expected) - sent) / 1000);
            latestN = n;
        }
        Collections.sort(micros);
        FIGURES.add("core REST set -> edge adapter listener (two processes and this JVM on 2 shared cores), 30 sets: median "
                + micros.get(micros.size() / 2) / 1000.0 + " ms, worst " + micros.get(micros.size() - 1) / 1000.0 + " ms");
    }

    // ---------------------------------------------------------------- the whole view on the edge gateway

    @Test
    void aRemoteViewOnTheEdgeFollowsTheCoreAcrossAKillAndARestart() throws Exception {
        set("prices/btc", "JSON", "{\"usd\":100}");
        set("prices/eth", "JSON", "{\"usd\":10}");
        HttpResponse<String> put = putView("from-core", "map ?prices// from core to edge/<path(1)>");
        assertThat(put.statusCode()).as(put.body()).isIn(200, 201);

        try (PushgateClient reader = PushgateClient.builder(URI.create(edge.wsUrl() + "/v1/ws")).connect()) {
            Map<String, String> values = new ConcurrentHashMap<>();
            List<String> removals = new CopyOnWriteArrayList<>();
            Subscription sub = reader.subscribe("?edge//", new ValueListener() {
                @Override
                public void onValue(String topic, long seq, JsonNode value) {
                    values.put(topic, Json.write(value));
                }

                @Override
                public void onUnsubscribed(String topic, String reason) {
                    values.remove(topic);
                    removals.add(topic + " " + reason);
                }
            }).join();

            // The reference topics appear on the edge (its own Redis) and follow the core's updates.
            await().atMost(Duration.ofSeconds(20)).until(() -> values.size() == 2);
            assertThat(values).containsOnly(Map.entry("edge/btc", "{\"usd\":100}"), Map.entry("edge/eth", "{\"usd\":10}"));
            set("prices/btc", "JSON", "{\"usd\":101}");
            await().atMost(Duration.ofSeconds(10)).until(() -> "{\"usd\":101}".equals(values.get("edge/btc")));

            // A second view from the same server shares the edge's one connection to it.
            putView("from-core-btc", "map >prices/btc from core to edge-btc/<path(1)>");
            await().atMost(Duration.ofSeconds(10)).until(() -> edgeFetch(">edge-btc/btc").size() == 1);
            assertThat(coreMetric("pushgate_connections")).isEqualTo(1);
            FIGURES.add("two remote views on the edge (?prices// and >prices/btc from core): the core counts "
                    + (long) coreMetric("pushgate_connections") + " connection, the edge's");

            // The core dies: the reference topics from it go.
            core.kill();
            await().atMost(Duration.ofSeconds(20)).until(values::isEmpty);
            assertThat(removals).contains("edge/btc REMOVED", "edge/eth REMOVED");
            assertThat(edgeFetch("?edge//")).isEmpty();

            // It comes back: so do they, with the current values, and updates flow again.
            core.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> values.size() == 2);
            assertThat(values).containsOnly(Map.entry("edge/btc", "{\"usd\":101}"), Map.entry("edge/eth", "{\"usd\":10}"));
            set("prices/eth", "JSON", "{\"usd\":11}");
            await().atMost(Duration.ofSeconds(10)).until(() -> "{\"usd\":11}".equals(values.get("edge/eth")));
            sub.close();
        } finally {
            for (String view : List.of("from-core", "from-core-btc")) {
                HTTP.send(HttpRequest.newBuilder(URI.create(edge.httpUrl() + "/v1/views/" + view)).DELETE().build(),
                        HttpResponse.BodyHandlers.discarding());
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private static RemoteServerSettings settings() {
        return settings(new RemoteServerSettings.Login.Password(URI.create(issuer.tokenEndpoint()), "edge", "edge-password", Optional.empty()));
    }

    /** The core as remote server, logging in so (null: anonymous), with short timings for the test. */
    private static RemoteServerSettings settings(RemoteServerSettings.Login login) {
        return new RemoteServerSettings("core", List.of(URI.create(core.wsUrl() + "/v1/ws")), login,
                Duration.ofSeconds(5), Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(2));
    }

    /** A listener that writes down what it gets, and on which threads. */
    private static final class Recording implements RemoteSources.Listener {
        private final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final Set<String> threads = ConcurrentHashMap.newKeySet();
        final Map<String, Long> arrivals = new ConcurrentHashMap<>();

        private void add(String event) {
            threads.add(Thread.currentThread().getName());
            arrivals.putIfAbsent(event, System.nanoTime());
            events.add(event);
        }

        @Override
        public void connected() {
            add("connected");
        }

        @Override
        public void value(String path, TopicType type, TopicValue value) {
            add("value " + path + " " + type + " " + (type == TopicType.JSON ? value.text() : value.json().asText()));
        }

        @Override
        public void removed(String path) {
            add("removed " + path);
        }

        @Override
        public void disconnected() {
            add("disconnected");
        }

        List<String> events() {
            synchronized (events) {
                return List.copyOf(events);
            }
        }

        String last() {
            List<String> all = events();
            return all.isEmpty() ? "" : all.get(all.size() - 1);
        }
    }

    private static String controlToken;

    /** A publisher's token (five minutes, enough for the test), signed once: signing is not what the figures measure. */
    private static synchronized String controlToken() {
        if (controlToken == null) {
            controlToken = issuer.token(key, "feeder", "TOPIC_CONTROL");
        }
        return controlToken;
    }

    /** Sets a topic of the core (adding it with the type if needed), as a publisher with TOPIC_CONTROL. */
    private static void set(String path, String type, String json) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(core.httpUrl() + "/v1/topics/" + path + "?type=" + type))
                .header("Authorization", "Bearer " + controlToken()).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private static void remove(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(core.httpUrl() + "/v1/topics/" + path))
                .header("Authorization", "Bearer " + controlToken()).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    /** Defines a view on the edge (anonymous sessions are administrators there). */
    private static HttpResponse<String> putView(String name, String text) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(edge.httpUrl() + "/v1/views/" + name))
                .PUT(HttpRequest.BodyPublishers.ofString(text)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode edgeFetch(String selector) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(edge.httpUrl() + "/v1/topics?selector="
                + java.net.URLEncoder.encode(selector, java.nio.charset.StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        return Json.parse(r.body()).path("results");
    }

    /** A gauge of the core's /q/metrics. */
    private static double coreMetric(String name) throws Exception {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create(core.httpUrl() + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(body);
        assertThat(m.find()).as(name + " in " + body.length() + " bytes of metrics").isTrue();
        return Double.parseDouble(m.group(1));
    }
}
