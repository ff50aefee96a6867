package io.pushgate.bridge;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pushgate.bridge.passthrough.PassthroughHub;
import io.pushgate.bridge.redis.ChannelName;
import io.pushgate.bridge.redis.RedisSubscriptions;
import io.pushgate.bridge.redis.SubscriptionKey;
import io.pushgate.testsupport.FakeRestGateway;
import io.pushgate.bridge.support.FakeGatewayResource;
import io.pushgate.bridge.support.RawRedisSubscriber;
import io.pushgate.bridge.support.TestRedis;
import io.pushgate.testsupport.FrameWebSocket;
import io.pushgate.testsupport.RedisCluster;
import io.pushgate.testsupport.RedisClusterTestResource;
import io.pushgate.testsupport.TestIssuerResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The bridge, unchanged, on a real six-node Redis Cluster (three masters with a replica each),
 * configured only with Quarkus' standard settings ({@code quarkus.redis.client-type=cluster},
 * {@code quarkus.redis.hosts} listing the nodes): raw WebSocket clients over real sockets get what
 * is published on any node, what they send reaches subscribers on the other nodes, the configured
 * channels, patterns and streams are forwarded into the pipeline stream (which sits on another
 * master than the input streams), and the gateway mappings work. Then the node the pub/sub
 * connection is on is killed (and started again), then the master of an input stream: the bridge
 * moves its pub/sub connection to another node, the reader follows the promoted replica, readiness
 * reports it, and the WebSocket clients stay connected throughout.
 */
