package io.pushgate.gateway.redis;

import io.pushgate.gateway.topics.StoredTopic;
import io.pushgate.gateway.store.ChangeListeners;
import io.pushgate.gateway.store.ChangeStream;
import io.pushgate.gateway.topics.TopicStore;
import io.pushgate.gateway.timeseries.RetentionRange;
import io.pushgate.gateway.topics.TopicSpec;
import io.pushgate.gateway.topics.TopicValue;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.ProtocolException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * The topic store on Redis. Every write is a Lua script that checks, assigns the seq, stores
 * and publishes in one step (Redis runs a script alone and delivers its PUBLISHes in order);
 * every replica follows the changes channel through {@link RedisChangeListener}, which also
 * carries the changes of {@link RedisViews} and {@link RedisSecurityStore} (this class is the
 * {@link ChangeStream} of all three). Writes leave
 * through the {@link WriteLane} of the event loop they are made on: sets in batches, one script
 * call and one change message per batch ({@code set_batch.lua}).
 *
 * <p>Layout: one hash per topic, {@code <prefix>:topic:{<path>}}, with the fields
 * {@code spec} (canonical JSON), {@code type}, {@code retain} (1/0), {@code seq} and
 * {@code value} (canonical text). Changes on {@code <prefix>:changes}:
 * {@code A\n<path>\n<spec>}, {@code S<seq>\n<path>\n<value>}, {@code R\n<path>}, and batches of
 * such changes, {@code M<origin>\n} then {@code <byte length>\n<change>} per change.
 */
public final class RedisTopicStore implements TopicStore, ChangeStream {

    private static final Logger LOG = Logger.getLogger(RedisTopicStore.class);
    /** On a cluster, how often each replica checks that it follows the channels on their current masters. */
    static final long TOPOLOGY_CHECK_MS = 1_000;
    static final LuaScript ADD = LuaScript.load("add.lua");
    static final LuaScript REMOVE = LuaScript.load("remove.lua");
    static final LuaScript APPEND = LuaScript.load("append.lua");
    static final LuaScript RAISE_SEQ = LuaScript.load("raise_seq.lua");

    private final Vertx vertx;
    private final Redis redis;
    private final RedisKeys keys;
    private final String redisUri;
    private final WriteLanes lanes;
    private final boolean cluster;
    private final LuaScript add;
    private final LuaScript remove;
    private final LuaScript append;
    private final LuaScript raiseSeq;
    private volatile RedisChangeListener changes;
    private volatile String layoutProblem;

    /** A single Redis, unsharded. */
    public RedisTopicStore(Vertx vertx, Redis redis, String keyPrefix, String redisUri, WriteLane.Limits lanes) {
        this(vertx, redis, keyPrefix, redisUri, lanes, 0, false);
    }

    /**
     * @param redis the pooled client (a cluster client when {@code cluster}): reads, and one
     *        dedicated connection per write lane
     * @param redisUri the first of {@code quarkus.redis.hosts}: where the change channels are
     *        followed (on a cluster: the scheme and credentials to reach every master with)
     * @param lanes how the write lanes batch (see {@link WriteLane})
     * @param shards {@link RedisKeys}: 0 unsharded (a single Redis only), else the number of shards
     * @param cluster {@code redis} is a Redis Cluster client
     */
    public RedisTopicStore(Vertx vertx, Redis redis, String keyPrefix, String redisUri, WriteLane.Limits lanes, int shards,
                           boolean cluster) {
        if (cluster && shards == 0) {
            throw new IllegalArgumentException("a Redis Cluster needs the sharded layout (gateway.redis.shards > 0)");
        }
        this.vertx = vertx;
        this.redis = redis;
        this.cluster = cluster;
        this.keys = new RedisKeys(keyPrefix, shards);
        this.redisUri = redisUri;
        this.add = ADD.forLayout(keys);
        this.remove = REMOVE.forLayout(keys);
        this.append = APPEND.forLayout(keys);
        this.raiseSeq = RAISE_SEQ.forLayout(keys);
        this.lanes = new WriteLanes(vertx, redis, keys, cluster, lanes, List.of(add, remove, append, raiseSeq));
    }

    /** The limits of the write lanes, from the gateway's configuration. */
    public static WriteLane.Limits laneLimits(int maxBatchChanges, int maxBatchBytes, int maxInFlight, int maxQueued, long applyWaitMillis,
                                              int backlog) {
        return new WriteLane.Limits(maxBatchChanges, maxBatchBytes, maxInFlight, maxQueued, applyWaitMillis, backlog);
    }

    /** The same, with {@code waitReplicas} replicas to confirm each write within {@code waitTimeoutMillis} (0: none). */
    public static WriteLane.Limits laneLimits(int maxBatchChanges, int maxBatchBytes, int maxInFlight, int maxQueued, long applyWaitMillis,
                                              int backlog, int waitReplicas, long waitTimeoutMillis) {
        return laneLimits(maxBatchChanges, maxBatchBytes, maxInFlight, maxQueued, applyWaitMillis, backlog)
                .withWait(waitReplicas, waitTimeoutMillis);
    }

