package io.pushgate.gateway.redis;

import io.pushgate.gateway.messaging.Messaging;
import io.pushgate.support.backoff.Backoff;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Messaging between replicas through Redis ({@link Messaging.Router}).
 *
 * <p><b>Handler registry</b>: per message path a sorted set {@link RedisKeys#messageHandlers} of the
 * replicas with a live handler there, scored by the entry's expiry. A replica renews its entries
 * every {@code refreshMillis} (and the key's own expiry with them) and removes an entry when its
 * last handler for the path goes; entries of a replica that died stop counting once their expiry
 * passes ({@code ttlMillis}) and are trimmed at the next renewal of anyone's. Registry writes
 * leave one after the other, so an add and a remove of one path are never reordered.
 *
 * <p><b>Inboxes</b>: each replica follows its own channel {@link RedisKeys#messageInbox} on a
 * dedicated connection, and others send to it with {@code PUBLISH}, or with sharded pub/sub
 * ({@code SPUBLISH}/{@code SSUBSCRIBE}, on the master of the channel's slot) when the store is
 * sharded, as on a Redis Cluster. A publish that reaches no subscriber says so (its count is 0): the
 * replica is gone, and the sender is told at once instead of waiting for its timeout. Pub/sub
 * delivers at most once; a request lost so (the inbox reconnecting) ends in its timeout.
 */
public final class RedisMessageRouter implements Messaging.Router {

    private static final Logger LOG = Logger.getLogger(RedisMessageRouter.class);

    private final Vertx vertx;
    private final Redis redis;
    private final RedisKeys keys;
    private final boolean cluster;
    private final RedisChangeListener.Topology topology;
    private final String replica;
    private final long ttlMillis;
    private final long refreshMillis;
    private final Context context;
    private Supplier<Set<String>> localPaths = Set::of;
    private Consumer<String> inbox = m -> { };
    private Future<?> registryWrites = Future.succeededFuture();
    private RedisConnection connection;
    private Redis subscriber;
    private String followedAt;
    /** 100 ms, doubling up to 1 s: Redis comes back in seconds, and a replica must not hammer it meanwhile. */
    private final Backoff backoff = Backoff.exponential(java.time.Duration.ofMillis(100), java.time.Duration.ofSeconds(1));
    private long refreshTimer = -1;
    private long generation;
    private volatile boolean following;
    private volatile boolean stopped;

    /**
     * @param sharded use sharded pub/sub (the store's layout is sharded: a Redis Cluster, or {@code gateway.redis.shards > 0})
     * @param redisUri the first of {@code quarkus.redis.hosts}: the Redis, or the template of a cluster node's URI
     */
    public RedisMessageRouter(Vertx vertx, Redis redis, String prefix, int shards, boolean cluster, String redisUri, String replica,
                              long ttlMillis, long refreshMillis) {
        this.vertx = vertx;
        this.redis = redis;
        this.keys = new RedisKeys(prefix, shards);
        this.cluster = cluster;
        this.topology = cluster ? RedisChangeListener.cluster(redis, redisUri) : RedisChangeListener.single(redisUri);
        this.replica = replica;
        this.ttlMillis = ttlMillis;
        this.refreshMillis = refreshMillis;
        this.context = vertx.getOrCreateContext();
    }

    /** Starts following this replica's inbox and renewing its registrations ({@code paths}: its handler paths now). */
    public void start(Consumer<String> inbox, Supplier<Set<String>> paths) {
        this.inbox = inbox;
        this.localPaths = paths;
        context.runOnContext(v -> {
            follow();
            refreshTimer = vertx.setPeriodic(refreshMillis, id -> context.runOnContext(x -> refresh()));
        });
    }

    /** True while this replica's inbox is followed. */
    public boolean isFollowing() {
        return following;
    }

    public void stop() {
        stopped = true;
        context.runOnContext(v -> {
            if (refreshTimer >= 0) {
                vertx.cancelTimer(refreshTimer);
            }
            Set<String> paths = localPaths.get();
            for (String path : paths) {
                registry(() -> redis.send(Request.cmd(Command.ZREM).arg(keys.messageHandlers(path)).arg(replica)));
            }
            closeSubscriber();
        });
    }

    // ------------------------------------------------------------------ Messaging.Router

    @Override
    public CompletionStage<Boolean> send(String to, String message) {
        Command publish = keys.sharded() ? Command.SPUBLISH : Command.PUBLISH;
        return redis.send(Request.cmd(publish).arg(keys.messageInbox(to)).arg(message))
                .map(reply -> reply != null && reply.toLong() > 0)
                .toCompletionStage();
    }

    @Override
    public CompletionStage<Map<String, Set<String>>> handlers(List<String> paths) {
        String now = Long.toString(System.currentTimeMillis());
        List<Future<Response>> reads = new ArrayList<>();
        for (String path : paths) {
            reads.add(redis.send(Request.cmd(Command.ZRANGEBYSCORE).arg(keys.messageHandlers(path)).arg(now).arg("+inf")));
        }
        return Future.all(reads).map(all -> {
            Map<String, Set<String>> byPath = new HashMap<>();
            for (int i = 0; i < paths.size(); i++) {
                Response members = all.resultAt(i);
                if (members != null && members.size() > 0) {
                    Set<String> replicas = new HashSet<>();
                    members.forEach(m -> replicas.add(m.toString()));
                    byPath.put(paths.get(i), replicas);
                }
            }
            return byPath;
        }).toCompletionStage();
    }

    @Override
    public CompletionStage<Void> handlerAdded(String path) {
        io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
        context.runOnContext(v -> registry(() -> register(path).onComplete(ar -> done.handle(ar.mapEmpty()))));
        return done.future().toCompletionStage();
    }

    @Override
    public void handlerRemoved(String path) {
        context.runOnContext(v -> registry(() -> redis.send(Request.cmd(Command.ZREM).arg(keys.messageHandlers(path)).arg(replica))));
    }

    // ------------------------------------------------------------------ the registry

    /** Runs registry writes one after the other (on this router's context). */
    private void registry(Supplier<Future<?>> write) {
        registryWrites = registryWrites.transform(ar -> write.get()).onFailure(error ->
                LOG.debugf("a messaging registry write failed: %s", error.getMessage()));
    }

    private Future<?> register(String path) {
        String key = keys.messageHandlers(path);
        long now = System.currentTimeMillis();
        return redis.send(Request.cmd(Command.ZADD).arg(key).arg(now + ttlMillis).arg(replica))
                .compose(r -> redis.send(Request.cmd(Command.ZREMRANGEBYSCORE).arg(key).arg("-inf").arg(now)))
                .compose(r -> redis.send(Request.cmd(Command.PEXPIRE).arg(key).arg(ttlMillis * 2)));
    }

    /** Renews this replica's entries; a path whose handler went meanwhile was removed by its own write. */
    private void refresh() {
        if (stopped) {
            return;
        }
        for (String path : localPaths.get()) {
            registry(() -> register(path));
        }
        if (!following) {
            return;
        }
        if (cluster) {
            // The inbox's slot may have moved to another master (failover, resharding): follow it there.
            long gen = generation;
            topology.assign(List.of(keys.messageInbox(replica))).onSuccess(assigned -> context.runOnContext(v -> {
                String at = assigned.keySet().iterator().next();
                if (gen == generation && following && !at.equals(followedAt)) {
                    retry(gen, "the inbox's master changed", null);
                }
            }));
        }
    }

    // ------------------------------------------------------------------ the inbox

    private void follow() {
        if (stopped) {
            return;
        }
        long gen = ++generation;
        String channel = keys.messageInbox(replica);
        topology.assign(List.of(channel)).onComplete(ar -> context.runOnContext(v -> {
            if (gen != generation) {
                return;
            }
            if (ar.failed()) {
                retry(gen, "cannot find the inbox's node", ar.cause());
                return;
            }
            String uri = ar.result().keySet().iterator().next();
            Redis client = Redis.createClient(vertx, new RedisOptions().setConnectionString(uri));
            subscriber = client;
            client.connect().onComplete(c -> context.runOnContext(x -> {
                if (c.failed()) {
                    retry(gen, "cannot connect to " + uri, c.cause());
                    return;
                }
                if (gen != generation) {
                    c.result().close();
                    return;
                }
                connection = c.result();
                followedAt = uri;
                connection.handler(response -> onResponse(gen, response));
                connection.exceptionHandler(error -> context.runOnContext(y -> retry(gen, "connection failed", error)));
                connection.endHandler(end -> context.runOnContext(y -> retry(gen, "connection closed", null)));
                Command subscribe = keys.sharded() ? Command.SSUBSCRIBE : Command.SUBSCRIBE;
                connection.send(Request.cmd(subscribe).arg(channel))
                        .onFailure(error -> context.runOnContext(y -> retry(gen, "cannot subscribe to " + channel, error)));
            }));
        }));
    }

    private void onResponse(long gen, Response response) {
        if (gen != generation || response == null) {
            return;
        }
        if (response.type() == ResponseType.ERROR) {
            context.runOnContext(v -> retry(gen, "Redis refused the subscription", new IllegalStateException(response.toString())));
            return;
        }
        if (response.size() < 2) {
            return;
        }
        switch (response.get(0).toString()) {
            case "message", "smessage" -> {
                if (response.size() >= 3) {
                    String text = response.get(2).toString();
                    try {
                        inbox.accept(text);
                    } catch (RuntimeException e) {
                        LOG.errorf(e, "cannot handle messaging message %.100s", text);
                    }
                }
            }
            case "subscribe", "ssubscribe" -> {
                following = true;
                backoff.reset();
                LOG.infof("messaging: following the inbox of replica %s", replica);
            }
            case "sunsubscribe" -> context.runOnContext(v -> retry(gen, "Redis withdrew the inbox subscription", null));
            default -> { }
        }
    }

    private void retry(long gen, String what, Throwable error) {
        if (gen != generation || stopped) {
            return;
        }
        generation++;
        following = false;
        closeSubscriber();
        long delay = backoff.next().toMillis();
        LOG.warnf("messaging inbox: %s (%s); retrying in %d ms", what, error == null ? "" : error.getMessage(), delay);
        vertx.setTimer(delay, id -> context.runOnContext(v -> follow()));
    }

    private void closeSubscriber() {
        following = false;
        if (connection != null) {
            connection.close();
            connection = null;
        }
        if (subscriber != null) {
            subscriber.close();
            subscriber = null;
        }
    }
}
