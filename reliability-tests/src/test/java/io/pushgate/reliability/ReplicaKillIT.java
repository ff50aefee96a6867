package io.pushgate.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.client.ClientStats;
import io.pushgate.client.ConnectionState;
import io.pushgate.client.PushgateClient;
import io.pushgate.client.TimeSeriesEvent;
import io.pushgate.client.TimeSeriesListener;
import io.pushgate.reliability.support.FailoverProxy;
import io.pushgate.reliability.support.Results;
import io.pushgate.reliability.support.Services;
import io.pushgate.reliability.support.Sleep;
import io.pushgate.reliability.support.TimeSeriesFollower;
import io.pushgate.testsupport.JsonWebSocket;
import io.pushgate.testsupport.RedisServer;
import io.pushgate.testsupport.ServiceProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * A gateway replica killed with SIGKILL while a writer appends to a chat room through the other
 * replica and subscribers of the room are connected to the one killed. Each subscriber comes back
 * on the surviving replica and must end up with every event of the room exactly once, in order.
 *
 * <p>Two kinds of subscriber: {@link TimeSeriesFollower}s that speak the protocol directly (they
 * know both replicas and resume with {@code since}), which is what the gateway promises; and the
 * Java client ({@link PushgateClient}), which reconnects by itself and must recover the events it
 * missed the same way: {@value #JAVA_CLIENTS} clients given both replicas' URLs (no proxy), and
 * {@value #PROXIED_JAVA_CLIENTS} given one URL, a fail-over TCP proxy's, as a deployment behind a
 * load balancer would.
 */
class ReplicaKillIT {

    private static final String ROOM = "chat/room";
    private static final int FOLLOWERS = 40;
    private static final int JAVA_CLIENTS = 4;
    private static final int PROXIED_JAVA_CLIENTS = 2;
    private static final int APPENDS_PER_SECOND = 150;

    @Test
    void subscribersOfAKilledReplicaResumeOnTheOtherWithEveryEventOnce() throws Exception {
        Results results = new Results("replica-kill");
        RedisServer redis = new RedisServer().start();
        ScheduledExecutorService timer = TimeSeriesFollower.timer();
        HttpClient http = HttpClient.newHttpClient();
        List<TimeSeriesFollower> followers = new ArrayList<>();
        List<PushgateClient> clients = new ArrayList<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        try (Services services = new Services("ReplicaKillIT")) {
            ServiceProcess a = services.gateway(redis.uri(), Map.of());
            ServiceProcess b = services.gateway(redis.uri(), Map.of());
            Services.startAll(a, b);
            try (JsonWebSocket writer = JsonWebSocket.connect(b.wsUrl() + "/v1/ws");
                 FailoverProxy proxy = new FailoverProxy(List.of(a.port(), b.port()))) {
                JsonNode added = writer.call(Map.of("op", "add", "topic", ROOM, "spec", Map.of("type", "TIME_SERIES", "eventType", "JSON",
                        "properties", Map.of("TIME_SERIES_RETAINED_RANGE", "limit 100000"))));
                assertThat(added.path("type").asText()).as("add %s", added).isEqualTo("ok");

                List<URI> replicas = List.of(URI.create(a.wsUrl() + "/v1/ws"), URI.create(b.wsUrl() + "/v1/ws"));
                for (int i = 0; i < FOLLOWERS; i++) {
                    followers.add(new TimeSeriesFollower(replicas, ROOM, http, timer).start());
                }
                // Java clients given both replicas (A first, so they are on the one killed), and
                // Java clients given the proxy's one URL (which also routes to A first)
                List<JavaSubscriber> javaSubscribers = new ArrayList<>();
                for (int i = 0; i < JAVA_CLIENTS + PROXIED_JAVA_CLIENTS; i++) {
                    boolean proxied = i >= JAVA_CLIENTS;
                    PushgateClient c = (proxied ? PushgateClient.builder(URI.create("ws://127.0.0.1:" + proxy.port() + "/v1/ws"))
                            : PushgateClient.builder(replicas)).reconnect(Duration.ofMillis(100), Duration.ofSeconds(1)).connect();
                    clients.add(c);
                    JavaSubscriber s = new JavaSubscriber(c, proxied);
                    c.subscribe(">" + ROOM, s).join();
                    assertThat(c.uri().getPort()).as("a Java client starts on replica A").isIn(a.port(), proxy.port());
                    javaSubscribers.add(s);
                }

                // the writer: appends {"i": n} through replica B at a steady rate, counting what was acknowledged
                AtomicLong acknowledged = new AtomicLong();
                List<String> refused = Collections.synchronizedList(new ArrayList<>());
                Thread load = new Thread(() -> {
                    long period = 1_000_000_000L / APPENDS_PER_SECOND;
                    long next = System.nanoTime();
                    for (int n = 1; writing.get(); n++) {
                        JsonNode r = writer.call(Map.of("op", "append", "topic", ROOM, "value", Map.of("i", n)));
                        if ("ok".equals(r.path("type").asText())) {
                            acknowledged.set(r.path("seq").asLong());
                        } else {
                            refused.add(r.toString());
                        }
                        next += period;
                        Sleep.until(next);
                    }
                }, "writer");
                load.start();

                Sleep.millis(4000);
                long seqAtKill = acknowledged.get();
                long killed = System.nanoTime();
                javaSubscribers.forEach(s -> s.killedAt(killed));
                a.kill();
                results.put("seqAtKill", seqAtKill);
                Sleep.millis(4000);
                writing.set(false);
                load.join();
                long last = acknowledged.get();
                results.put("eventsAppended", last);
                results.put("appendsRefused", refused.size());

                await().atMost(Duration.ofSeconds(20)).until(() -> followers.stream().allMatch(f -> f.lastSeq() >= last));
                results.put("followersCaughtUpAfterKillMs", Results.millis(killed, System.nanoTime()));
                List<Long> resumed = followers.stream().map(TimeSeriesFollower::resumedAfterMs).sorted().toList();
                results.put("followerResumedAfterKillMsMedian", resumed.get(resumed.size() / 2));
                results.put("followerResumedAfterKillMsMax", resumed.get(resumed.size() - 1));

                List<Long> expected = LongStream.rangeClosed(1, last).boxed().toList();
                SoftAssertions soft = new SoftAssertions();
                soft.assertThat(refused).as("appends through the surviving replica").isEmpty();
                int complete = 0;
                for (TimeSeriesFollower f : followers) {
                    soft.assertThat(f.connections()).as("the follower reconnected").isGreaterThanOrEqualTo(2);
                    soft.assertThat(f.gaps()).as("gap messages").isEmpty();
                    soft.assertThat(f.problems()).as("errors").isEmpty();
                    soft.assertThat(f.seqs()).as("every event once, in order (no gap, no duplicate)").isEqualTo(expected);
                    soft.assertThat(f.values().stream().map(v -> v.path("i").asLong()).toList()).as("the values").isEqualTo(expected);
                    complete += f.seqs().equals(expected) ? 1 : 0;
                }
                results.put("followersWithEveryEventOnce", complete + "/" + FOLLOWERS);
                results.put("followersThatGotGapMessages", followers.stream().filter(f -> !f.gaps().isEmpty()).count() + "/" + FOLLOWERS);
                results.put("gapMessages", followers.stream().mapToInt(f -> f.gaps().size()).sum());

                // the Java clients: reconnect to B by themselves (or through the proxy) and resume
                // with since; they should miss nothing either
                // waits for them (up to 20 s) without failing here: the assertions below say what is missing
                long javaDeadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (!javaSubscribers.stream().allMatch(s -> s.lastSeq() >= last) && System.nanoTime() < javaDeadline) {
                    Sleep.millis(50);
                }
                results.put("javaClientsCaughtUpAfterKillMs", javaSubscribers.stream().allMatch(s -> s.lastSeq() >= last)
                        ? Results.millis(killed, System.nanoTime()) : -1);
                Sleep.millis(1000); // a duplicate, if any, would come now
                int javaComplete = 0;
                int proxiedComplete = 0;
                List<String> javaOutcomes = new ArrayList<>();
                List<Long> javaReconnected = new ArrayList<>();
                List<Long> javaResumed = new ArrayList<>();
                for (JavaSubscriber s : javaSubscribers) {
                    List<Long> got = s.seqs();
                    long distinct = got.stream().distinct().count();
                    java.util.Set<Long> gotSet = new java.util.HashSet<>(got);
                    long missing = expected.stream().filter(seq -> !gotSet.contains(seq)).count();
                    ClientStats stats = s.client.stats();
                    javaOutcomes.add((s.proxied ? "proxied: " : "both URLs: ") + "received " + got.size() + ", distinct " + distinct
                            + ", missing " + missing + ", duplicates " + (got.size() - distinct) + ", gaps " + s.gaps().size()
                            + ", duplicates dropped by the client " + stats.duplicateEventsDropped()
                            + ", reconnected after " + s.reconnectedAfterMs() + " ms, first event after " + s.resumedAfterMs() + " ms"
                            + ", now on port " + s.client.uri().getPort());
                    if (got.equals(expected)) {
                        if (s.proxied) {
                            proxiedComplete++;
                        } else {
                            javaComplete++;
                        }
                    }
                    javaReconnected.add(s.reconnectedAfterMs());
                    javaResumed.add(s.resumedAfterMs());
                    String kind = s.proxied ? "Java client (PushgateClient) behind the proxy" : "Java client (PushgateClient) given both URLs";
                    soft.assertThat(got).as(kind + " after fail-over: every event once, in order").isEqualTo(expected);
                    soft.assertThat(s.values()).as(kind + ": the values").isEqualTo(expected);
                    soft.assertThat(s.gaps()).as(kind + ": gaps").isEmpty();
                    soft.assertThat(s.unsubscribed()).as(kind + ": unsubscribed").isEmpty();
                    soft.assertThat(stats.reconnections()).as(kind + ": reconnected").isGreaterThanOrEqualTo(1);
                    soft.assertThat(s.client.uri().getPort()).as(kind + ": now on").isEqualTo(s.proxied ? proxy.port() : b.port());
                }
                results.put("javaClientsWithEveryEventOnce", javaComplete + "/" + JAVA_CLIENTS);
                results.put("proxiedJavaClientsWithEveryEventOnce", proxiedComplete + "/" + PROXIED_JAVA_CLIENTS);
                results.put("javaClientOutcomes", javaOutcomes);
                results.put("javaClientReconnectedAfterKillMs", javaReconnected);
                results.put("javaClientFirstEventAfterKillMs", javaResumed);
                soft.assertThat(b.isAlive()).isTrue();
                results.write();
                soft.assertAll();
            }
        } finally {
            writing.set(false);
            followers.forEach(TimeSeriesFollower::close);
            clients.forEach(PushgateClient::close);
            timer.shutdownNow();
            results.write();
            redis.stop();
        }
    }

    /** A Java client's subscription to the room: what it received, and when it came back. */
    private static final class JavaSubscriber implements TimeSeriesListener {
        final PushgateClient client;
        final boolean proxied;
        private final List<Long> seqs = new ArrayList<>();
        private final List<Long> values = new ArrayList<>();
        private final List<String> gaps = new ArrayList<>();
        private final List<String> unsubscribed = new ArrayList<>();
        private volatile long killedAt;
        private volatile long reconnectedAt;
        private volatile long resumedAt;

        JavaSubscriber(PushgateClient client, boolean proxied) {
            this.client = client;
            this.proxied = proxied;
            client.onConnectionState(state -> {
                if (state == ConnectionState.CONNECTED && killedAt != 0 && reconnectedAt == 0) {
                    reconnectedAt = System.nanoTime();
                }
            });
        }

        void killedAt(long nanos) {
            killedAt = nanos;
        }

        @Override
        public synchronized void onEvent(String topic, TimeSeriesEvent event) {
            if (killedAt != 0 && resumedAt == 0 && client.stats().reconnections() > 0) {
                resumedAt = System.nanoTime();
            }
            seqs.add(event.seq());
            values.add(event.value().path("i").asLong());
        }

        @Override
        public synchronized void onGap(String topic, long fromSeq, long toSeq, String reason) {
            gaps.add(fromSeq + "-" + toSeq + " " + reason);
        }

        @Override
        public synchronized void onUnsubscribed(String topic, String reason) {
            unsubscribed.add(reason);
        }

        synchronized List<Long> seqs() {
            return List.copyOf(seqs);
        }

        synchronized List<Long> values() {
            return List.copyOf(values);
        }

        synchronized List<String> gaps() {
            return List.copyOf(gaps);
        }

        synchronized List<String> unsubscribed() {
            return List.copyOf(unsubscribed);
        }

        synchronized long lastSeq() {
            return seqs.isEmpty() ? 0 : seqs.get(seqs.size() - 1);
        }

        /** From the kill to the client's next CONNECTED, in ms; -1 if it never came back. */
        long reconnectedAfterMs() {
            return reconnectedAt == 0 ? -1 : Results.millis(killedAt, reconnectedAt);
        }

        /** From the kill to the first event received on the new connection, in ms; -1 if none came. */
        long resumedAfterMs() {
            return resumedAt == 0 ? -1 : Results.millis(killedAt, resumedAt);
        }
    }
}