    @Override
    public boolean isBehind() {
        return lanes.isBehind();
    }

    @Override
    public void whenCaughtUp(Runnable resume) {
        lanes.whenCaughtUp(resume);
    }

    // Every write goes through the lane of the event loop it is made on, in the order it is made
    // (WriteLane): sets in batches, the others as single script calls between them.

    @Override
    public CompletionStage<Boolean> add(String path, TopicSpec spec) {
        RedisKeys.TopicKeys k = keys.of(path);
        return translated(lanes.write(path, lane -> lane.run(add, List.of(k.hash(), k.index()), List.of(k.channel(), path,
                spec.canonicalJson(), spec.type().name(), spec.retainsValue() ? "1" : "0"))).thenApply(r -> r.toInteger() == 1));
    }

    @Override
    public CompletionStage<Long> set(String path, TopicValue value, TopicSpec addSpec, Long ifSeq) {
        RedisKeys.TopicKeys k = keys.of(path);
        String key = k.hash();
        String type = value.type().name();
        String text = value.text();
        String spec = addSpec == null ? "" : addSpec.canonicalJson();
        String retain = addSpec == null || addSpec.retainsValue() ? "1" : "0";
        String expected = ifSeq == null ? "" : Long.toString(ifSeq);
        return lanes.write(path, lane -> lane.set(key, k.shard, path, type, text, spec, retain, expected));
    }

    @Override
    public CompletionStage<Long> append(String path, TopicSpec spec, TopicValue value, String author, Long editOf, boolean ownOnly) {
        RetentionRange retained = RetentionRange.parse(spec.property("TIME_SERIES_RETAINED_RANGE"), RetentionRange.UNBOUNDED);
        RedisKeys.TopicKeys k = keys.of(path);
        List<String> args = List.of(k.channel(), path,
                spec.canonicalJson(), value.text(), author, editOf == null ? "" : Long.toString(editOf),
                ownOnly ? "own" : "any", Long.toString(retained.limit()), Long.toString(retained.last().toMillis()));
        return translated(lanes.write(path, lane -> lane.run(append, List.of(k.hash(), k.stream()), args)))
                .thenApply(Response::toLong);
    }

    @Override
    public CompletionStage<Boolean> raiseSeq(String path, long floor) {
        RedisKeys.TopicKeys k = keys.of(path);
        return translated(lanes.write(path, lane -> lane.run(raiseSeq, List.of(k.hash()),
                List.of(k.channel(), path, Long.toString(floor))))).thenApply(r -> r.toInteger() == 1);
    }

    @Override
    public CompletionStage<Boolean> remove(String path) {
        RedisKeys.TopicKeys k = keys.of(path);
        return translated(lanes.write(path, lane -> lane.run(remove, List.of(k.hash(), k.stream(), k.index()),
                List.of(k.channel(), path)))).thenApply(r -> r.toInteger() == 1);
    }

    /** A stage whose failures are the contract's error codes. */
    private static <T> CompletableFuture<T> translated(CompletableFuture<T> write) {
        CompletableFuture<T> result = new CompletableFuture<>();
        write.whenComplete((r, e) -> {
            if (e != null) {
                result.completeExceptionally(translate(e instanceof java.util.concurrent.CompletionException ce && ce.getCause() != null
                        ? ce.getCause() : e));
            } else {
                result.complete(r);
            }
        });
        return result;
    }

    @Override
    public CompletionStage<Optional<StoredTopic>> load(String path) {
        return stage(redis.send(Request.cmd(Command.HGETALL).arg(keys.topic(path)))
                .map(r -> Optional.ofNullable(toStored(path, r))));
    }

