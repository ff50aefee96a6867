package io.pushgate.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.delta.DeltaFormat;
import io.pushgate.testsupport.RedisServer;
import io.pushgate.testsupport.ServiceProcess;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The client against a real gateway process (the packaged topic-gateway) on a real redis-server:
 * requests and their errors, and subscriptions that hand over whole values in every delta format.
 */
class PushgateClientIT {

    private static final AtomicInteger ROOTS = new AtomicInteger();
    private static RedisServer redis;
    private static ServiceProcess gateway;

    private final List<PushgateClient> clients = new ArrayList<>();

    @BeforeAll
    static void start() {
        redis = new RedisServer().start();
        gateway = new ServiceProcess("gateway", ServiceProcess.jarOf("topic-gateway"), RedisServer.freePort(),
                Map.of("quarkus.redis.hosts", redis.uri(),
                "gateway.security.anonymous-roles", "ADMINISTRATOR")).start();
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.stop();
        }
        if (redis != null) {
            redis.stop();
        }
    }

    @AfterEach
    void closeClients() {
        clients.forEach(PushgateClient::close);
    }

    private PushgateClient connect(DeltaFormat format) {
        PushgateClient client = PushgateClient.builder(URI.create(gateway.wsUrl() + "/v1/ws")).deltaFormat(format).connect();
        clients.add(client);
        return client;
    }

    private static String root(String name) {
        return "it" + ROOTS.incrementAndGet() + "-" + name;
    }

    @Test
    void presenceIsASubscriptionToTheTopicsPresenceTopic() {
        PushgateClient admin = connect(DeltaFormat.JSON_PATCH);
        String room = root("presence") + "/room";
        admin.add(room, Map.of("type", "JSON", "properties", Map.of("PRESENCE", true))).join();
        Recorder who = new Recorder();
        Subscription presence = connect(DeltaFormat.FOSSIL).presence(room, who).join();
        String topic = Presence.topicOf(room);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Presence.of(who.values.get(topic))).isEqualTo(new Presence(0, Map.of())));

        PushgateClient first = connect(DeltaFormat.JSON_PATCH);
        PushgateClient second = connect(DeltaFormat.NONE);
        first.subscribe(">" + room, (t, seq, v) -> { }).join();
        second.subscribe(">" + room, (t, seq, v) -> { }).join();
        // Anonymous sessions (administrators here) are counted, not named.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Presence.of(who.values.get(topic)).count()).isEqualTo(2));
        assertThat(Presence.of(who.values.get(topic)).anonymous()).isEqualTo(2);
        second.close();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Presence.of(who.values.get(topic)).count()).isEqualTo(1));
        assertThat(presence.topics()).containsExactly(topic);
        // Nobody writes it.
        assertThat(codeOf(admin.set(topic, Map.of("count", 5)))).isEqualTo(ErrorCode.PERMISSION_DENIED);
    }

    @Test
    void addSetFetchAndRemove() {
        PushgateClient client = connect(DeltaFormat.JSON_PATCH);
        String root = root("crud");

        assertThat(client.add(root + "/doc", "JSON").join()).isEqualTo("CREATED");
        assertThat(client.add(root + "/doc", Map.of("type", "JSON")).join()).isEqualTo("EXISTS");
        assertThat(client.set(root + "/doc", Map.of("price", 43000.5, "code", "USD")).join()).isEqualTo(1L);
        assertThat(client.set(root + "/doc", Json.parse("{\"price\":43001}")).join()).isEqualTo(2L);
        assertThat(client.set(root + "/name", "hello", "STRING").join()).isEqualTo(1L);
        assertThat(client.set(root + "/count", 42, io.pushgate.protocol.TopicType.INT64).join()).isEqualTo(1L);

        List<TopicState> all = client.fetch("?" + root + "//").join();
        assertThat(all).extracting(TopicState::topic)
                .containsExactlyInAnyOrder(root + "/doc", root + "/name", root + "/count");
        TopicState doc = client.fetch(">" + root + "/doc").join().get(0);
        assertThat(doc.seq()).isEqualTo(2);
        assertThat(doc.type()).isEqualTo("JSON");
        assertThat(doc.value()).isEqualTo(Json.parse("{\"price\":43001}"));
        assertThat(client.fetch(">" + root + "/name").join().get(0).value().asText()).isEqualTo("hello");
        assertThat(client.fetch(">" + root + "/count", false).join().get(0).value()).isNull();

        assertThat(client.remove(">" + root + "//").join()).isEqualTo(3);
        assertThat(client.fetch("?" + root + "//").join()).isEmpty();
        assertThat(client.ping().join()).isPositive();
    }

    /**
     * Session control from the Java client: a target connects with session properties; a
     * controller lists it by filter, sets its properties, subscribes and unsubscribes it, closes it;
     * the target's client then stays CLOSED (4101: not reconnected at once).
     */
    @Test
    void aControllerListsChangesSubscribesAndClosesAnotherClientsSession() {
        String root = root("control");
        String tag = root + "-target";
        PushgateClient controller = connect(DeltaFormat.JSON_PATCH);
        PushgateClient target = PushgateClient.builder(URI.create(gateway.wsUrl() + "/v1/ws"))
                .sessionProperties(Map.of("tag", tag, "country", "UK")).connect();
        clients.add(target);
        List<ConnectionState> states = new java.util.concurrent.CopyOnWriteArrayList<>();
        target.onConnectionState(states::add);
        controller.set(root + "/room", Map.of("n", 1), "JSON").join();

        String filter = "tag is '" + tag + "' and country eq 'UK' and $Transport eq 'WEBSOCKET'";
        List<SessionDetails> listed = new java.util.ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            listed.clear();
            listed.addAll(controller.listSessions(filter).join());
            return listed.size() == 1;
        });
        SessionDetails session = listed.get(0);
        assertThat(session.property("$Principal")).isEqualTo("anonymous");
        assertThat(session.sessionId()).startsWith(session.replica() + "-");

        assertThat(controller.setSessionProperties(SessionTarget.id(session.sessionId()), Map.of("muted", "yes")).join()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> controller.listSessions("muted is 'yes' and tag is '" + tag + "'").join().size() == 1);

        // The target's own subscription first, so that its client knows the stream the controller's subscription feeds.
        target.subscribe(">" + root + "/other", (t, seq, v) -> { }).join();
        assertThat(controller.subscribeSessions(SessionTarget.filter("tag is '" + tag + "'"), "?" + root + "//").join()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> controller.listSessions("tag is '" + tag + "'").join().get(0).subscriptions() == 1);
        assertThat(controller.unsubscribeSessions(SessionTarget.id(session.sessionId()), "?" + root + "//").join()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> controller.listSessions("tag is '" + tag + "'").join().get(0).subscriptions() == 0);

        assertThat(codeOf(controller.listSessions("tag is"))).isEqualTo(ErrorCode.INVALID);
        assertThat(codeOf(controller.closeSessions(SessionTarget.id("nobody-1"), null))).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(controller.closeSessions(SessionTarget.filter("tag is '" + tag + "'"), "closed by the test").join()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> target.state() == ConnectionState.CLOSED);
        // It does not come back on its own: no reconnection, even after the backoff would have run.
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> target.state() == ConnectionState.CLOSED);
        assertThat(states).doesNotContain(ConnectionState.RECONNECTING);
        assertThat(controller.listSessions("tag is '" + tag + "'").join()).isEmpty();
    }

    @Test
    void errorsCarryTheGatewaysCode() {
        PushgateClient client = connect(DeltaFormat.JSON_PATCH);
        String root = root("errors");
        client.add(root + "/n", "INT64").join();

        assertThat(codeOf(client.set(root + "/missing", 1))).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(codeOf(client.add(root + "/n", "STRING"))).isEqualTo(ErrorCode.CONFLICT);
        assertThat(codeOf(client.set(root + "/n", "not a number"))).isEqualTo(ErrorCode.INVALID);
        assertThat(codeOf(client.add(root + "//bad", "JSON"))).isEqualTo(ErrorCode.INVALID);
        assertThat(codeOf(client.fetch("?" + root + "/[unclosed"))).isEqualTo(ErrorCode.INVALID);
        assertThat(codeOf(client.subscribe("?" + root + "/[unclosed", (t, s, v) -> { }))).isEqualTo(ErrorCode.INVALID);
        // the connection goes on after errors
        assertThat(client.set(root + "/n", 7).join()).isEqualTo(1L);
    }

    @ParameterizedTest
    @EnumSource(DeltaFormat.class)
    void subscribersGetEveryChangeAsAWholeValueEqualToFetch(DeltaFormat format) {
        PushgateClient publisher = connect(DeltaFormat.NONE);
        PushgateClient subscriber = connect(format);
        String root = root("deltas-" + format.wireName());
        String doc = root + "/btc";
        String text = root + "/text";
        Random random = new Random(format.ordinal());
        double usd = 43_000;
        Instant time = Instant.parse("2026-11-22T20:00:00Z");
        publisher.set(doc, coindesk(usd, time), "JSON").join();
        publisher.set(text, "a line of text that changes a little at a time: 0", "STRING").join();

        Recorder recorder = new Recorder();
        Subscription subscription = subscriber.subscribe("?" + root + "//", recorder).join();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(recorder.values).containsKeys(doc, text));

        long lastDocSeq = 0;
        long lastTextSeq = 0;
        for (int i = 1; i <= 200; i++) {
            usd = Math.max(1000, usd + random.nextGaussian() * 25);
            time = time.plusSeconds(10);
            CompletableFuture<Long> docSeq = publisher.set(doc, coindesk(usd, time));
            CompletableFuture<Long> textSeq = publisher.set(text, "a line of text that changes a little at a time: " + i);
            lastDocSeq = docSeq.join();
            lastTextSeq = textSeq.join();
        }
        long finalDocSeq = lastDocSeq;
        long finalTextSeq = lastTextSeq;
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(recorder.seqs.get(doc)).isEqualTo(finalDocSeq);
            assertThat(recorder.seqs.get(text)).isEqualTo(finalTextSeq);
        });

        assertThat(recorder.values.get(doc)).isEqualTo(publisher.fetch(">" + doc).join().get(0).value());
        assertThat(recorder.values.get(text)).isEqualTo(publisher.fetch(">" + text).join().get(0).value());
        assertThat(seqsOf(recorder, doc)).isSorted().doesNotHaveDuplicates();
        assertThat(seqsOf(recorder, text)).isSorted().doesNotHaveDuplicates();
        assertThat(subscription.topics()).containsExactlyInAnyOrder(doc, text);
        ClientStats stats = subscriber.stats();
        assertThat(stats.framesReceived()).isEqualTo(subscriber.framesReceived()).isPositive();
        assertThat(stats.bytesReceived()).isPositive();
        if (format == DeltaFormat.NONE) {
            assertThat(stats.deltasApplied()).isZero();
        } else {
            // the deltas were used: the JSON document's in both formats (the text's in fossil only)
            assertThat(stats.deltasApplied()).isGreaterThanOrEqualTo(format == DeltaFormat.FOSSIL ? 400 : 200);
        }
        assertThat(stats.resyncs()).isZero();
    }

    @Test
    void aConnectionWithBatchedFramesGetsEveryMessageOfEachFrame() {
        PushgateClient publisher = connect(DeltaFormat.NONE);
        PushgateClient subscriber = PushgateClient.builder(URI.create(gateway.wsUrl() + "/v1/ws?batch=lines&batch-delay=20"))
                .deltaFormat(DeltaFormat.JSON_PATCH).connect();
        clients.add(subscriber);
        String root = root("batched");
        for (int t = 0; t < 20; t++) {
            publisher.set(root + "/t" + t, Map.of("n", 0), "JSON").join();
        }
        Recorder recorder = new Recorder();
        subscriber.subscribe("?" + root + "/", recorder).join();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(recorder.values).hasSize(20));
        List<CompletableFuture<Long>> sets = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            for (int t = 0; t < 20; t++) {
                sets.add(publisher.set(root + "/t" + t, Map.of("n", i)));
            }
        }
        sets.forEach(CompletableFuture::join);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (int t = 0; t < 20; t++) {
                assertThat(recorder.values.get(root + "/t" + t)).isEqualTo(Json.parse("{\"n\":50}"));
            }
        });
        for (int t = 0; t < 20; t++) {
            assertThat(seqsOf(recorder, root + "/t" + t)).isSorted().doesNotHaveDuplicates();
        }
        // 20 subscriptions, 20 values, 1,000 updates: far fewer frames than messages
        assertThat(subscriber.stats().framesReceived()).isLessThan(520);
        assertThat(subscriber.stats().resyncs()).isZero();
    }

    @Test
    void topicsAddedLaterAreDeliveredAndRemovedOnesAnnounced() {
        PushgateClient client = connect(DeltaFormat.JSON_PATCH);
        String root = root("lifecycle");
        Recorder recorder = new Recorder();
        client.subscribe("?" + root + "//", recorder).join();

        client.set(root + "/later", Map.of("n", 1), "JSON").join();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(recorder.events()).contains(root + "/later@1 {\"n\":1}"));
        client.remove(">" + root + "/later").join();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(recorder.events()).endsWith(root + "/later REMOVED"));
        // added again: seqs start again at 1, after the removal was announced
        client.set(root + "/later", Map.of("n", 2), "JSON").join();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(recorder.events()).endsWith(root + "/later REMOVED", root + "/later@1 {\"n\":2}"));
    }

    @Test
    void closingANarrowSubscriptionKeepsAWiderOneFlowing() {
        PushgateClient publisher = connect(DeltaFormat.NONE);
        PushgateClient client = connect(DeltaFormat.JSON_PATCH);
        String root = root("overlap");
        String topic = root + "/a";
        publisher.set(topic, Map.of("v", 0), "JSON").join();
        Recorder wide = new Recorder();
        Recorder narrow = new Recorder();
        client.subscribe("?" + root + "//", wide).join();
        Subscription narrowSub = client.subscribe(">" + topic, narrow).join();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(wide.seqs).containsEntry(topic, 1L);
            assertThat(narrow.seqs).containsEntry(topic, 1L);
        });

        narrowSub.closeAsync().join();
        assertThat(narrow.events()).endsWith(topic + " REQUESTED");
        for (int i = 1; i <= 5; i++) {
            publisher.set(topic, Map.of("v", i)).join();
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(wide.seqs).containsEntry(topic, 6L));
        assertThat(wide.values.get(topic)).isEqualTo(Json.parse("{\"v\":5}"));
        assertThat(wide.events()).noneMatch(e -> e.endsWith("REQUESTED") || e.endsWith("REMOVED"));
        assertThat(seqsOf(wide, topic)).isSorted().doesNotHaveDuplicates();
        assertThat(narrow.events()).last().isEqualTo(topic + " REQUESTED");
    }

    @Test
    void timeSeriesAppendEditRangeAndEventsWithEveryField() {
        PushgateClient client = connect(DeltaFormat.JSON_PATCH);
        String room = root("ts") + "/room";
        assertThat(client.add(room, Map.of("type", "TIME_SERIES", "eventType", "JSON")).join()).isEqualTo("CREATED");
        EventRecorder recorder = new EventRecorder();
        client.subscribe(">" + room, recorder).join();

        Instant before = Instant.now().minusSeconds(60);
        for (int i = 1; i <= 5; i++) {
            assertThat(client.append(room, Map.of("i", i)).join()).isEqualTo((long) i);
        }
        assertThat(client.edit(room, 2, Map.of("i", 20)).join()).isEqualTo(6L);
        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.seqs().size() == 6);
        assertThat(recorder.lines()).containsExactly(room + "@1 {\"i\":1}", room + "@2 {\"i\":2}", room + "@3 {\"i\":3}",
                room + "@4 {\"i\":4}", room + "@5 {\"i\":5}", room + "@6 {\"i\":20} edit of 2");
        TimeSeriesEvent edit = recorder.events.get(5);
        assertThat(edit.author()).isEqualTo("anonymous");
        assertThat(edit.time()).isAfter(before).isBefore(Instant.now().plusSeconds(60));

        // the values view: originals with their latest edit applied, at their own seq
        assertThat(client.range(room, RangeQuery.fromLast(3)).join()).extracting(e -> e.seq() + "=" + e.value().path("i").asInt())
                .containsExactly("3=3", "4=4", "5=5");
        assertThat(client.range(room, RangeQuery.from(1).to(3)).join()).extracting(e -> e.seq() + "=" + e.value().path("i").asInt())
                .containsExactly("1=1", "2=20", "3=3");
        assertThat(client.range(room, RangeQuery.from(2).limit(2)).join()).extracting(TimeSeriesEvent::seq).containsExactly(2L, 3L);
        assertThat(client.range(room, RangeQuery.fromTime(before)).join()).hasSize(5).noneMatch(TimeSeriesEvent::isEdit);
        // the edits view: every event as stored
        List<TimeSeriesEvent> edits = client.range(room, RangeQuery.from(1).edits()).join();
        assertThat(edits).extracting(TimeSeriesEvent::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(edits.get(5).editOf()).isEqualTo(2);

        assertThat(codeOf(client.append(root("ts") + "/none", 1))).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(codeOf(client.edit(room, 999, Map.of("i", 0)))).isEqualTo(ErrorCode.NOT_FOUND);
        String doc = root("ts") + "/doc";
        client.set(doc, Map.of(), "JSON").join();
        assertThat(codeOf(client.append(doc, 1))).isEqualTo(ErrorCode.INVALID);
    }

    @Test
    void aRefusedHandshakeFailsWithTheCodeOfItsStatus() {
        Throwable error = catchThrowable(() -> PushgateClient.builder(URI.create(gateway.wsUrl() + "/v1/no-such-endpoint")).connect());
        assertThat(error).isInstanceOf(PushgateException.class).hasMessageContaining("HTTP 404");
        assertThat(((PushgateException) error).code()).isEqualTo(ErrorCode.NOT_FOUND);
    }

    // ---------------------------------------------------------------- helpers

    static ErrorCode codeOf(CompletableFuture<?> future) {
        Throwable error = catchThrowable(future::join);
        assertThat(error).isInstanceOf(CompletionException.class).hasCauseInstanceOf(PushgateException.class);
        return ((PushgateException) error.getCause()).code();
    }

    static List<Long> seqsOf(Recorder recorder, String topic) {
        List<Long> seqs = new ArrayList<>();
        for (String event : recorder.events()) {
            if (event.startsWith(topic + "@")) {
                seqs.add(Long.parseLong(event.substring(topic.length() + 1, event.indexOf(' '))));
            }
        }
        return seqs;
    }

    /** A CoinDesk-shaped BPI document: prices and times change, the rest stays. */
    static Map<String, Object> coindesk(double usd, Instant time) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("time", Map.of("updated", time.toString(), "updatedISO", time.toString(), "updateduk", time.toString()));
        doc.put("disclaimer", "This data was produced from the CoinDesk Bitcoin Price Index (USD).");
        doc.put("chartName", "Bitcoin");
        Map<String, Object> bpi = new LinkedHashMap<>();
        bpi.put("USD", currency("USD", "&#36;", "United States Dollar", usd));
        bpi.put("GBP", currency("GBP", "&pound;", "British Pound Sterling", usd * 0.79));
        bpi.put("EUR", currency("EUR", "&euro;", "Euro", usd * 0.92));
        doc.put("bpi", bpi);
        // a month of closing prices that does not change: most of a real document stays the same
        List<Map<String, Object>> history = new ArrayList<>();
        for (int day = 1; day <= 30; day++) {
            history.add(Map.of("day", String.format(java.util.Locale.ROOT, "2026-10-%02d", day), "close", 40_000 + day * 37.5));
        }
        doc.put("history", history);
        return doc;
    }

    private static Map<String, Object> currency(String code, String symbol, String description, double rate) {
        double rounded = Math.round(rate * 10_000) / 10_000.0;
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("code", code);
        c.put("symbol", symbol);
        c.put("rate", String.format(java.util.Locale.ROOT, "%,.4f", rounded));
        c.put("description", description);
        c.put("rate_float", rounded);
        return c;
    }
}
