package io.pushgate.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.protocol.ErrorCode;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Several endpoints, against scripted gateways on real loopback sockets ({@link FakeGatewayServer}):
 * the first connection goes to the first endpoint that accepts, a dropped one moves to the next
 * endpoint in turn, and time series resume there with {@code since}. Also the time series requests
 * as they go on the wire.
 */
class FailoverTest {

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        Collections.reverse(resources);
        for (AutoCloseable r : resources) {
            r.close();
        }
    }

    private FakeGatewayServer server() {
        return server(0);
    }

    private FakeGatewayServer server(int port) {
        FakeGatewayServer s = new FakeGatewayServer(port).start();
        resources.add(s);
        return s;
    }

    private PushgateClient connect(PushgateClientBuilder builder) {
        PushgateClient client = builder.reconnect(Duration.ofMillis(50), Duration.ofMillis(200))
                .pingInterval(Duration.ZERO).connectTimeout(Duration.ofSeconds(5)).connect();
        resources.add(client);
        return client;
    }

    /** Answers the subscribe of a time series selector and plays the topic's subscription. */
    private static void acceptSubscription(FakeGatewayServer.Conn conn, JsonNode subscribe, String topic, long tid) {
        conn.ok(subscribe, "");
        conn.send(Msg.timeSeries(topic, tid, subscribe.path("selector").asText()));
    }

    @Test
    void whenItsReplicaDiesTheClientMovesToTheNextAndResumesItsTimeSeriesWithSince() {
        FakeGatewayServer a = server();
        FakeGatewayServer b = server();
        PushgateClient client = connect(PushgateClient.builder(a.uri(), b.uri()));
        List<ConnectionState> states = Collections.synchronizedList(new ArrayList<>());
        client.onConnectionState(states::add);
        FakeGatewayServer.Conn onA = a.nextConnection();
        assertThat(client.uri()).isEqualTo(client.endpoints().get(0));

        EventRecorder r = new EventRecorder();
        CompletableFuture<Subscription> subscribed = client.subscribe(">chat/room", r);
        JsonNode first = onA.next("subscribe");
        assertThat(first.has("since")).isFalse();
        acceptSubscription(onA, first, "chat/room", 4);
        for (long seq = 1; seq <= 3; seq++) {
            onA.send(Msg.event(4, seq, "{'i':" + seq + "}"));
        }
        assertThat(subscribed.join().isOpen()).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> r.seqs().size() == 3);

        a.kill();
        FakeGatewayServer.Conn onB = b.nextConnection();
        JsonNode resumed = onB.next("subscribe");
        assertThat(resumed.path("selector").asText()).isEqualTo(">chat/room");
        assertThat(resumed.path("since")).isEqualTo(Msg.json("{'chat/room':3}"));
        acceptSubscription(onB, resumed, "chat/room", 9); // another process: another tid
        onB.send(Msg.event(9, 3, "{'i':3}")); // a replay overlapping what was handed over: dropped
        onB.send(Msg.event(9, 4, "{'i':4}"));
        onB.send(Msg.event(9, 5, "{'i':5}"));
        onB.pong(onB.next("ping"));
        onB.send(Msg.event(9, 6, "{'i':6}"));

        await().atMost(Duration.ofSeconds(10)).until(() -> r.seqs().size() >= 6);
        assertThat(r.seqs()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(r.lines()).noneMatch(l -> l.contains("REMOVED"));
        assertThat(client.uri()).isEqualTo(client.endpoints().get(1));
        assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(states).containsExactly(ConnectionState.RECONNECTING, ConnectionState.CONNECTED);
        ClientStats stats = client.stats();
        assertThat(stats.reconnections()).isEqualTo(1);
        assertThat(stats.failovers()).isEqualTo(1);
        assertThat(stats.duplicateEventsDropped()).isEqualTo(1);
        assertThat(a.hasUntakenConnection()).isFalse();
    }

    @Test
    void endpointsAreTriedRoundRobinFromTheOneAfterTheDroppedConnection() {
        FakeGatewayServer a = server();
        FakeGatewayServer b = server();
        FakeGatewayServer c = server();
        PushgateClient client = connect(PushgateClient.builder(List.of(a.uri(), b.uri(), c.uri())));
        a.nextConnection();

        b.kill(); // the next one is down: the one after it is tried next
        a.kill();
        c.nextConnection();
        await().atMost(Duration.ofSeconds(10)).until(() -> client.state() == ConnectionState.CONNECTED);
        assertThat(client.uri()).isEqualTo(client.endpoints().get(2));

        // from the last endpoint the list wraps round to the first
        FakeGatewayServer a2 = server(a.port());
        c.kill();
        a2.nextConnection();
        await().atMost(Duration.ofSeconds(10)).until(() -> client.state() == ConnectionState.CONNECTED
                && client.uri().equals(client.endpoints().get(0)));
        assertThat(client.stats().failovers()).isEqualTo(2);
    }

    @Test
    void theFirstConnectionGoesToTheFirstEndpointThatAccepts() {
        FakeGatewayServer down = server();
        down.kill();
        FakeGatewayServer up = server();
        PushgateClient client = connect(PushgateClient.builder(List.of(down.uri(), up.uri())));
        up.nextConnection();
        assertThat(client.uri()).isEqualTo(client.endpoints().get(1));
        assertThat(client.stats().failovers()).isZero();
        // a server that answers 503 (draining) is passed over too
        FakeGatewayServer draining = server();
        draining.refuseWith(503);
        FakeGatewayServer other = server();
        PushgateClient second = connect(PushgateClient.builder(draining.uri(), other.uri()));
        other.nextConnection();
        assertThat(second.uri()).isEqualTo(second.endpoints().get(1));
    }

    @Test
    void whenNoEndpointAnswersConnectingFailsWithUnavailableNamingThemAll() {
        FakeGatewayServer a = server();
        FakeGatewayServer b = server();
        a.kill();
        b.kill();
        Throwable error = catchThrowable(() -> PushgateClient.builder(a.uri(), b.uri()).connectTimeout(Duration.ofSeconds(2)).connect());
        assertThat(error).isInstanceOf(PushgateException.class)
                .hasMessageContaining("cannot connect to any of")
                .hasMessageContaining(String.valueOf(a.port())).hasMessageContaining(String.valueOf(b.port()));
        assertThat(((PushgateException) error).code()).isEqualTo(ErrorCode.UNAVAILABLE);
    }

    @Test
    void aRefusedTokenIsNotTriedOnTheOtherReplicas() {
        FakeGatewayServer a = server();
        FakeGatewayServer b = server();
        a.refuseWith(401);
        Throwable error = catchThrowable(() -> PushgateClient.builder(a.uri(), b.uri()).token("bad").connect());
        assertThat(error).isInstanceOf(PushgateException.class);
        assertThat(((PushgateException) error).code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
        assertThat(b.hasUntakenConnection()).isFalse();
    }

    @Test
    void withRandomStartClientsSpreadOverTheEndpoints() {
        FakeGatewayServer a = server();
        FakeGatewayServer b = server();
        int onA = 0;
        for (int i = 0; i < 24; i++) {
            PushgateClient client = connect(PushgateClient.builder(a.uri(), b.uri()).randomStart());
            onA += client.uri().equals(client.endpoints().get(0)) ? 1 : 0;
        }
        // 24 fair coin tosses all alike: 1 chance in 8 million
        assertThat(onA).isBetween(1, 23);
    }

    @Test
    void theSingleUriBuilderStillWorksAndReconnectsToItsOneEndpoint() {
        FakeGatewayServer a = server();
        PushgateClient client = connect(PushgateClient.builder(a.uri()));
        a.nextConnection();
        assertThat(client.endpoints()).hasSize(1);
        int port = a.port();
        a.kill();
        await().atMost(Duration.ofSeconds(10)).until(() -> client.state() == ConnectionState.RECONNECTING);
        FakeGatewayServer again = server(port);
        again.nextConnection();
        await().atMost(Duration.ofSeconds(10)).until(() -> client.state() == ConnectionState.CONNECTED);
        assertThat(client.stats().failovers()).isZero();
        assertThat(client.stats().reconnections()).isEqualTo(1);
    }

    @Test
    void appendEditAndRangeGoOnTheWireAsTheProtocolSays() {
        FakeGatewayServer a = server();
        PushgateClient client = connect(PushgateClient.builder(a.uri()));
        FakeGatewayServer.Conn conn = a.nextConnection();

        CompletableFuture<Long> appended = client.append("chat/room", Map.of("text", "hi"));
        JsonNode append = conn.next("append");
        assertThat(append.path("topic").asText()).isEqualTo("chat/room");
        assertThat(append.path("value")).isEqualTo(Msg.json("{'text':'hi'}"));
        conn.ok(append, "'seq':7");
        assertThat(appended.join()).isEqualTo(7L);

        CompletableFuture<Long> edited = client.edit("chat/room", 7, Map.of("text", "hi!"));
        JsonNode edit = conn.next("edit");
        assertThat(edit.path("seq").asLong()).isEqualTo(7);
        assertThat(edit.path("value")).isEqualTo(Msg.json("{'text':'hi!'}"));
        conn.ok(edit, "'seq':8");
        assertThat(edited.join()).isEqualTo(8L);

        CompletableFuture<List<TimeSeriesEvent>> range = client.range("chat/room", RangeQuery.from(7).to(8).limit(50).edits());
        JsonNode query = conn.next("range");
        assertThat(query.path("topic").asText()).isEqualTo("chat/room");
        assertThat(query.path("from").asLong()).isEqualTo(7);
        assertThat(query.path("to").asLong()).isEqualTo(8);
        assertThat(query.path("limit").asInt()).isEqualTo(50);
        assertThat(query.path("view").asText()).isEqualTo("edits");
        assertThat(query.has("fromLast") || query.has("fromTime")).isFalse();
        JsonNode reply = Msg.json("{'type':'range','topic':'chat/room','events':["
                + "{'seq':7,'time':'2026-11-22T20:00:00Z','author':'alice','value':{'text':'hi'}},"
                + "{'seq':8,'time':'2026-11-22T20:00:01.5Z','author':'alice','value':{'text':'hi!'},'editOf':7}]}");
        ((com.fasterxml.jackson.databind.node.ObjectNode) reply).set("id", query.get("id"));
        conn.send(reply);
        List<TimeSeriesEvent> events = range.join();
        assertThat(events).extracting(TimeSeriesEvent::seq).containsExactly(7L, 8L);
        assertThat(events.get(1).editOf()).isEqualTo(7);
        assertThat(events.get(1).time()).isEqualTo(Instant.parse("2026-11-22T20:00:01.5Z"));
        assertThat(events.get(0).author()).isEqualTo("alice");

        client.range("chat/room", RangeQuery.fromLast(20));
        JsonNode last = conn.next("range");
        assertThat(last.path("fromLast").asLong()).isEqualTo(20);
        assertThat(last.has("view") || last.has("limit") || last.has("to")).isFalse();
        client.range("chat/room", RangeQuery.fromTime(Instant.parse("2026-11-22T20:00:00Z")).values());
        assertThat(conn.next("range").path("fromTime").asText()).isEqualTo("2026-11-22T20:00:00Z");
    }

    @Test
    void rangeQueriesRefuseWhatTheGatewayWouldRefuse() {
        assertThat(catchThrowable(() -> RangeQuery.fromLast(0))).isInstanceOf(IllegalArgumentException.class);
        assertThat(catchThrowable(() -> RangeQuery.from(0))).isInstanceOf(IllegalArgumentException.class);
        assertThat(catchThrowable(() -> RangeQuery.from(5).to(4))).isInstanceOf(IllegalArgumentException.class);
        assertThat(catchThrowable(() -> RangeQuery.from(1).limit(RangeQuery.MAX_LIMIT + 1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(RangeQuery.from(1).limit(RangeQuery.MAX_LIMIT).view()).isEqualTo(RangeQuery.View.VALUES);
    }

    @Test
    void aTimeSeriesListenerCanBeALambda() {
        FakeGatewayServer a = server();
        PushgateClient client = connect(PushgateClient.builder(URI.create("http://127.0.0.1:" + a.port())));
        FakeGatewayServer.Conn conn = a.nextConnection();
        List<String> got = Collections.synchronizedList(new ArrayList<>());
        client.subscribe(">chat/room", (topic, event) -> got.add(topic + "@" + event.seq() + " " + event.author()));
        acceptSubscription(conn, conn.next("subscribe"), "chat/room", 1);
        conn.send(Msg.event(1, 1, "{'i':1}"));
        await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 1);
        assertThat(got).containsExactly("chat/room@1 alice");
    }
}
