package io.pushgate.backend.pipeline;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.protocol.Json;
import io.pushgate.testsupport.RedisCluster;
import io.pushgate.testsupport.RedisClusterTestResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamCommands;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * backend-app, unchanged, on a real six-node Redis Cluster (three masters with a replica each),
 * configured only with Quarkus' standard settings ({@code quarkus.redis.client-type=cluster},
 * {@code quarkus.redis.hosts} listing the nodes), publishing to a real gateway process (which keeps
 * its own topics on a {@code redis-server} of its own: this test is about backend-app's Redis).
 * Entries put on the pipeline stream become {@code prices/btc}, {@code prices/btc/raw} and history
 * events; then the master that holds the pipeline stream is killed: its replica takes over, the
 * consumer follows it, readiness is UP again, and the history holds every price exactly once, in order.
 */
@QuarkusTest
@WithTestResource(value = RedisClusterTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = GatewayProcessResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS,
        initArgs = @ResourceArg(name = GatewayProcessResource.REDIS, value = GatewayProcessResource.OWN_REDIS))
class RedisClusterPipelineTest {

    private static final String STREAM = "bridge.out";
    private static final String GROUP = "backend-app";
    private static final Duration FAILOVER = Duration.ofSeconds(60);
    private static final AtomicInteger DOCS = new AtomicInteger();
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Inject
    RedisDataSource redis;

    @Test
    void pricesOnTheClusterReachTheGatewayAndSurviveAFailoverOfTheStreamsMaster() throws Exception {
        RedisCluster cluster = RedisClusterTestResource.current();
        RedisCluster.Node master = owner(cluster, STREAM);
        System.out.printf("%s is on master %d (replica %d)%n", STREAM, master.port(), cluster.replicaOf(master).port());

        List<BigDecimal> expected = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            expected.add(usd(i));
            put(usd(i));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> history().size() >= expected.size() && pending() == 0);
        assertThat(history()).usingElementComparator(BigDecimal::compareTo).containsExactlyElementsOf(expected);
        JsonNode price = gateway("/v1/topics/prices/btc").path("value");
        assertThat(price.path("bpi").path("USD").path("rate_float").decimalValue()).isEqualByComparingTo(usd(9));
        assertThat(price.path("change").path("previous").decimalValue()).isEqualByComparingTo(usd(8));
        assertThat(price.path("pipeline").path("channel").asText()).isEqualTo("prices.btc.stream");
        assertThat(gateway("/v1/topics/prices/btc/raw")).isNotNull();
        assertThat(readiness()).isEqualTo(200);

        // the master holding the pipeline stream dies; its replica takes over
        RedisCluster.Node replica = cluster.replicaOf(master);
        List<String> readinessTimeline = new CopyOnWriteArrayList<>();
        AtomicBoolean watching = new AtomicBoolean(true);
        long killedAt = System.nanoTime();
        Thread watcher = new Thread(() -> {
            int last = 0;
            while (watching.get()) {
                int status = readiness();
                if (status != last) {
                    readinessTimeline.add(status + " at " + (System.nanoTime() - killedAt) / 1_000_000 + " ms");
                    last = status;
                }
                sleep(50);
            }
        }, "readiness-watcher");
        cluster.kill(master);
        watcher.start();
        for (int i = 10; i < 15; i++) {
            expected.add(usd(i));
            put(usd(i)); // retried until the cluster takes it
        }
        cluster.awaitPromoted(replica, FAILOVER);
        long promotedMillis = (System.nanoTime() - killedAt) / 1_000_000;
        assertThat(owner(cluster, STREAM).port()).isEqualTo(replica.port());
        for (int i = 15; i < 25; i++) {
            expected.add(usd(i));
            put(usd(i));
        }
        await().atMost(FAILOVER).until(() -> readiness() == 200);
        sleep(200);
        watching.set(false);
        watcher.join();
        System.out.printf("replica %d promoted within %d ms of the kill; readiness after the kill: %s%n", replica.port(), promotedMillis,
                readinessTimeline);

        await().atMost(FAILOVER).ignoreExceptions().until(() -> history().size() >= expected.size() && pending() == 0);
        assertThat(history()).as("every price once, in order, across the failover")
                .usingElementComparator(BigDecimal::compareTo).containsExactlyElementsOf(expected);
        assertThat(gateway("/v1/topics/prices/btc").path("value").path("bpi").path("USD").path("rate_float").decimalValue())
                .isEqualByComparingTo(usd(24));
        given().get("/q/health/ready").then().statusCode(200);
    }

    /** A new price document, 10 s after the previous one, put on the pipeline stream as the bridge does; retried while the cluster refuses it. */
    private void put(BigDecimal usd) {
        int n = DOCS.incrementAndGet();
        Instant time = T0.plusSeconds(10L * n);
        String doc = "{\"time\":{\"updated\":\"x\",\"updatedISO\":\"" + time.toString().replace("Z", "+00:00") + "\"},"
                + "\"disclaimer\":\"cluster test document " + n + "\",\"chartName\":\"Bitcoin\","
                + "\"bpi\":{\"USD\":{\"code\":\"USD\",\"symbol\":\"&#36;\",\"rate\":\"x\",\"description\":\"United States Dollar\",\"rate_float\":" + usd + "},"
                + "\"EUR\":{\"code\":\"EUR\",\"rate_float\":" + usd.multiply(new BigDecimal("0.9")) + "}},\"source\":\"coindesk\"}";
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("source", "stream");
        fields.put("channel", "prices.btc.stream");
        fields.put("id", (2_000_000L + n) + "-0");
        fields.put("data", doc);
        fields.put("receivedAt", Instant.now().toString());
        // an XADD whose answer was lost may have happened: then the entry is there twice, which the service recognises
        await().atMost(FAILOVER).ignoreExceptions().until(() -> stream().xadd(STREAM, fields), id -> id != null);
    }

    private StreamCommands<String, String, String> stream() {
        return redis.stream(String.class, String.class, String.class);
    }

    private long pending() {
        return stream().xpending(STREAM, GROUP).getPendingCount();
    }

    private static BigDecimal usd(int i) {
        return new BigDecimal("51000.25").add(BigDecimal.valueOf(i * 13L, 2));
    }

    /** The running master that owns {@code key}'s slot: the one that does not answer MOVED. */
    private static RedisCluster.Node owner(RedisCluster cluster, String key) {
        return cluster.masters().stream().filter(m -> m.server().command("EXISTS " + key).startsWith(":"))
                .findFirst().orElseThrow(() -> new AssertionError("no master owns " + key));
    }

    private static JsonNode gateway(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(GatewayProcessResource.gateway().httpUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? Json.parse(r.body()) : null;
    }

    private static List<BigDecimal> history() throws Exception {
        JsonNode range = gateway("/v1/timeseries/prices/btc/history?fromLast=10000");
        List<BigDecimal> values = new ArrayList<>();
        if (range != null) {
            range.path("events").forEach(e -> values.add(e.path("value").decimalValue()));
        }
        return values;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int readiness() {
        return given().when().get("/q/health/ready").then().extract().statusCode();
    }
}
