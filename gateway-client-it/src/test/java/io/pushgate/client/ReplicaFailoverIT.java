package io.pushgate.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.testsupport.RedisServer;
import io.pushgate.testsupport.ServiceProcess;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two real gateway processes (replicas) on one real redis-server, and clients given both: one
 * replica is killed with SIGKILL while another client appends to a time series through the other,
 * and a client that was on the killed replica ends with every event exactly once, in order,
 * without a proxy. Also what it is told when events are no longer retained, or the topic was
 * recreated, while it was away.
 */
class ReplicaFailoverIT {

    private static final AtomicInteger ROOMS = new AtomicInteger();
    private static RedisServer redis;
    private static ServiceProcess a;
    private static ServiceProcess b;

    private final List<PushgateClient> clients = new ArrayList<>();

    @BeforeAll
    static void start() {
        redis = new RedisServer().start();
        a = replica("gateway-a").start();
        b = replica("gateway-b").start();
    }

    private static ServiceProcess replica(String name) {
        return new ServiceProcess(name, ServiceProcess.jarOf("topic-gateway"), RedisServer.freePort(),
                Map.of("quarkus.redis.hosts", redis.uri(), "gateway.security.anonymous-roles", "ADMINISTRATOR",
                        "gateway.limits.max-requests-per-second", "100000", "gateway.limits.request-burst", "100000"));
    }

    @AfterAll
    static void stop() {
        for (ServiceProcess p : new ServiceProcess[] {a, b}) {
            if (p != null) {
                p.kill();
            }
        }
        if (redis != null) {
            redis.stop();
        }
    }

    @AfterEach
    void closeClients() {
        clients.forEach(PushgateClient::close);
        clients.clear();
        for (ServiceProcess p : new ServiceProcess[] {a, b}) {
            if (!p.isAlive()) {
                p.start();
            }
        }
    }

    private static URI ws(ServiceProcess p) {
        return URI.create(p.wsUrl() + "/v1/ws");
    }

    private PushgateClient connect(PushgateClientBuilder builder) {
        PushgateClient client = builder.reconnect(Duration.ofMillis(100), Duration.ofSeconds(1)).connect();
        clients.add(client);
        return client;
    }

    private static String room(String name) {
        return "failover" + ROOMS.incrementAndGet() + "/" + name;
    }

    private static Map<String, Object> timeSeries(String retainedRange) {
        return Map.of("type", "TIME_SERIES", "eventType", "JSON", "properties", Map.of("TIME_SERIES_RETAINED_RANGE", retainedRange));
    }

    @Test
    void aClientGivenBothReplicasGetsEveryEventOnceInOrderWhenItsReplicaIsKilled() throws Exception {
        String room = room("chat");
        PushgateClient writer = connect(PushgateClient.builder(ws(b)));
        assertThat(writer.add(room, timeSeries("limit 100000")).join()).isEqualTo("CREATED");

        // two subscribers on replica A (the first endpoint): one with a time series listener, one
        // with a plain ValueListener written before events had a callback of their own
        PushgateClient follower = connect(PushgateClient.builder(ws(a), ws(b)));
        PushgateClient legacy = connect(PushgateClient.builder(List.of(ws(a), ws(b))));
        assertThat(follower.uri().getPort()).isEqualTo(a.port());
        assertThat(legacy.uri().getPort()).isEqualTo(a.port());
        EventRecorder events = new EventRecorder();
        follower.subscribe(">" + room, events).join();
        List<Long> legacySeqs = Collections.synchronizedList(new ArrayList<>());
        List<Long> legacyValues = Collections.synchronizedList(new ArrayList<>());
        legacy.subscribe(">" + room, (topic, seq, value) -> {
            legacySeqs.add(seq);
            legacyValues.add(value.path("i").asLong());
        }).join();

        // the writer appends {"i": n} through replica B, one after the other
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong acknowledged = new AtomicLong();
        AtomicReference<Throwable> writerFailure = new AtomicReference<>();
        Thread load = new Thread(() -> {
            try {
                for (long n = 1; writing.get(); n++) {
                    long seq = writer.append(room, Map.of("i", n)).join();
                    assertThat(seq).isEqualTo(n);
                    acknowledged.set(seq);
                    Thread.sleep(4);
                }
            } catch (Throwable t) {
                writerFailure.set(t);
            }
        }, "writer");
        load.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> events.seqs().size() >= 100 && legacySeqs.size() >= 100);

        long seqAtKill = acknowledged.get();
        long killedAt = System.nanoTime();
        a.kill(); // SIGKILL: Process.destroyForcibly
        await().atMost(Duration.ofSeconds(30)).until(() -> events.seqs().size() > seqAtKill + 50 && legacySeqs.size() > seqAtKill + 50);
        long resumedAfterMs = (System.nanoTime() - killedAt) / 1_000_000;
        Thread.sleep(1000);
        writing.set(false);
        load.join();
        assertThat(writerFailure.get()).as("the writer, on the surviving replica").isNull();
        long last = acknowledged.get();
        await().atMost(Duration.ofSeconds(30)).until(() -> events.seqs().size() >= last && legacySeqs.size() >= last);
        Thread.sleep(500); // anything more (a duplicate) would come now

