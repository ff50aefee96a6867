package io.pushgate.gateway.redis;

import io.pushgate.gateway.views.ViewEngine;
import io.pushgate.gateway.views.ViewStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * View definitions in Redis (one hash, name to the stored {@link io.pushgate.gateway.views.ViewDefinition}:
 * the DSL text and its creator; changes published on the changes channel, {@code V}/{@code W}, which
 * {@link RedisTopicStore} follows) and the ownership of each view: every few seconds each replica claims or renews an
 * expiring lease per view; the holder runs the view. A replica that dies loses its leases within
 * {@link #LEASE_MS}, and another replica takes its views over.
 */
public final class RedisViews implements ViewStore {

    private static final Logger LOG = Logger.getLogger(RedisViews.class);
    static final LuaScript HASH_SET = LuaScript.load("hashset.lua");
    private static final LuaScript CLAIM = LuaScript.load("claim.lua");
    static final long LEASE_MS = 10_000;
    static final long RENEW_MS = 2_000;

    private final Vertx vertx;
    private final Redis redis;
    private final String prefix;
    private final RedisKeys keys;
    private final LuaScript hashSet;
    private final String replicaId = UUID.randomUUID().toString();
    private ViewEngine engine;
    private long timer = -1;

    /** {@code shards}: {@code gateway.redis.shards} as resolved (0: unsharded), for the channel of view changes. */
    public RedisViews(Vertx vertx, Redis redis, String prefix, int shards) {
        this.vertx = vertx;
        this.redis = redis;
        this.prefix = prefix;
        this.keys = new RedisKeys(prefix, shards);
        this.hashSet = HASH_SET.forLayout(keys);
    }

    private String definitionsKey() {
        return keys.views();
    }

    private String leaseKey(String name) {
        return prefix + ":view-owner:{" + name + "}";
    }

    private String channel() {
        return keys.definitionsChannel(definitionsKey());
    }

    /** Stores a view: true if it is new. */
    @Override
    public CompletionStage<Boolean> put(String name, String text) {
        return RedisTopicStore.stage(hashSet.run(redis, List.of(definitionsKey()), List.of(channel(), "V", "W", name, text)).map(r -> r.toInteger() == 1));
    }

    /** Removes a view: true if it existed. */
    @Override
    public CompletionStage<Boolean> remove(String name) {
        return RedisTopicStore.stage(hashSet.run(redis, List.of(definitionsKey()), List.of(channel(), "V", "W", name, "")).map(r -> r.toInteger() == 1));
    }

    @Override
    public CompletionStage<Map<String, String>> loadAll() {
        return RedisTopicStore.stage(redis.send(Request.cmd(Command.HGETALL).arg(definitionsKey())).map(RedisViews::toMap));
    }

    /** Starts following ownership for the engine's views; definitions come from {@link #reload}. */
    @Override
    public void start(ViewEngine engine) {
        this.engine = engine;
        timer = vertx.setPeriodic(RENEW_MS, id -> renewAll());
    }

    /** Loads every definition into the engine (at start and after the changes stream reconnects). */
    @Override
    public void reload() {
        if (engine == null) {
            return;
        }
        loadAll().whenComplete((views, error) -> {
            if (error != null) {
                LOG.warnf("cannot load the view definitions: %s", error.getMessage());
            } else {
                engine.defineAll(views);
                renewAll();
            }
        });
    }

    /** Releases this replica's leases, so another replica takes its views over at once. */
    @Override
    public void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        if (engine != null) {
            for (String name : engine.names()) {
                CLAIM.run(redis, List.of(leaseKey(name)), List.of(replicaId, "0"));
            }
        }
    }

    private void renewAll() {
        for (String name : engine.names()) {
            claim(name);
        }
    }

    /** Claims (or renews) one view's lease now: a new view starts without waiting for the next round. */
    @Override
    public CompletionStage<Boolean> claim(String name) {
        Future<Boolean> claimed = CLAIM.run(redis, List.of(leaseKey(name)), List.of(replicaId, Long.toString(LEASE_MS)))
                .map(r -> r.toInteger() == 1);
        claimed.onSuccess(owns -> engine.owned(name, owns)).onFailure(e -> engine.owned(name, false));
        return RedisTopicStore.stage(claimed);
    }

    static Map<String, String> toMap(Response hash) {
        Map<String, String> map = new HashMap<>();
        if (hash != null) {
            for (String key : hash.getKeys()) {
                map.put(key, hash.get(key).toString());
            }
        }
        return map;
    }
}
