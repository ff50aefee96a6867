package io.pushgate.gateway.views;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.gateway.security.Access;
import io.pushgate.protocol.GlobalPermission;
import io.pushgate.gateway.replication.TopicUpdate;
import io.pushgate.gateway.topics.Topic;
import io.pushgate.gateway.topics.TopicSpec;
import io.pushgate.gateway.topics.TopicTree;
import io.pushgate.gateway.topics.TopicValue;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.TopicType;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The view engine and runtime in plain Java, with the parts that are not the runtime's replaced
 * by what the test drives: a {@link RemoteSources} double whose listener the test calls, and a
 * reference writer that applies writes to the topic tree and reports them back to the engine at
 * once, as the store's change stream does. (Against real Redis: ViewsClausesRuntimeTest and
 * ViewsPropertyTest.)
 */
class ViewEngineTest {

    private final TopicTree tree = new TopicTree();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final FakeRemote remote = new FakeRemote();
    private ViewEngine engine;
    private long tids;

    /** The remote server of the test: it records the feeds opened and lets the test report values. */
    private static final class FakeRemote implements RemoteSources {
        final List<String[]> follows = new CopyOnWriteArrayList<>();
        final List<Listener> listeners = new CopyOnWriteArrayList<>();
        int closed;

        @Override
        public Feed follow(String server, String selector, Listener listener) {
            follows.add(new String[] {server, selector});
            listeners.add(listener);
            return () -> closed++;
        }

        Listener last() {
            return listeners.get(listeners.size() - 1);
        }
    }

    private void start(int maxWatchedInsertions, Access creatorRights) {
        engine = new ViewEngine(tree, new TreeWriter(), scheduler, System::currentTimeMillis, creator -> creatorRights, remote,
                maxWatchedInsertions);
    }

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    /** Writes straight into the tree, then tells the engine, as the topic mirror would after the store's change message. */
    private final class TreeWriter implements ReferenceWriter {
        @Override
        public CompletionStage<Long> set(String path, TopicSpec spec, TopicValue value) {
            put(path, spec, value);
            return CompletableFuture.completedFuture(1L);
        }

        @Override
        public CompletionStage<Long> append(String path, TopicSpec spec, TopicValue value, String author) {
            return CompletableFuture.completedFuture(1L);
        }

        @Override
        public CompletionStage<Boolean> remove(String path) {
            Topic removed = tree.remove(path);
            if (removed != null) {
                engine.topicRemoved(removed);
            }
            return CompletableFuture.completedFuture(removed != null);
        }
    }

    private void put(String path, TopicSpec spec, TopicValue value) {
        Topic topic = tree.get(path);
        if (topic == null) {
            topic = tree.add(path, spec, new Topic.State(1, value));
            engine.topicAdded(topic);
        } else {
            TopicValue previous = topic.state().value();
            long seq = topic.state().seq() + 1;
            topic.state(new Topic.State(seq, value));
            engine.topicUpdated(new TopicUpdate(topic, seq, previous, value));
        }
    }

    private void setJson(String path, String json) {
        scheduler.execute(() -> put(path, TopicSpec.of(TopicType.JSON), TopicValue.fromJson(TopicType.JSON, Json.parse(json))));
    }

    private void removeTopic(String path) {
        scheduler.execute(() -> {
            Topic removed = tree.remove(path);
            if (removed != null) {
                engine.topicRemoved(removed);
            }
        });
    }

    private void view(String name, String text, boolean withCreator) {
        ViewDefinition definition = new ViewDefinition(text, withCreator ? new ViewDefinition.Creator("alice", List.of("R")) : null);
        engine.define(name, definition.encode());
        engine.owned(name, true);
    }

    private void settle() throws Exception {
        for (int i = 0; i < 6; i++) {
            engine.settled().get(5, TimeUnit.SECONDS);
        }
    }

    /** The reference topics of a view: path to compact JSON text. */
    private Map<String, String> references(String view) {
        Map<String, String> out = new TreeMap<>();
        for (Topic t : tree.all()) {
            if (view.equals(t.spec().view())) {
                out.put(t.path(), t.state().value().text());
            }
        }
        return out;
    }

