package io.pushgate.feeder.feed;

import static io.pushgate.feeder.support.Operator.asOperator;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pushgate.feeder.support.ChannelRecorder;
import io.pushgate.feeder.support.ClusterNodeSubscriber;
import io.pushgate.feeder.support.FakePriceApi;
import io.pushgate.feeder.support.FakePriceApiResource;
import io.pushgate.testsupport.RedisCluster;
import io.pushgate.testsupport.RedisClusterTestResource;
import io.pushgate.testsupport.TestIssuerResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The feed unchanged on a real Redis Cluster (six redis-server processes, three masters with a
 * replica each), configured only with Quarkus' standard settings
 * ({@code quarkus.redis.client-type=cluster}, {@code quarkus.redis.hosts} listing the nodes),
 * polling a local Coinbase-like API: each new document is appended to the stream (one key, so
 * on the one master owning its slot) and published on the channel, which the cluster delivers to
 * subscribers on every node. Then the stream's master is killed, and the feed goes on on its
 * promoted replica.
 *
 * <p>A profile without the module's global test resources: they would point
 * {@code quarkus.redis.hosts} at a single redis-server too.
 */
@QuarkusTest
@TestProfile(CoinbaseFeedOnClusterTest.OnCluster.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CoinbaseFeedOnClusterTest {

    /** The cluster, the price API and the issuer, and nothing else. */
    public static class OnCluster implements QuarkusTestProfile {

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RedisClusterTestResource.class),
                    new TestResourceEntry(FakePriceApiResource.class),
                    new TestResourceEntry(TestIssuerResource.class, Map.of(TestIssuerResource.PROPERTY, "feeder.security.issuers")));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    private static final Logger LOG = Logger.getLogger(CoinbaseFeedOnClusterTest.class);
    private static final JsonPathConfig DOUBLES = new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE);
    private static final String CHANNEL = "prices.btc";
    private static final String STREAM = "prices.btc.stream";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Inject
    RedisDataSource redis;

    @Inject
    CircuitBreakerMaintenance circuits;

    private FakePriceApi api;

    @BeforeEach
    void freshPrices() {
        api = FakePriceApiResource.current();
        api.mode(FakePriceApi.Mode.OK);
        // SmallRye keeps a named breaker's state across Quarkus restarts in one JVM
        circuits.reset(SourceGuard.CIRCUIT);
    }

    @AfterEach
    void stopFeed() {
        asOperator().post("/v1/feed/stop").then().statusCode(200);
    }

    @Test
    @Order(1)
    void pricesReachTheStreamOnItsMasterAndSubscribersOnEveryNode() throws Exception {
        assertThat(ConfigProvider.getConfig().getValue("quarkus.redis.client-type", String.class)).isEqualTo("cluster");
        assertThat(ConfigProvider.getConfig().getValue("quarkus.redis.hosts", String.class).split(",")).hasSize(6);
        String usd = api.randomPrices();
        List<ClusterNodeSubscriber> perMaster = new ArrayList<>();
        try (ChannelRecorder clusterClient = ChannelRecorder.subscribe(redis, CHANNEL)) {
            for (RedisCluster.Node master : cluster().masters()) {
                perMaster.add(ClusterNodeSubscriber.subscribe(master.port(), CHANNEL));
            }
            asOperator().post("/v1/feed/start").then().statusCode(200);

            await().atMost(Duration.ofSeconds(15)).until(() -> clusterClient.messages().stream().anyMatch(m -> hasUsd(m, usd)));
            String message = clusterClient.messages().stream().filter(m -> hasUsd(m, usd)).findFirst().orElseThrow();
            assertThat(MAPPER.readTree(message).path("source").asText()).isEqualTo("coinbase");
            // the same message on a subscriber of each master, the two that do not hold the stream included
            for (ClusterNodeSubscriber subscriber : perMaster) {
                await().atMost(Duration.ofSeconds(5)).until(() -> subscriber.messages().contains(message));
            }

            // and in the stream, read through the cluster client
            assertThat(streamData()).contains(message);
        } finally {
            perMaster.forEach(ClusterNodeSubscriber::close);
        }

        // the feeder writes one key, the stream: on the one master that owns its slot, and nothing anywhere else
        RedisCluster.Node owner = streamMaster();
        List<Long> keys = cluster().keysPerMaster();
        assertThat(keys.stream().mapToLong(Long::longValue).sum()).as("keys per master %s", keys).isEqualTo(1);
        assertThat(owner.server().command("DBSIZE")).isEqualTo(":1");
        assertThat(status().getLong("failures")).isZero();
    }

    @Test
    @Order(2)
    void whenTheStreamsMasterDiesTheFeedGoesOnOnItsPromotedReplica() throws Exception {
        String before = api.randomPrices();
        asOperator().post("/v1/feed/start").then().statusCode(200);
        await().atMost(Duration.ofSeconds(15)).until(() -> streamData().stream().anyMatch(m -> hasUsd(m, before)));
        RedisCluster.Node master = streamMaster();
        RedisCluster.Node replica = cluster().replicaOf(master);
        // replication is asynchronous: kill the master only once its replica has every entry
        awaitReplicated(master, replica, Duration.ofSeconds(10));
        long failuresBefore = status().getLong("failures");

        long killedAt = System.nanoTime();
        cluster().kill(master);
        // a new price while the stream has no master: its publish fails, and is tried again on the next polls
        String after = api.randomPrices();
        Duration promoted = cluster().awaitPromoted(replica, Duration.ofSeconds(30));

        // the feed finds the new topology by itself: the next new price lands in the stream, now on the replica
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> streamData().stream().anyMatch(m -> hasUsd(m, after)));
        Duration recovered = Duration.ofNanos(System.nanoTime() - killedAt);
        long failedPolls = status().getLong("failures") - failuresBefore;
        LOG.infof("stream master %s killed: replica promoted after %d ms, the feed published again %d ms after the kill (%d polls failed)",
                master.port(), promoted.toMillis(), recovered.toMillis(), failedPolls);
        assertThat(":1").isEqualTo(replica.server().command("EXISTS " + STREAM));
        assertThat(streamData()).as("what the dead master had acknowledged, the replica kept")
                .anyMatch(m -> hasUsd(m, before));

        // and live subscribers get the prices again
        String later = api.randomPrices();
        try (ChannelRecorder channel = ChannelRecorder.subscribe(redis, CHANNEL)) {
            await().atMost(Duration.ofSeconds(15)).until(() -> channel.messages().stream().anyMatch(m -> hasUsd(m, later)));
        }
        JsonPath status = status();
        assertThat(status.getBoolean("running")).isTrue();
        assertThat(status.getDouble("lastPrice.USD")).isEqualTo(Double.parseDouble(later));
    }

    private List<String> streamData() {
        List<StreamMessage<String, String, String>> entries = redis.stream(String.class).xrange(STREAM, StreamRange.of("-", "+"));
        return entries.stream().map(entry -> entry.payload().get("data")).toList();
    }

    private static boolean hasUsd(String message, String usd) {
        return message.contains("\"rate_float\":" + Double.parseDouble(usd) + "}");
    }

    /** The running master holding the stream (a master not owning its slot answers MOVED). */
    private static RedisCluster.Node streamMaster() {
        List<RedisCluster.Node> holders = cluster().masters().stream()
                .filter(n -> ":1".equals(n.server().command("EXISTS " + STREAM))).toList();
        assertThat(holders).as("masters holding %s", STREAM).hasSize(1);
        return holders.get(0);
    }

    /** Waits until {@code replica} has applied everything {@code master} has written. */
    private static void awaitReplicated(RedisCluster.Node master, RedisCluster.Node replica, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(20)).until(() -> {
            long written = offset(master.server().bulkCommand("INFO replication"), "master_repl_offset:");
            long applied = offset(replica.server().bulkCommand("INFO replication"), "slave_repl_offset:");
            return written > 0 && applied >= written;
        });
    }

    private static long offset(String info, String field) {
        return info.lines().filter(l -> l.startsWith(field)).map(l -> Long.parseLong(l.substring(field.length()).trim()))
                .findFirst().orElse(-1L);
    }

    private static RedisCluster cluster() {
        return RedisClusterTestResource.current();
    }

    private static JsonPath status() {
        return given().get("/v1/feed").then().statusCode(200).extract().jsonPath().using(DOUBLES);
    }
}