    /**
     * Every topic: unsharded, the keys SCAN finds; sharded, the paths in each shard's index (a
     * cluster has no SCAN across its nodes), each shard's hashes read in one batch (one slot).
     */
    @Override
    public CompletionStage<List<StoredTopic>> loadAll() {
        if (!keys.sharded()) {
            List<String> found = new ArrayList<>();
            return stage(scan("0", found).compose(v -> hashes(found)));
        }
        List<Future<List<StoredTopic>>> shards = new ArrayList<>();
        for (int shard = 0; shard < keys.shards(); shard++) {
            shards.add(redis.send(Request.cmd(Command.SMEMBERS).arg(keys.index(shard))).compose(paths -> {
                List<String> found = new ArrayList<>();
                paths.forEach(p -> found.add(keys.topic(p.toString())));
                return hashes(found);
            }));
        }
        return stage(Future.all(shards).map(all -> {
            List<StoredTopic> topics = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                topics.addAll(all.resultAt(i));
            }
            return topics;
        }));
    }

    /** The topics whose hashes these keys name (of one shard when sharded: one batch, one node). */
    private Future<List<StoredTopic>> hashes(List<String> found) {
        List<Request> gets = new ArrayList<>();
        found.forEach(k -> gets.add(Request.cmd(Command.HGETALL).arg(k)));
        if (gets.isEmpty()) {
            return Future.succeededFuture(List.of());
        }
        return redis.batch(gets).map(responses -> {
            List<StoredTopic> topics = new ArrayList<>();
            for (int i = 0; i < responses.size(); i++) {
                StoredTopic t = toStored(keys.pathOf(found.get(i)), responses.get(i));
                if (t != null) {
                    topics.add(t);
                }
            }
            return topics;
        });
    }

    /**
     * Follows the change channels, once this Redis is known to hold data of this layout: the
     * shard count is recorded at first start ({@code <prefix>:layout}), and a gateway started with
     * another one stays not-ready (its topics would be looked for under other keys) and says why.
     */
    @Override
    public CompletionStage<Void> listen(ChangeListeners listeners) {
        RedisChangeListener.Topology topology = cluster ? RedisChangeListener.cluster(redis, redisUri) : RedisChangeListener.single(redisUri);
        changes = new RedisChangeListener(vertx, keys.channels(), keys.sharded(), topology, cluster ? TOPOLOGY_CHECK_MS : 0, listeners,
                lanes::applied);
        String layout = Integer.toString(keys.shards());
        return stage(redis.send(Request.cmd(Command.SET).arg(keys.layoutKey()).arg(layout).arg("NX"))
                .compose(r -> redis.send(Request.cmd(Command.GET).arg(keys.layoutKey()))))
                .thenCompose(stored -> {
                    if (stored != null && !layout.equals(stored.toString())) {
                        layoutProblem = "this Redis holds the topics of gateway.redis.shards=" + stored + " (key " + keys.layoutKey()
                                + "), not " + layout + ": set it back; changing the shard count of existing data needs a migration";
                        LOG.error(layoutProblem);
                        return CompletableFuture.failedFuture(new IllegalStateException(layoutProblem));
                    }
                    return changes.start();
                })
                .exceptionallyCompose(error -> {
                    if (layoutProblem != null) {
                        return CompletableFuture.failedFuture(error);
                    }
                    // Redis not there yet: follow anyway (the listener retries), the layout is checked again at the next start.
                    LOG.warnf("cannot check the store's layout (%s): following changes regardless", error.getMessage());
                    return changes.start();
                });
    }

    /** Why the store cannot be used as configured, or null. */
    public String layoutProblem() {
        return layoutProblem;
    }

    /** The number of shards as resolved (0: unsharded). */
    public int shards() {
        return keys.shards();
    }

    /** The write lanes' counters. */
    public WriteStats writeStats() {
        return lanes.stats();
    }

    /** True while the changes channel is followed: this replica sees every write. */
    public boolean isFollowingChanges() {
        RedisChangeListener c = changes;
        return c != null && c.isConnected();
    }

    private Future<Void> scan(String cursor, List<String> found) {
        return redis.send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(keys.topicPattern()).arg("COUNT").arg(1000))
                .compose(r -> {
                    for (Response key : r.get(1)) {
                        if (keys.pathOf(key.toString()) != null) {
                            found.add(key.toString());
                        }
                    }
                    String next = r.get(0).toString();
                    return "0".equals(next) ? Future.succeededFuture() : scan(next, found);
                });
    }

    private StoredTopic toStored(String path, Response hash) {
        if (hash == null || path == null || hash.size() == 0 || !hash.containsKey("spec")) {
            return null;
        }
        TopicSpec spec = TopicSpec.parseStored(Json.parse(hash.get("spec").toString()));
        long seq = hash.containsKey("seq") ? hash.get("seq").toLong() : 0;
        TopicValue value = null;
        if (hash.containsKey("value") && spec.retainsValue()) {
            try {
                value = TopicValue.fromText(spec.valueType(), hash.get("value").toString());
                value.json(); // read now, so that a value that is not of its type is found here
            } catch (RuntimeException e) {
                LOG.warnf("topic %s holds a value that is not a %s: %s", path, spec.type(), e.getMessage());
            }
        }
        return new StoredTopic(path, spec, seq, value);
    }

    /** Turns a Vert.x future into a stage whose failures are the contract's error codes. */
    static <T> CompletionStage<T> stage(Future<T> future) {
        CompletableFuture<T> result = new CompletableFuture<>();
        future.onComplete(ar -> {
            if (ar.succeeded()) {
                result.complete(ar.result());
            } else {
                result.completeExceptionally(translate(ar.cause()));
            }
        });
        return result;
    }

    /** A change the batch script refused: its result is {@code "<CODE> <message>"}. */
    static ProtocolException refusal(String result) {
        Throwable t = translate(new RuntimeException(result));
        return t instanceof ProtocolException p ? p : new ProtocolException(ErrorCode.UNAVAILABLE, result);
    }

    static Throwable translate(Throwable error) {
        String message = error.getMessage() == null ? "" : error.getMessage();
        for (ErrorCode code : new ErrorCode[] {ErrorCode.NOT_FOUND, ErrorCode.CONFLICT, ErrorCode.INVALID, ErrorCode.PERMISSION_DENIED}) {
            if (message.startsWith(code.name() + " ")) {
                return new ProtocolException(code, message.substring(code.name().length() + 1));
            }
        }
        if (error instanceof ProtocolException) {
            return error;
        }
        return new ProtocolException(ErrorCode.UNAVAILABLE, "the topic store is unavailable: " + message);
    }
}
