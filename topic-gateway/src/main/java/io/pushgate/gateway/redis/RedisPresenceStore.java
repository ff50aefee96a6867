package io.pushgate.gateway.redis;

import io.pushgate.gateway.presence.PresenceCounts;
import io.pushgate.gateway.presence.PresenceStore;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * The presence state in Redis ({@link PresenceStore}). Keys ({@link RedisKeys}):
 * <ul>
 * <li>{@code pushgate:presence:{chat/lobby}} (sharded: {@code pushgate:{shard-3}:presence:chat/lobby}):
 * a hash, replica id to that replica's counts as JSON;
 * <li>{@code pushgate:presence:dirty} (sharded: one per shard): the topics to recompute;
 * <li>{@code pushgate:presence:replicas}: the replicas with entries; {@code pushgate:presence:replica:{id}}:
 * a replica's heartbeat, {@code PX} the TTL; {@code pushgate:presence:replica:{id}:topics}: the topics it has entries for;
 * <li>{@code pushgate:presence:writer}: the writer lease ({@code claim.lua}).
 * </ul>
 * Every command touches one key, so on a Redis Cluster each goes to its own slot's master and no
 * script spans slots. Sequences of commands are ordered by waiting for each reply, which is what
 * the port's guarantees need (the entry is indexed before it is written; the mark follows the write).
 */
public final class RedisPresenceStore implements PresenceStore {

    private static final Logger LOG = Logger.getLogger(RedisPresenceStore.class);
    private static final LuaScript CLAIM = LuaScript.load("claim.lua");
    /** Dirty marks taken per shard per round at most; the rest wait for the next round. */
    static final int TAKE_PER_SHARD = 1000;

    private final Redis redis;
    private final RedisKeys keys;

    /** {@code shards}: {@code gateway.redis.shards} as resolved (0: unsharded). */
    public RedisPresenceStore(Redis redis, String prefix, int shards) {
        this.redis = redis;
        this.keys = new RedisKeys(prefix, shards);
    }

    private Future<Response> send(Command command, Object... args) {
        Request request = Request.cmd(command);
        for (Object arg : args) {
            request.arg(arg.toString());
        }
        return redis.send(request);
    }

    @Override
    public CompletionStage<Void> publish(String replica, String path, PresenceCounts counts) {
        RedisKeys.TopicKeys topic = keys.of(path);
        Future<?> written = counts.isEmpty()
                ? send(Command.HDEL, topic.presence(), replica).compose(r -> send(Command.SREM, keys.presenceTopicsOf(replica), path))
                : send(Command.SADD, keys.presenceTopicsOf(replica), path).compose(r -> send(Command.HSET, topic.presence(), replica, counts.toJson()));
        return RedisTopicStore.stage(written.compose(r -> send(Command.SADD, topic.presenceDirty(), path)).mapEmpty());
    }

    @Override
    public CompletionStage<List<PresenceCounts>> read(String path) {
        return RedisTopicStore.stage(send(Command.HVALS, keys.of(path).presence()).map(values -> {
            List<PresenceCounts> entries = new ArrayList<>();
            if (values != null) {
                for (Response value : values) {
                    try {
                        entries.add(PresenceCounts.parse(value.toString()));
                    } catch (IllegalArgumentException e) {
                        LOG.warnf("presence of %s: an entry that is not counts is ignored: %s", path, e.getMessage());
                    }
                }
            }
            return entries;
        }));
    }

    @Override
    public CompletionStage<Set<String>> takeDirty() {
        List<Future<Response>> pops = new ArrayList<>();
        for (int shard = 0; shard < keys.shardCount(); shard++) {
            pops.add(send(Command.SPOP, keys.presenceDirty(shard), TAKE_PER_SHARD));
        }
        return RedisTopicStore.stage(Future.all(pops).map(all -> {
            Set<String> dirty = new HashSet<>();
            for (Future<Response> pop : pops) {
                addAll(dirty, pop.result());
            }
            return dirty;
        }));
    }

    @Override
    public CompletionStage<Boolean> heartbeat(String replica, Duration ttl) {
        return RedisTopicStore.stage(send(Command.SET, keys.presenceHeartbeat(replica), "1", "PX", ttl.toMillis())
                .compose(r -> send(Command.SADD, keys.presenceReplicas(), replica))
                .map(added -> added.toInteger() == 1));
    }

    @Override
    public CompletionStage<Boolean> claimWriter(String replica, Duration ttl) {
        return RedisTopicStore.stage(CLAIM.run(redis, List.of(keys.presenceWriter()), List.of(replica, Long.toString(ttl.toMillis())))
                .map(r -> r.toInteger() == 1));
    }

    @Override
    public CompletionStage<Set<String>> reapDead(String self) {
        Future<Set<String>> reaped = send(Command.SMEMBERS, keys.presenceReplicas()).compose(members -> {
            List<Future<Set<String>>> each = new ArrayList<>();
            if (members != null) {
                for (Response member : members) {
                    String replica = member.toString();
                    if (!replica.equals(self)) {
                        each.add(send(Command.EXISTS, keys.presenceHeartbeat(replica))
                                .compose(alive -> alive.toInteger() == 1 ? Future.succeededFuture(Set.<String>of()) : reap(replica)));
                    }
                }
            }
            return Future.all(each).map(all -> {
                Set<String> paths = new HashSet<>();
                each.forEach(f -> paths.addAll(f.result()));
                return paths;
            });
        });
        return RedisTopicStore.stage(reaped);
    }

    /** Removes a dead replica's entries, then its index, then its registration (last: see {@link #heartbeat}). */
    private Future<Set<String>> reap(String replica) {
        return send(Command.SMEMBERS, keys.presenceTopicsOf(replica)).compose(topics -> {
            Set<String> paths = new HashSet<>();
            addAll(paths, topics);
            List<Future<Response>> removals = new ArrayList<>();
            for (String path : paths) {
                removals.add(send(Command.HDEL, keys.of(path).presence(), replica));
            }
            return Future.all(removals)
                    .compose(x -> send(Command.DEL, keys.presenceTopicsOf(replica)))
                    .compose(x -> send(Command.SREM, keys.presenceReplicas(), replica))
                    .map(x -> {
                        LOG.infof("presence: replica %s stopped renewing its heartbeat; its sessions left %d topic(s)", replica, paths.size());
                        return paths;
                    });
        });
    }

    @Override
    public CompletionStage<Void> leave(String replica, Collection<String> paths) {
        List<Future<?>> removals = new ArrayList<>();
        for (String path : paths) {
            RedisKeys.TopicKeys topic = keys.of(path);
            removals.add(send(Command.HDEL, topic.presence(), replica).compose(r -> send(Command.SADD, topic.presenceDirty(), path)));
        }
        Future<?> left = Future.all(removals)
                .compose(x -> send(Command.DEL, keys.presenceTopicsOf(replica)))
                .compose(x -> send(Command.DEL, keys.presenceHeartbeat(replica)))
                .compose(x -> send(Command.SREM, keys.presenceReplicas(), replica))
                .compose(x -> CLAIM.run(redis, List.of(keys.presenceWriter()), List.of(replica, "0")));
        return RedisTopicStore.stage(left.mapEmpty());
    }

    private static void addAll(Set<String> into, Response set) {
        if (set != null) {
            for (Response member : set) {
                into.add(member.toString());
            }
        }
    }
}
