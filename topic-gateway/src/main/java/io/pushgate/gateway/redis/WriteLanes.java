package io.pushgate.gateway.redis;

import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import io.vertx.redis.client.Redis;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * The {@link WriteLane}s of this gateway: one per event loop that writes, made on first use. A
 * write made on an event loop goes to that loop's lane at once, so a connection's writes (all made
 * on its loop) keep their order; a write made elsewhere (the view engine's thread, a worker) goes
 * to a lane chosen by its topic, on that lane's loop, so writes to one topic keep theirs too.
 *
 * <p>Each lane tags its batches with an origin ({@code <replica>:<lane>:<batch>}) that the change
 * message carries back; {@link #applied} hands a batch's origin to its lane once this gateway has
 * applied the message.
 */
final class WriteLanes {

    private final Vertx vertx;
    private final Redis redis;
    private final RedisKeys keys;
    private final boolean cluster;
    private final WriteLane.Limits limits;
    private final List<LuaScript> scripts;
    private final WriteStats stats = new WriteStats();
    private final String replicaId = UUID.randomUUID().toString().substring(0, 8);
    private final Map<EventLoop, WriteLane> byLoop = new ConcurrentHashMap<>();
    private final List<WriteLane> lanes = new CopyOnWriteArrayList<>();

    /** {@code cluster}: {@code redis} is a Redis Cluster client ({@link WriteLane} sends batches as EVAL there). */
    WriteLanes(Vertx vertx, Redis redis, RedisKeys keys, boolean cluster, WriteLane.Limits limits, List<LuaScript> scripts) {
        this.vertx = vertx;
        this.redis = redis;
        this.keys = keys;
        this.cluster = cluster;
        this.limits = limits;
        this.scripts = scripts;
    }

    WriteStats stats() {
        return stats;
    }

    /** This gateway's part of every origin: which change messages are answers to its own batches. */
    String replicaId() {
        return replicaId;
    }

    /**
     * Runs {@code write} with a lane: the caller's own when it runs on an event loop, at once;
     * otherwise one picked by {@code topic}, on that lane's loop. Completes as the write does.
     */
    <T> CompletableFuture<T> write(String topic, Function<WriteLane, CompletableFuture<T>> write) {
        Context current = Vertx.currentContext();
        if (current instanceof ContextInternal c && c.isEventLoopContext() && c.nettyEventLoop().inEventLoop()) {
            return write.apply(laneOf(c));
        }
        WriteLane lane = pick(topic);
        CompletableFuture<T> result = new CompletableFuture<>();
        lane.context().runOnContext(v -> write.apply(lane).whenComplete((r, e) -> {
            if (e != null) {
                result.completeExceptionally(e);
            } else {
                result.complete(r);
            }
        }));
        return result;
    }

    /** True when the caller's event loop has more writes waiting than its backlog ({@link WriteLane#isBehind}). */
    boolean isBehind() {
        WriteLane lane = callerLane();
        return lane != null && lane.isBehind();
    }

    /** Calls {@code resume} on the caller's loop once its lane has caught up (at once off a loop, or with no lane). */
    void whenCaughtUp(Runnable resume) {
        WriteLane lane = callerLane();
        if (lane == null) {
            resume.run();
        } else {
            lane.whenCaughtUp(resume);
        }
    }

    private WriteLane callerLane() {
        Context current = Vertx.currentContext();
        if (current instanceof ContextInternal c && c.isEventLoopContext() && c.nettyEventLoop().inEventLoop()) {
            return byLoop.get(c.nettyEventLoop());
        }
        return null;
    }

    private WriteLane laneOf(ContextInternal context) {
        WriteLane lane = byLoop.get(context.nettyEventLoop());
        return lane != null ? lane : create(context);
    }

    private synchronized WriteLane create(ContextInternal context) {
        return byLoop.computeIfAbsent(context.nettyEventLoop(), loop -> {
            WriteLane lane = new WriteLane(lanes.size(), replicaId, context.unwrap(), redis, keys, cluster, limits, scripts, stats);
            lanes.add(lane);
            return lane;
        });
    }

    private WriteLane pick(String topic) {
        List<WriteLane> all = lanes;
        if (all.isEmpty()) {
            // From a thread of no event loop: Vert.x hands out one of its loops.
            return laneOf((ContextInternal) vertx.getOrCreateContext());
        }
        return all.get(Math.floorMod(topic.hashCode(), all.size()));
    }

    /**
     * This gateway applied the change message with this origin: if it is one of its own batches,
     * its lane acknowledges the batch's writes.
     */
    void applied(String origin) {
        int first = origin.indexOf(':');
        int second = origin.indexOf(':', first + 1);
        if (first < 0 || second < 0 || !origin.regionMatches(0, replicaId, 0, first) || first != replicaId.length()) {
            return;
        }
        int index;
        long batch;
        try {
            index = Integer.parseInt(origin, first + 1, second, 10);
            batch = Long.parseLong(origin, second + 1, origin.length(), 10);
        } catch (NumberFormatException e) {
            return;
        }
        if (index < 0 || index >= lanes.size()) {
            return;
        }
        WriteLane lane = lanes.get(index);
        if (lane.context().nettyEventLoop().inEventLoop()) {
            lane.applied(batch);
        } else {
            // Behind the deliveries the change just queued on that loop: subscribers there get the update before the ok.
            lane.context().runOnContext(v -> lane.applied(batch));
        }
    }
}