        List<Long> expected = LongStream.rangeClosed(1, last).boxed().toList();
        assertThat(events.seqs()).as("every event once, in order").isEqualTo(expected);
        assertThat(events.events).extracting(e -> e.value().path("i").asLong()).isEqualTo(expected);
        assertThat(events.lines()).noneMatch(l -> l.contains(" gap ") || l.endsWith("REMOVED"));
        assertThat(legacySeqs).as("a plain ValueListener too").isEqualTo(expected);
        assertThat(legacyValues).isEqualTo(expected);
        for (PushgateClient c : List.of(follower, legacy)) {
            assertThat(c.state()).isEqualTo(ConnectionState.CONNECTED);
            assertThat(c.uri().getPort()).as("now on the surviving replica").isEqualTo(b.port());
            assertThat(c.stats().failovers()).isEqualTo(1);
            assertThat(c.stats().gaps()).isZero();
        }
        System.out.printf("ReplicaFailoverIT: %d events, killed at seq %d, both subscribers past it + 50 %d ms after the kill;"
                + " duplicates dropped: %d and %d%n", last, seqAtKill, resumedAfterMs,
                follower.stats().duplicateEventsDropped(), legacy.stats().duplicateEventsDropped());
    }

    @Test
    void eventsNoLongerRetainedWhileTheClientWasAwayAreAnnouncedAsAGap() {
        String room = room("short");
        PushgateClient writer = connect(PushgateClient.builder(ws(b)));
        writer.add(room, timeSeries("limit 5")).join();
        // this client knows replica A only: it is away for as long as A is
        PushgateClient follower = connect(PushgateClient.builder(ws(a)));
        EventRecorder events = new EventRecorder();
        follower.subscribe(">" + room, events).join();
        for (int i = 1; i <= 3; i++) {
            writer.append(room, Map.of("i", i)).join();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> events.seqs().size() == 3);

        a.kill();
        await().atMost(Duration.ofSeconds(10)).until(() -> follower.state() == ConnectionState.RECONNECTING);
        for (int i = 4; i <= 20; i++) {
            writer.append(room, Map.of("i", i)).join();
        }
        a.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> events.seqs().contains(20L));
        writer.append(room, Map.of("i", 21)).join();
        await().atMost(Duration.ofSeconds(10)).until(() -> events.seqs().contains(21L));

        // 4 to 15 were trimmed (limit 5 keeps 16 to 20): the listener is told, then gets the rest
        assertThat(events.lines()).containsExactly(room + "@1 {\"i\":1}", room + "@2 {\"i\":2}", room + "@3 {\"i\":3}",
                room + " gap 4-15 NOT_RETAINED", room + "@16 {\"i\":16}", room + "@17 {\"i\":17}", room + "@18 {\"i\":18}",
                room + "@19 {\"i\":19}", room + "@20 {\"i\":20}", room + "@21 {\"i\":21}");
        assertThat(follower.stats().gaps()).isEqualTo(1);
    }

    @Test
    void aTimeSeriesRecreatedWhileTheClientWasAwayIsAnnouncedAsRemovedBeforeItsNewEvents() {
        String room = room("recreated");
        PushgateClient writer = connect(PushgateClient.builder(ws(b)));
        writer.add(room, timeSeries("limit 1000")).join();
        PushgateClient follower = connect(PushgateClient.builder(ws(a)));
        EventRecorder events = new EventRecorder();
        follower.subscribe(">" + room, events).join();
        for (int i = 1; i <= 5; i++) {
            writer.append(room, Map.of("old", i)).join();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> events.seqs().size() == 5);

        a.kill();
        await().atMost(Duration.ofSeconds(10)).until(() -> follower.state() == ConnectionState.RECONNECTING);
        assertThat(writer.remove(">" + room).join()).isEqualTo(1);
        writer.add(room, timeSeries("limit 1000")).join();
        writer.append(room, Map.of("new", 1)).join();
        writer.append(room, Map.of("new", 2)).join();
        a.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> follower.state() == ConnectionState.CONNECTED);
        // CONNECTED comes before the subscriptions are renewed: wait for the renewal's event (the new
        // topic's last one, @2) before appending, or @3 may already be the last event the renewal reads.
        await().atMost(Duration.ofSeconds(10)).until(() -> events.lines().stream().anyMatch(l -> l.contains("{\"new\":2}")));
        writer.append(room, Map.of("new", 3)).join();
        await().atMost(Duration.ofSeconds(10)).until(() -> events.lines().stream().anyMatch(l -> l.contains("{\"new\":3}")));

        // since 5 is beyond the new topic's last seq: the gateway starts afresh (its subscription
        // range: the last event), and the client says the old topic went first
        List<String> lines = events.lines();
        assertThat(lines.subList(0, 5)).allMatch(l -> l.contains("\"old\""));
        assertThat(lines.subList(5, lines.size())).containsExactly(room + " REMOVED", room + "@2 {\"new\":2}", room + "@3 {\"new\":3}");
        JsonNode fetched = writer.range(room, RangeQuery.fromLast(10)).join().get(0).value();
        assertThat(fetched.path("new").asInt()).isEqualTo(1);
    }
}