@QuarkusTest
@WithTestResource(value = RedisClusterTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = FakeGatewayResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = TestIssuerResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS,
        initArgs = @ResourceArg(name = TestIssuerResource.PROPERTY, value = "bridge.security.issuers"))
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterEndToEndTest {

    private static final Duration FAILOVER = Duration.ofSeconds(60);
    private static final String INPUT_STREAM = "fwd.stream";
    private static final List<FrameWebSocket> CLIENTS = new ArrayList<>();

    /** One channel and its clients for both tests: they stay connected through the failovers. */
    private static final String PREFIX = TestRedis.unique("cluster");
    private static final String CHANNEL = PREFIX + ".btc";
    private static FrameWebSocket reader;
    private static FrameWebSocket publisher;
    private static FrameWebSocket patternReader;

    @TestHTTPResource("/")
    URL base;

    @Inject
    RedisDataSource dataSource;

    @Inject
    RedisSubscriptions subscriptions;

    @Inject
    PassthroughHub hub;

    @AfterAll
    static void closeClients() {
        CLIENTS.forEach(FrameWebSocket::close);
        CLIENTS.clear();
    }

    @Test
    @Order(1)
    void passthroughForwardingAndMappingsWorkAcrossTheNodesOfACluster() throws Exception {
        RedisCluster cluster = RedisClusterTestResource.current();
        TestRedis redis = new TestRedis(dataSource);
        await().atMost(Duration.ofSeconds(20)).until(() -> subscriptions.node().isPresent());
        int bridgeNode = port(subscriptions.node().get());
        assertThat(cluster.servers()).as("the pub/sub connection is on one node of quarkus.redis.hosts")
                .anyMatch(s -> s.port() == bridgeNode);
        System.out.printf("pub/sub on node %d; %s on %d, ack.stream on %d, %s on %d%n", bridgeNode, INPUT_STREAM, owner(INPUT_STREAM).port(),
                owner("ack.stream").port(), TestRedis.PIPELINE, owner(TestRedis.PIPELINE).port());
        assertThat(owner(INPUT_STREAM).port()).as("entries read on one master are appended on another")
                .isNotEqualTo(owner(TestRedis.PIPELINE).port());

        reader = connect(CHANNEL, Map.of());
        publisher = connect(CHANNEL, Map.of("Authorization", "Bearer " + TestIssuerResource.token("publisher", "TOPIC_CONTROL")));
        patternReader = connect(PREFIX + ".*", Map.of());
        assertThat(subscribersOnEveryNode(CHANNEL)).as("one Redis subscription for both clients, on one node").isEqualTo(1);

        // published on every node, masters and replicas alike (not only the bridge's): every message reaches every client
        List<String> sent = publishOnEveryNode(CHANNEL, "before");
        await().until(() -> reader.received().size() == sent.size() && patternReader.received().size() == sent.size());
        // messages published on different nodes travel over different links: no order between them
        assertThat(reader.received()).extracting(FrameWebSocket.Frame::asText).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(patternReader.received()).extracting(FrameWebSocket.Frame::asText).containsExactlyInAnyOrderElementsOf(sent);
        await().until(() -> publisher.received().size() == sent.size());

        // what a WebSocket client sends is PUBLISHed and reaches raw subscribers on every other node
        List<RawRedisSubscriber> raw = new ArrayList<>();
        try {
            for (RedisCluster.Node node : cluster.nodes()) {
                if (node.port() != bridgeNode) {
                    RawRedisSubscriber subscriber = new RawRedisSubscriber(node.port(), CHANNEL);
                    raw.add(subscriber);
                    await().until(subscriber::isSubscribed);
                }
            }
            publisher.sendText("from the WebSocket €");
            await().until(() -> raw.stream().allMatch(s -> s.payloads().size() == 1));
            assertThat(raw).allSatisfy(s -> assertThat(new String(s.payloads().get(0), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo("from the WebSocket €"));
            await().until(() -> reader.received().size() == sent.size() + 1);
            assertThat(reader.received().get(sent.size()).asText()).isEqualTo("from the WebSocket €");
        } finally {
            for (RawRedisSubscriber subscriber : raw) {
                subscriber.close();
            }
        }

        // forwarding: a configured channel and pattern published on nodes other than the bridge's
        await().until(() -> subscriptions.isActive(SubscriptionKey.channel("fwd.channel"))
                && subscriptions.isActive(SubscriptionKey.pattern("fwd.pattern.*")));
        RedisCluster.Node other = cluster.nodes().stream().filter(n -> n.port() != bridgeNode).findFirst().orElseThrow();
        String onChannel = TestRedis.unique("channel");
        String onPattern = TestRedis.unique("pattern");
        assertThat(other.server().command("PUBLISH fwd.channel " + onChannel)).startsWith(":");
        assertThat(other.server().command("PUBLISH fwd.pattern.eth " + onPattern)).startsWith(":");
        await().until(() -> redis.forwarded(onChannel).size() == 1 && redis.forwarded(onPattern).size() == 1);
        assertThat(redis.forwarded(onChannel).get(0)).containsEntry("source", "channel").containsEntry("channel", "fwd.channel");
        assertThat(redis.forwarded(onPattern).get(0)).containsEntry("source", "pattern").containsEntry("pattern", "fwd.pattern.*");

        // streams: each read on its own (one XREADGROUP per stream), acknowledged after the forward
        assertForwarded(redis, INPUT_STREAM);
        assertForwarded(redis, "ack.stream");

        // a gateway mapping, published on a replica
        RedisCluster.Node replica = cluster.nodes().stream().filter(n -> !n.master()).findFirst().orElseThrow();
        await().until(() -> subscriptions.isActive(SubscriptionKey.pattern("gw.*")));
        String mapped = TestRedis.unique("gw.cluster");
        assertThat(replica.server().command("PUBLISH " + mapped + " [1,2]")).startsWith(":"); // an inline command: no quotes
        FakeRestGateway gateway = FakeGatewayResource.current();
        await().until(() -> gateway.requestsFor("redis/" + mapped).size() == 1);
        assertThat(gateway.requestsFor("redis/" + mapped).get(0).bodyText()).isEqualTo("[1,2]");
        assertThat(gateway.requestsFor("redis/" + mapped).get(0).query()).isEqualTo("type=JSON");

        assertThat(readinessStatus()).isEqualTo(200);
        assertThat(pubSubCheck()).containsEntry("status", "UP");
    }

    @Test
    @Order(2)
    void whenTheSubscribersNodeAndAStreamsMasterFailTheBridgeMovesOnAndReadinessSaysWhere() throws Exception {
        TestRedis redis = new TestRedis(dataSource);
        assertThat(reader).as("the first test connected the clients").isNotNull();
        await().until(() -> subscriptions.node().isPresent());

        // 1. the node the pub/sub connection is on
        int killed = port(subscriptions.node().get());
        RedisCluster.Node victim = nodeAt(killed);
        Duration took = kill(victim);
        System.out.printf("killed the pub/sub connection's node %d, %s%n", killed,
                victim.master() ? "a master; its replica took over after " + took.toMillis() + " ms" : "a replica");
        await().atMost(FAILOVER).until(() -> subscriptions.node().map(n -> port(n) != killed).orElse(false)
                && subscriptions.isActive(new ChannelName(CHANNEL).subscriptionKey())
                && subscriptions.isActive(new ChannelName(PREFIX + ".*").subscriptionKey()));
        int moved = port(subscriptions.node().get());
        await().atMost(FAILOVER).until(() -> readinessStatus() == 200);
        assertThat(String.valueOf(pubSubData().get("node"))).as("readiness names the node now used").endsWith(":" + moved);
        assertClientsStillConnected();

        int before = reader.received().size();
        List<String> after = publishOnEveryNode(CHANNEL, "after-" + killed);
        await().atMost(Duration.ofSeconds(20)).until(() -> reader.received().size() == before + after.size());
        assertThat(reader.received().subList(before, before + after.size())).extracting(FrameWebSocket.Frame::asText)
                .containsExactlyInAnyOrderElementsOf(after);
        assertForwarded(redis, INPUT_STREAM);

        // the killed node comes back (as a replica), so that every master has a replica again
        victim.server().start();
        awaitEveryMasterHasASyncedReplica();
        await().atMost(FAILOVER).until(() -> readinessStatus() == 200);

        // 2. the master of the input stream (now: if the first kill was its master, the replica that took over)
        RedisCluster.Node streamMaster = owner(INPUT_STREAM);
        Duration promoted = kill(streamMaster);
        System.out.printf("killed %s's master %d; its replica took over after %d ms%n", INPUT_STREAM, streamMaster.port(), promoted.toMillis());
        await().atMost(FAILOVER).until(() -> readinessStatus() == 200);
        assertForwarded(redis, INPUT_STREAM);
        assertThat(owner(INPUT_STREAM).port()).isNotEqualTo(streamMaster.port());
        await().atMost(FAILOVER).until(() -> subscriptions.node().isPresent()
                && subscriptions.isActive(new ChannelName(CHANNEL).subscriptionKey()));
        int count = reader.received().size();
        List<String> last = publishOnEveryNode(CHANNEL, "last");
        await().atMost(Duration.ofSeconds(20)).until(() -> reader.received().size() == count + last.size());
        assertThat(reader.received().subList(count, count + last.size())).extracting(FrameWebSocket.Frame::asText)
                .containsExactlyInAnyOrderElementsOf(last);
        assertClientsStillConnected();
        assertThat(readinessStatus()).isEqualTo(200);
        assertThat(pubSubCheck()).containsEntry("status", "UP");
    }

    // --- helpers

    private FrameWebSocket connect(String channel, Map<String, String> headers) {
        ChannelName name = new ChannelName(channel);
        int before = hub.clientCount(name);
        FrameWebSocket client = FrameWebSocket.connect(URI.create("ws://127.0.0.1:" + base.getPort() + "/v1/redis/" + channel), headers);
        CLIENTS.add(client);
        await().until(() -> hub.clientCount(name) > before && subscriptions.isActive(name.subscriptionKey()));
        return client;
    }

    private static void assertClientsStillConnected() {
        assertThat(reader.closeCode()).isNotDone();
        assertThat(publisher.closeCode()).isNotDone();
        assertThat(patternReader.closeCode()).isNotDone();
    }

    /** PUBLISHes one message on every running node, straight to it; returns the payloads. */
    private static List<String> publishOnEveryNode(String channel, String tag) {
        List<String> sent = new ArrayList<>();
        for (RedisCluster.Node node : RedisClusterTestResource.current().nodes()) {
            if (node.server().isRunning()) {
                String payload = tag + "-via-" + node.port();
                assertThat(node.server().command("PUBLISH " + channel + " " + payload)).as("PUBLISH on node " + node.port()).startsWith(":");
                sent.add(payload);
            }
        }
        return sent;
    }

    /** An entry added to {@code stream} (through the service's cluster client) is forwarded with its id and acknowledged. */
    private static void assertForwarded(TestRedis redis, String stream) {
        String payload = "{\"stream\":\"" + TestRedis.unique(stream) + "\"}";
        // right after a failover the client may still refuse a command: try again until it is taken
        String id = await().atMost(FAILOVER).ignoreExceptions().until(() -> redis.xadd(stream, Map.of("data", payload)), i -> i != null);
        await().atMost(FAILOVER).ignoreExceptions().until(() -> redis.forwarded(payload).stream().anyMatch(e -> id.equals(e.get("id"))));
        assertThat(redis.forwarded(payload)).filteredOn(e -> id.equals(e.get("id"))).first()
                .satisfies(e -> assertThat(e).containsEntry("source", "stream").containsEntry("channel", stream));
        await().atMost(FAILOVER).ignoreExceptions().until(() -> redis.pending(stream).isEmpty());
    }

    /** Kills a node; for a master, waits until its replica took over. Returns how long the cluster needed. */
    private static Duration kill(RedisCluster.Node node) {
        RedisCluster cluster = RedisClusterTestResource.current();
        RedisCluster.Node replica = node.master() ? cluster.replicaOf(node) : null;
        long start = System.nanoTime();
        cluster.kill(node);
        if (replica != null) {
            cluster.awaitPromoted(replica, FAILOVER);
        }
        cluster.awaitOk(FAILOVER);
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /**
     * Waits until every running master has a running replica whose link to it is up (a node started
     * again after a kill rejoins as a replica and must sync first), and the cluster serves every slot.
     */
    private static void awaitEveryMasterHasASyncedReplica() {
        RedisCluster cluster = RedisClusterTestResource.current();
        await().atMost(FAILOVER).ignoreExceptions().until(() -> {
            List<RedisCluster.Node> nodes = cluster.nodes();
            return nodes.stream().filter(n -> n.master() && n.server().isRunning()).allMatch(master -> nodes.stream()
                    .anyMatch(n -> master.id().equals(n.masterId()) && n.server().isRunning()
                            && n.server().bulkCommand("INFO replication").contains("master_link_status:up")));
        });
        cluster.awaitOk(FAILOVER);
    }

    /** The master that owns {@code key}'s slot: the one that does not answer MOVED. */
    private static RedisCluster.Node owner(String key) {
        return RedisClusterTestResource.current().masters().stream()
                .filter(m -> m.server().command("EXISTS " + key).startsWith(":"))
                .findFirst().orElseThrow(() -> new AssertionError("no master owns " + key));
    }

    private static RedisCluster.Node nodeAt(int port) {
        return RedisClusterTestResource.current().nodes().stream().filter(n -> n.port() == port).findFirst().orElseThrow();
    }

    /** Subscribers of a channel on all running nodes together (PUBSUB NUMSUB counts one node's). */
    private static long subscribersOnEveryNode(String channel) {
        long total = 0;
        for (RedisCluster.Node node : RedisClusterTestResource.current().nodes()) {
            if (node.server().isRunning()) {
                // the reply is an array: *2, $len, channel, :count; RedisServer.command gives its first line only
                total += numsub(node.port(), channel);
            }
        }
        return total;
    }

    private static long numsub(int port, String channel) {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(("PUBSUB NUMSUB " + channel + "\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8));
            for (int i = 0; i < 3; i++) {
                in.readLine(); // *2, $<len>, the channel
            }
            return Long.parseLong(in.readLine().substring(1));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int port(String uri) {
        return URI.create(uri).getPort();
    }

    private static int readinessStatus() {
        return given().when().get("/q/health/ready").then().extract().statusCode();
    }

    /** The {@code redis-pubsub} check of the readiness response. */
    private static Map<String, Object> pubSubCheck() {
        JsonPath health = given().when().get("/q/health/ready").then().extract().jsonPath();
        List<Map<String, Object>> checks = health.getList("checks");
        return checks.stream().filter(c -> "redis-pubsub".equals(c.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no redis-pubsub check in " + health.prettify()));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> pubSubData() {
        return (Map<String, Object>) pubSubCheck().get("data");
    }
}