    @Test
    void aRemoteViewIsDormantUntilItsServerAnswersAndGoesWhenItStops() throws Exception {
        start(10, Access.ALLOW_ALL);
        view("edge", "map ?prices// from core to edge/<path(1)>", false);
        settle();
        assertThat(remote.follows).hasSize(1);
        assertThat(remote.follows.get(0)).containsExactly("core", "?prices//");
        // local topics are not its sources
        setJson("prices/local", "1");
        settle();
        assertThat(references("edge")).isEmpty();

        RemoteSources.Listener server = remote.last();
        server.connected();
        server.value("prices/btc", TopicType.JSON, TopicValue.fromJson(TopicType.JSON, Json.parse("{\"usd\":1}")));
        server.value("prices/eth", TopicType.JSON, TopicValue.fromJson(TopicType.JSON, Json.parse("{\"usd\":2}")));
        settle();
        assertThat(references("edge")).isEqualTo(Map.of("edge/btc", "{\"usd\":1}", "edge/eth", "{\"usd\":2}"));

        server.value("prices/btc", TopicType.JSON, TopicValue.fromJson(TopicType.JSON, Json.parse("{\"usd\":3}")));
        server.removed("prices/eth");
        settle();
        assertThat(references("edge")).isEqualTo(Map.of("edge/btc", "{\"usd\":3}"));

        // the server stops answering: every reference goes, the view is dormant
        server.disconnected();
        settle();
        assertThat(references("edge")).isEmpty();
        // it answers again (after a restart): its topics are reported again and mapped again
        server.connected();
        server.value("prices/btc", TopicType.JSON, TopicValue.fromJson(TopicType.JSON, Json.parse("{\"usd\":4}")));
        settle();
        assertThat(references("edge")).isEqualTo(Map.of("edge/btc", "{\"usd\":4}"));

        // removing the view closes its feed and removes its references
        engine.undefine("edge");
        settle();
        assertThat(remote.closed).isEqualTo(1);
        assertThat(references("edge")).isEmpty();
    }

    @Test
    void aRemoteViewWithExpandAndProcess() throws Exception {
        start(10, Access.ALLOW_ALL);
        view("edge", "map ?rates from 'Core Server' to edge/<expand(/rates, /ccy)> process {if '/v > 1' continue}", false);
        settle();
        assertThat(remote.follows.get(0)[0]).isEqualTo("Core Server");
        RemoteSources.Listener server = remote.last();
        server.connected();
        server.value("rates", TopicType.JSON, TopicValue.fromJson(TopicType.JSON,
                Json.parse("{\"rates\":[{\"ccy\":\"USD\",\"v\":2},{\"ccy\":\"EUR\",\"v\":1},{\"ccy\":\"GBP\",\"v\":3}]}")));
        settle();
        assertThat(references("edge")).containsOnlyKeys("edge/USD", "edge/GBP");
    }

    @Test
    void liveInsertsReEvaluateTheSourcesThatInsertedATopicWithinTheBound() throws Exception {
        start(2, Access.ALLOW_ALL);
        for (String ccy : List.of("USD", "EUR", "GBP")) {
            setJson("rates/" + ccy, "1");
            setJson("orders/" + ccy, "{\"ccy\":\"" + ccy + "\"}");
        }
        settle();
        view("joined", "map ?orders/ to joined/<path(1)> insert rates/<scalar(/ccy)> at /rate live inserts", false);
        settle();
        assertThat(references("joined")).hasSize(3);
        assertThat(engine.watchedInsertions("joined").get()).as("at most 2 watched insertion topics").isEqualTo(2);

        for (String ccy : List.of("USD", "EUR", "GBP")) {
            setJson("rates/" + ccy, "2");
        }
        settle();
        // two of the three joins are live; the third is read when its source changes (Diffusion's behaviour)
        long live = references("joined").values().stream().filter(v -> v.contains("\"rate\":2")).count();
        assertThat(live).isEqualTo(2);
        String stale = references("joined").entrySet().stream().filter(e -> e.getValue().contains("\"rate\":1")).findFirst().orElseThrow().getKey();
        String ccy = stale.substring(stale.lastIndexOf('/') + 1);
        setJson("orders/" + ccy, "{\"ccy\":\"" + ccy + "\",\"n\":1}");
        settle();
        assertThat(references("joined").get(stale)).isEqualTo("{\"ccy\":\"" + ccy + "\",\"n\":1,\"rate\":2}");

        // an inserted topic removed: the default (here: nothing inserted) applies at once for a watched one
        String watched = references("joined").keySet().stream().filter(p -> !p.equals(stale)).findFirst().orElseThrow();
        String watchedCcy = watched.substring(watched.lastIndexOf('/') + 1);
        removeTopic("rates/" + watchedCcy);
        settle();
        assertThat(references("joined").get(watched)).isEqualTo("{\"ccy\":\"" + watchedCcy + "\"}");
    }

