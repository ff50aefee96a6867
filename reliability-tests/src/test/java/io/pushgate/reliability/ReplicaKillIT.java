package io.pushgate.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.client.PushgateClient;
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
 * Java client ({@link PushgateClient}) behind a fail-over TCP proxy (the client takes one URL),
 * which reconnects by itself and must recover the events it missed the same way.
 */
class ReplicaKillIT {

    private static final String ROOM = "chat/room";
    private static final int FOLLOWERS = 40;
    private static final int JAVA_CLIENTS = 4;
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
                List<List<Long>> javaSeqs = new ArrayList<>();
                for (int i = 0; i < JAVA_CLIENTS; i++) {
                    List<Long> seqs = Collections.synchronizedList(new ArrayList<>());
                    PushgateClient c = PushgateClient.builder(URI.create("ws://127.0.0.1:" + proxy.port() + "/v1/ws"))
                            .reconnect(Duration.ofMillis(100), Duration.ofSeconds(1)).connect();
                    c.subscribe(">" + ROOM, (topic, seq, value) -> seqs.add(seq)).join();
                    clients.add(c);
                    javaSeqs.add(seqs);
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

                // the Java client: reconnects through the proxy to B; it should miss nothing either
                Sleep.millis(1000);
                int javaComplete = 0;
                List<String> javaOutcomes = new ArrayList<>();
                for (List<Long> seqs : javaSeqs) {
                    List<Long> got = List.copyOf(seqs);
                    long distinct = got.stream().distinct().count();
                    long missing = expected.stream().filter(s -> !got.contains(s)).count();
                    javaOutcomes.add("received " + got.size() + ", distinct " + distinct + ", missing " + missing);
                    javaComplete += got.equals(expected) ? 1 : 0;
                    soft.assertThat(got).as("Java client (PushgateClient) after fail-over: every event once, in order").isEqualTo(expected);
                }
                results.put("javaClientsWithEveryEventOnce", javaComplete + "/" + JAVA_CLIENTS);
                results.put("javaClientOutcomes", javaOutcomes);
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
}
