package io.pushgate.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.reliability.support.Metrics;
import io.pushgate.reliability.support.Percentiles;
import io.pushgate.testsupport.RawWebSocket;
import io.pushgate.reliability.support.Results;
import io.pushgate.reliability.support.Services;
import io.pushgate.reliability.support.Sleep;
import io.pushgate.reliability.support.TcpTable;
import io.pushgate.testsupport.JsonWebSocket;
import io.pushgate.testsupport.RedisServer;
import io.pushgate.testsupport.ServiceProcess;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * A subscriber that stops reading: a hand-rolled WebSocket on a socket with a small receive buffer
 * that is never read, subscribed to a busy topic (16 KB values, 100 a second). The gateway must
 * conflate it once its write queue is full, cut it off after {@code slow-consumer-timeout} (3 s
 * here) and close the TCP connection, while a normal subscriber of the same topic keeps its
 * latency.
 *
 * <p>Latency is the time from the writer stamping {@link System#nanoTime()} into the value (in
 * this JVM) to the subscriber receiving it, through the gateway and Redis. The bound: the p99
 * while the slow consumer is connected may be at most {@value #FACTOR} times the p99 measured
 * before it joined, plus {@value #SLACK_MS} ms: a generous allowance on a 2-core machine where the
 * test JVM, the gateway and Redis share the cores with other builds (load averages of 10 and more
 * were seen while these tests ran), yet far below the seconds a subscriber would wait if a stalled
 * socket held up the event loop it shares with the slow one.
 */
class SlowConsumerIT {

    private static final double FACTOR = 5.0;
    private static final double SLACK_MS = 50.0;
    private static final int VALUE_BYTES = 16 * 1024;
    private static final int UPDATES_PER_SECOND = 100;

    @Test
    void aConsumerThatStopsReadingIsConflatedThenCutOffWhileOthersKeepTheirLatency() throws Exception {
        Results results = new Results("slow-consumer");
        RedisServer redis = new RedisServer().start();
        AtomicBoolean writing = new AtomicBoolean(true);
        try (Services services = new Services("SlowConsumerIT")) {
            ServiceProcess gateway = services.gateway(redis.uri(), Map.of("gateway.limits.slow-consumer-timeout", "3s"));
            Services.startAll(gateway);
            try (JsonWebSocket writer = JsonWebSocket.connect(gateway.wsUrl() + "/v1/ws");
                 JsonWebSocket normal = JsonWebSocket.connect(gateway.wsUrl() + "/v1/ws?delta=none")) {
                writer.call(Map.of("op", "set", "topic", "busy/feed", "spec", Map.of("type", "JSON"), "value", value(new Random(1))));
                assertThat(normal.call(Map.of("op", "subscribe", "selector", ">busy/feed")).path("type").asText()).isEqualTo("ok");

                Thread load = new Thread(() -> {
                    Random random = new Random(42);
                    long period = 1_000_000_000L / UPDATES_PER_SECOND;
                    long next = System.nanoTime();
                    while (writing.get()) {
                        writer.request(Map.of("op", "set", "topic", "busy/feed", "value", value(random)));
                        next += period;
                        Sleep.until(next);
                    }
                }, "writer");
                load.start();

                // phase 1: the normal subscriber's latency with nobody slow, after a warm-up (JIT)
                Sleep.millis(3000);
                normal.drain();
                Sleep.millis(5000);
                Percentiles before = latencies(normal, normal.drain(), new ArrayList<>());
                results.put("latencyBefore", before.toString());

                // phase 2: a consumer that never reads joins
                double conflationsBefore = Metrics.value(gateway.httpUrl(), "pushgate_conflations_total");
                long joined = System.nanoTime();
                RawWebSocket slow = RawWebSocket.connect(gateway.port(), "/v1/ws?delta=none", 4096);
                slow.sendText("{\"op\":\"subscribe\",\"id\":\"s\",\"selector\":\">busy/feed\"}");
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                        .until(() -> Metrics.value(gateway.httpUrl(), "pushgate_conflations_total") > conflationsBefore);
                results.put("conflatedAfterJoinMs", Results.millis(joined, System.nanoTime()));
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                        .until(() -> Metrics.value(gateway.httpUrl(), "pushgate_slow_consumers_closed_total") >= 1);
                long cut = System.nanoTime();
                results.put("cutOffAfterJoinMs", Results.millis(joined, cut));
                results.put("conflations", Metrics.value(gateway.httpUrl(), "pushgate_conflations_total") - conflationsBefore);
                List<Long> seqs = new ArrayList<>();
                Percentiles during = latencies(normal, normal.drain(), seqs);
                results.put("latencyWhileSlowConsumerConnected", during.toString());

                // the gateway's end of the TCP connection closes, although the client has not read a byte
                String state = TcpTable.ESTABLISHED;
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (System.nanoTime() < deadline && TcpTable.ESTABLISHED.equals(state = TcpTable.state(gateway.port(), slow.localPort()))) {
                    Sleep.millis(100);
                }
                long tcpClosed = System.nanoTime();
                results.put("gatewaySocketStateAfterCut", state);
                results.put("gatewayClosedTcpAfterCutMs", Results.millis(cut, tcpClosed));

                // now read what the slow client was sent: values, then a close frame 4001, then the end
                int closeCode = -1;
                int frames = 0;
                boolean ended = false;
                slow.setReadTimeout(15_000);
                try {
                    while (true) {
                        RawWebSocket.Frame f = slow.readFrame();
                        frames++;
                        if (f.opcode() == 8) {
                            closeCode = f.closeCode();
                        }
                    }
                } catch (EOFException | SocketException e) {
                    ended = true;
                } catch (IOException e) {
                    results.put("slowClientReadEndedWith", e.toString());
                }
                slow.close();
                results.put("framesTheSlowClientHadQueued", frames);
                results.put("slowClientCloseCode", closeCode);

                Sleep.millis(2000);
                Percentiles after = latencies(normal, normal.drain(), seqs);
                results.put("latencyAfterCutOff", after.toString());
                writing.set(false);
                load.join();

                double bound = FACTOR * before.percentile(99) + SLACK_MS;
                results.put("p99BoundMs", bound);
                SoftAssertions soft = new SoftAssertions();
                soft.assertThat(state).as("the gateway's end of the slow connection is closed (not ESTABLISHED)").isNotEqualTo(TcpTable.ESTABLISHED);
                soft.assertThat(ended).as("the slow client's connection ends (EOF) once it reads").isTrue();
                soft.assertThat(closeCode).as("the close frame the slow client finds at the end").isEqualTo(4001);
                soft.assertThat(Results.millis(joined, cut)).as("cut off after the 3 s timeout, not long after").isBetween(3000L, 15_000L);
                soft.assertThat(during.percentile(99)).as("normal subscriber's p99 while the slow one is connected (%s vs %s)", during, before)
                        .isLessThanOrEqualTo(bound);
                soft.assertThat(isConsecutive(seqs)).as("the normal subscriber is never conflated: %s", seqs).isTrue();
                soft.assertThat(gateway.isAlive()).isTrue();
                soft.assertAll();
            }
        } finally {
            writing.set(false);
            results.write();
            redis.stop();
        }
    }

    private static Map<String, Object> value(Random random) {
        StringBuilder pad = new StringBuilder(VALUE_BYTES);
        for (int i = 0; i < VALUE_BYTES; i++) {
            pad.append((char) ('a' + random.nextInt(26)));
        }
        return Map.of("sent", System.nanoTime(), "pad", pad.toString());
    }

    private static Percentiles latencies(JsonWebSocket s, List<JsonNode> messages, List<Long> seqs) {
        Percentiles p = new Percentiles();
        for (JsonNode m : messages) {
            if ("value".equals(m.path("type").asText())) {
                p.add((s.receivedAt(m) - m.path("value").path("sent").asLong()) / 1e6);
                seqs.add(m.path("seq").asLong());
            }
        }
        return p;
    }

    private static boolean isConsecutive(List<Long> seqs) {
        for (int i = 1; i < seqs.size(); i++) {
            if (seqs.get(i) != seqs.get(i - 1) + 1) {
                return false;
            }
        }
        return true;
    }
}