    @Test
    void withoutLiveInsertsAnInsertedTopicIsReadOnlyWhenTheSourceChanges() throws Exception {
        start(10, Access.ALLOW_ALL);
        setJson("rates/USD", "1");
        setJson("orders/1", "{\"ccy\":\"USD\"}");
        settle();
        view("joined", "map ?orders/ to joined/<path(1)> insert rates/<scalar(/ccy)> at /rate", false);
        settle();
        setJson("rates/USD", "2");
        settle();
        assertThat(references("joined")).isEqualTo(Map.of("joined/1", "{\"ccy\":\"USD\",\"rate\":1}"));
        assertThat(engine.watchedInsertions("joined").get()).isZero();
        setJson("orders/1", "{\"ccy\":\"USD\",\"q\":5}");
        settle();
        assertThat(references("joined")).isEqualTo(Map.of("joined/1", "{\"ccy\":\"USD\",\"q\":5,\"rate\":2}"));
    }

    @Test
    void anInsertReadsOnlyTopicsTheCreatorMayRead() throws Exception {
        start(10, new Access() {
            @Override
            public boolean canSelect(String path) {
                return !path.startsWith("secret");
            }

            @Override
            public boolean canRead(String path) {
                return !path.startsWith("secret");
            }

            @Override
            public boolean canUpdate(String path) {
                return true;
            }

            @Override
            public boolean canModify(String path) {
                return true;
            }

            @Override
            public boolean canEditTimeSeries(String path) {
                return false;
            }

            @Override
            public boolean canEditOwnTimeSeries(String path) {
                return false;
            }

            @Override
            public boolean canQueryObsoleteTimeSeries(String path) {
                return false;
            }

            @Override
            public boolean canSendToHandler(String path) {
                return false;
            }

            @Override
            public boolean canSendToSession(String path) {
                return false;
            }

            @Override
            public boolean hasGlobal(GlobalPermission permission) {
                return false;
            }

            @Override
            public String principal() {
                return "alice";
            }
        });
        setJson("secret/rate", "7");
        setJson("public/rate", "3");
        setJson("orders/1", "{}");
        settle();
        view("joined", "map ?orders/ to joined/<path(1)> insert secret/rate at /s default 'hidden' insert public/rate at /p", true);
        settle();
        assertThat(references("joined")).isEqualTo(Map.of("joined/1", "{\"s\":\"hidden\",\"p\":3}"));
    }

    @Test
    void expandAddsUpdatesAndRemovesReferencesAsTheDocumentChanges() throws Exception {
        start(10, Access.ALLOW_ALL);
        view("ccy", "map ?fx/ to ccy/<path(1)>/<expand(/rates)>", false);
        setJson("fx/a", "{\"rates\":{\"USD\":1,\"EUR\":2}}");
        settle();
        assertThat(references("ccy")).isEqualTo(Map.of("ccy/a/USD", "1", "ccy/a/EUR", "2"));
        setJson("fx/a", "{\"rates\":{\"EUR\":3,\"GBP\":4}}");
        settle();
        assertThat(references("ccy")).isEqualTo(Map.of("ccy/a/EUR", "3", "ccy/a/GBP", "4"));
        removeTopic("fx/a");
        settle();
        assertThat(references("ccy")).isEmpty();
    }

    @Test
    void preserveTopicsKeepsReferencesUntilTheSourceGoes() throws Exception {
        start(10, Access.ALLOW_ALL);
        view("kept", "map ?fx/ to kept/<expand(/rates)> preserve topics", false);
        setJson("fx/a", "{\"rates\":{\"USD\":1,\"EUR\":2}}");
        settle();
        setJson("fx/a", "{\"rates\":{\"EUR\":3}}");
        settle();
        assertThat(references("kept")).isEqualTo(Map.of("kept/USD", "1", "kept/EUR", "3"));
        removeTopic("fx/a");
        settle();
        assertThat(references("kept")).isEmpty();
    }

    @Test
    void withPropertiesGoOnTheReferenceTopics() throws Exception {
        start(10, Access.ALLOW_ALL);
        view("props", "map ?p/ to props/<path(1)> with properties CONFLATION:off, PUBLISH_VALUES_ONLY:true", false);
        setJson("p/a", "{}");
        settle();
        TopicSpec spec = tree.get("props/a").spec();
        assertThat(spec.property("CONFLATION")).isEqualTo("off");
        assertThat(spec.flag("PUBLISH_VALUES_ONLY")).isTrue();
        assertThat(spec.view()).isEqualTo("props");
        JsonNode json = spec.toJson();
        assertThat(json.path("properties").size()).isEqualTo(3);
    }
}
