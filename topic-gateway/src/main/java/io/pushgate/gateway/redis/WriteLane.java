package io.pushgate.gateway.redis;

import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.ProtocolException;
import io.vertx.core.Future;
import io.vertx.core.impl.ContextInternal;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * The writes of one event loop on their way to Redis, over one connection of their own, in the
 * order they were made. Consecutive {@code set}s go as one call of {@code set_batch.lua}, which
 * publishes them as one change message; every other write (add, remove, append) goes as its own
 * script call, in its place in the order. Redis runs a connection's commands in the order they
 * arrive, so a client's writes are stored in the order it sent them, without waiting for one to
 * be stored before sending the next.
 *
 * <p>When to send: at the end of the event loop's current turn (so the writes of one turn leave
 * together and a lone write leaves at once), as long as fewer than {@code maxInFlight} calls are
 * unanswered; otherwise the writes wait for an answer and then leave together. Batching therefore
 * costs nothing when Redis keeps up and grows with the backlog when it does not (group commit).
 *
 * <p>When a set is acknowledged: once its batch's result is back <em>and</em> this gateway has
 * applied the batch's change message (its origin names this lane and batch), so that a client that
 * gets {@code ok} reads its write here, and the subscribers here got the update before the
 * {@code ok}. If the change message is late (the change stream reconnects), the result is given
 * after {@code applyWaitMillis}: the write is stored either way. A write that fails, or whose
 * connection drops before its answer, fails with UNAVAILABLE and is never acknowledged.
 *
 * <p>Threading: every method runs on the lane's event loop; {@link WriteLanes} hops there.
 */
final class WriteLane {

    private static final Logger LOG = Logger.getLogger(WriteLane.class);
    static final LuaScript SET_BATCH = LuaScript.load("set_batch.lua");

    /**
     * The limits of a lane. {@code waitReplicas > 0}: every call is followed on its connection by
     * {@code WAIT waitReplicas waitTimeoutMillis}, and its writes are acknowledged only if that many
     * replicas confirmed them (Redis replicates asynchronously: without it, a write acknowledged
     * by a master that dies before replicating it is lost).
     */
    record Limits(int maxBatchChanges, int maxBatchBytes, int maxInFlight, int maxQueued, long applyWaitMillis, int backlog,
                  int waitReplicas, long waitTimeoutMillis) {

        Limits(int maxBatchChanges, int maxBatchBytes, int maxInFlight, int maxQueued, long applyWaitMillis, int backlog) {
            this(maxBatchChanges, maxBatchBytes, maxInFlight, maxQueued, applyWaitMillis, backlog, 0, 0);
        }

        Limits(int maxBatchChanges, int maxBatchBytes, int maxInFlight, int maxQueued, long applyWaitMillis) {
            this(maxBatchChanges, maxBatchBytes, maxInFlight, maxQueued, applyWaitMillis, Math.max(1, maxQueued / 16));
        }

        Limits withWait(int replicas, long timeoutMillis) {
            return new Limits(maxBatchChanges, maxBatchBytes, maxInFlight, maxQueued, applyWaitMillis, backlog, replicas, timeoutMillis);
        }
    }

    /** One write waiting to be sent. */
    private abstract static sealed class Op permits SetOp, ScriptOp {
    }

    /** A set: the arguments of one change of set_batch.lua, and its seq when stored. */
    static final class SetOp extends Op {
        final String key;
        final String path;
        final String type;
        final String text;
        final String addSpec;
        final String retain;
        final String ifSeq;
        final int shard;
        final CompletableFuture<Long> result = new CompletableFuture<>();

        SetOp(String key, String path, String type, String text, String addSpec, String retain, String ifSeq, int shard) {
            this.shard = shard;
            this.key = key;
            this.path = path;
            this.type = type;
            this.text = text;
            this.addSpec = addSpec;
            this.retain = retain;
            this.ifSeq = ifSeq;
        }

        /** set_batch.lua's fourth argument: '' in the common case, else {@code <ifSeq>|<retain><spec>}. */
        String control() {
            return ifSeq.isEmpty() && addSpec.isEmpty() ? "" : ifSeq + "|" + retain + addSpec;
        }

        int bytes() {
            // An estimate (chars, not UTF-8 bytes) is enough to bound a batch.
            return key.length() + path.length() * 2 + text.length() + addSpec.length() + 24;
        }
    }

    /** Any other write: one script call. */
    static final class ScriptOp extends Op {
        final LuaScript script;
        final List<String> keys;
        final List<String> args;
        final CompletableFuture<Response> result = new CompletableFuture<>();

        ScriptOp(LuaScript script, List<String> keys, List<String> args) {
            this.script = script;
            this.keys = keys;
            this.args = args;
        }
    }

    /** A batch of sets sent as one call: waits for its result and for its change message to be applied here. */
    private final class Batch {
        final long number;
        final ArrayList<SetOp> ops;
        Response result;
        boolean applied;
        long timer = -1;

        Batch(long number, ArrayList<SetOp> ops) {
            this.number = number;
            this.ops = ops;
        }
    }

    private final int index;
    private final String origin;
    private final ContextInternal context;
    private final Redis redis;
    private final RedisKeys keys;
    /** set_batch.lua for the layout (PUBLISH or SPUBLISH). */
    private final LuaScript setBatch;
    /**
     * On a Redis Cluster, batches go as EVAL (the script's text): a SCRIPT LOAD reaches one node
     * only, and the EVALSHA fallback after a NOSCRIPT could let a later batch overtake the one it
     * retries. Redis caches an EVAL'd script by its digest, so it is compiled once per node.
     */
    private final boolean cluster;
    private final Limits limits;
    private final List<LuaScript> scripts;
    private final WriteStats stats;
    private final ArrayDeque<Op> queue = new ArrayDeque<>();
    /** Sent batches whose result or change message is still to come, by number. */
    private final Map<Long, Batch> batches = new HashMap<>();
    /** Who stopped reading requests while this lane was behind, to be told when it has caught up. */
    private final ArrayList<Runnable> waitingForCatchUp = new ArrayList<>();
    private RedisConnection connection;
    private boolean connecting;
    private boolean flushScheduled;
    private int inFlight;
    private long nextBatch;
    /** Run on the lane's context, so that the connection it makes answers there. */
    private final io.vertx.core.Handler<Void> flushTask = v -> flushNow();

    /** {@code scripts}: the scripts the lane's {@link #run} calls use, loaded with set_batch.lua on every connect. */
    WriteLane(int index, String replicaId, ContextInternal context, Redis redis, RedisKeys keys, boolean cluster, Limits limits,
              List<LuaScript> scripts, WriteStats stats) {
        this.index = index;
        this.keys = keys;
        this.cluster = cluster;
        this.setBatch = SET_BATCH.forLayout(keys);
        this.stats = stats;
        this.scripts = scripts;
        this.origin = replicaId + ":" + index + ":";
        this.context = context;
        this.redis = redis;
        this.limits = limits;
    }

    int index() {
        return index;
    }

    ContextInternal context() {
        return context;
    }

    /** Queues a set of the topic whose hash is {@code key}, in {@code shard}; completes with its seq once stored and applied here. */
    CompletableFuture<Long> set(String key, int shard, String path, String type, String text, String addSpec, String retain, String ifSeq) {
        SetOp op = new SetOp(key, path, type, text, addSpec, retain, ifSeq, shard);
        if (enqueue(op)) {
            return op.result;
        }
        op.result.completeExceptionally(full());
        return op.result;
    }

    /** Queues a script call, in order with the sets; completes with its reply. */
    CompletableFuture<Response> run(LuaScript script, List<String> keys, List<String> args) {
        ScriptOp op = new ScriptOp(script, keys, args);
        if (enqueue(op)) {
            return op.result;
        }
        op.result.completeExceptionally(full());
        return op.result;
    }

    private ProtocolException full() {
        stats.unavailable.increment();
        return new ProtocolException(ErrorCode.UNAVAILABLE, "the gateway's queue of writes to the topic store is full ("
                + limits.maxQueued() + "): try again shortly");
    }

    private boolean enqueue(Op op) {
        if (queue.size() >= limits.maxQueued()) {
            return false;
        }
        queue.add(op);
        if (!flushScheduled) {
            flushScheduled = true;
            // After the rest of this turn: the writes of one turn (every frame read in it) leave together.
            context.runOnContext(flushTask);
        }
        return true;
    }

    private void flushNow() {
        flushScheduled = false;
        if (connection == null) {
            connect();
            return;
        }
        while (!queue.isEmpty() && inFlight < limits.maxInFlight()) {
            if (queue.peek() instanceof SetOp) {
                sendBatch();
            } else {
                sendScript((ScriptOp) queue.poll());
            }
        }
        caughtUpIfSo();
    }

    /**
     * True when more writes wait to be sent than {@code backlog}: the connections of this loop
     * should stop reading requests (TCP then slows their clients down) until {@link #whenCaughtUp}
     * calls back, rather than queue without bound or refuse writes.
     */
    boolean isBehind() {
        return queue.size() >= limits.backlog();
    }

    /** Calls {@code resume} once at most half the backlog waits (at once if that is so already). */
    void whenCaughtUp(Runnable resume) {
        waitingForCatchUp.add(resume);
        caughtUpIfSo();
    }

    private void caughtUpIfSo() {
        if (waitingForCatchUp.isEmpty() || queue.size() > limits.backlog() / 2) {
            return;
        }
        List<Runnable> resume = List.copyOf(waitingForCatchUp);
        waitingForCatchUp.clear();
        resume.forEach(Runnable::run);
    }

    /**
     * Sends the consecutive sets at the head of the queue: one call when unsharded; when sharded,
     * one call per shard among them (a script may only write keys of one slot on a cluster), each
     * keeping its changes in their order, so that the writes to one topic keep theirs.
     */
    private void sendBatch() {
        ArrayList<SetOp> ops = new ArrayList<>();
        int bytes = 0;
        while (queue.peek() instanceof SetOp next && ops.size() < limits.maxBatchChanges()
                && (ops.isEmpty() || bytes + next.bytes() <= limits.maxBatchBytes())) {
            queue.poll();
            ops.add(next);
            bytes += next.bytes();
        }
        if (!keys.sharded()) {
            sendBatch(0, ops);
            return;
        }
        int first = ops.get(0).shard;
        boolean oneShard = true;
        for (SetOp op : ops) {
            if (op.shard != first) {
                oneShard = false;
                break;
            }
        }
        if (oneShard) {
            sendBatch(first, ops);
            return;
        }
        Map<Integer, ArrayList<SetOp>> byShard = new java.util.LinkedHashMap<>();
        for (SetOp op : ops) {
            byShard.computeIfAbsent(op.shard, s -> new ArrayList<>()).add(op);
        }
        byShard.forEach(this::sendBatch);
    }

    private void sendBatch(int shard, ArrayList<SetOp> ops) {
        Batch batch = new Batch(nextBatch++, ops);
        Request request = cluster ? Request.cmd(Command.EVAL).arg(setBatch.source()) : Request.cmd(Command.EVALSHA).arg(setBatch.sha());
        request.arg(ops.size() + 1);
        for (SetOp op : ops) {
            request.arg(op.key);
        }
        request.arg(keys.index(shard));
        request.arg(keys.changesChannel(shard)).arg(origin + batch.number);
        for (SetOp op : ops) {
            request.arg(op.path).arg(op.type).arg(op.text).arg(op.control());
        }
        batches.put(batch.number, batch);
        stats.batches.increment();
        stats.batchedSets.add(ops.size());
        inFlight++;
        replicated(request).onComplete(ar -> {
            inFlight--;
            if (ar.succeeded()) {
                batchStored(batch, ar.result());
            } else if (isNoScript(ar.cause())) {
                // Redis lost its scripts (SCRIPT FLUSH): nothing of this batch ran. Load it again and resend.
                LOG.warn("Redis no longer knows the batch script: loading it again");
                batches.remove(batch.number);
                reload(batch);
            } else {
                batches.remove(batch.number);
                ProtocolException e = ar.cause() instanceof ProtocolException p ? p : unavailable(ar.cause());
                stats.unavailable.add(ops.size());
                ops.forEach(op -> op.result.completeExceptionally(e));
            }
            flushNow();
        });
    }

    /**
     * Sends a call; with {@code waitReplicas} set, followed on the same node by WAIT (a batch goes
     * to the node of its keyed command), and failed when fewer replicas confirmed it in time.
     */
    private io.vertx.core.Future<Response> replicated(Request request) {
        if (limits.waitReplicas() <= 0) {
            return connection.send(request);
        }
        Request wait = Request.cmd(Command.WAIT).arg(limits.waitReplicas()).arg(limits.waitTimeoutMillis());
        return connection.batch(List.of(request, wait)).compose(replies -> {
            long confirmed = replies.get(1).toLong();
            if (confirmed < limits.waitReplicas()) {
                stats.notReplicated.increment();
                return io.vertx.core.Future.failedFuture(new ProtocolException(ErrorCode.UNAVAILABLE,
                        "stored on the Redis master but confirmed by " + confirmed + " of " + limits.waitReplicas()
                                + " replicas within " + limits.waitTimeoutMillis() + " ms (gateway.redis.wait-replicas): it may be lost if that master fails;"
                                + " try again"));
            }
            return io.vertx.core.Future.succeededFuture(replies.get(0));
        });
    }

    private void reload(Batch batch) {
        inFlight++;
        connection.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(setBatch.source())).onComplete(ar -> {
            inFlight--;
            // Back at the head of the queue, in their order.
            for (int i = batch.ops.size() - 1; i >= 0; i--) {
                queue.addFirst(batch.ops.get(i));
            }
            flushNow();
        });
    }

    private void sendScript(ScriptOp op) {
        inFlight++;
        stats.scriptCalls.increment();
        Future<Response> call = limits.waitReplicas() > 0 ? replicated(op.script.request(cluster, op.keys, op.args))
                : op.script.run(connection, op.keys, op.args);
        call.onComplete(ar -> {
            inFlight--;
            if (ar.succeeded()) {
                op.result.complete(ar.result());
            } else {
                op.result.completeExceptionally(ar.cause());
            }
            flushNow();
        });
    }

    private void batchStored(Batch batch, Response results) {
        batch.result = results;
        boolean anyStored = false;
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i).type() == ResponseType.NUMBER) {
                anyStored = true;
                break;
            }
        }
        if (batch.applied || !anyStored) {
            // Nothing stored: nothing was published, so nothing to wait for.
            complete(batch);
            return;
        }
        batch.timer = context.owner().setTimer(limits.applyWaitMillis(), id -> {
            batch.timer = -1;
            if (batches.get(batch.number) == batch) {
                LOG.debugf("the change message of batch %d was not seen within %d ms: acknowledged anyway (stored)",
                        batch.number, limits.applyWaitMillis());
                stats.applyWaitsExpired.increment();
                complete(batch);
            }
        });
    }

    /** This gateway has applied the change message of batch {@code number}. */
    void applied(long number) {
        Batch batch = batches.get(number);
        if (batch == null) {
            return;
        }
        batch.applied = true;
        if (batch.result != null) {
            complete(batch);
        }
    }

    private void complete(Batch batch) {
        batches.remove(batch.number);
        if (batch.timer >= 0) {
            context.owner().cancelTimer(batch.timer);
        }
        Response results = batch.result;
        for (int i = 0; i < batch.ops.size(); i++) {
            SetOp op = batch.ops.get(i);
            Response r = i < results.size() ? results.get(i) : null;
            if (r != null && r.type() == ResponseType.NUMBER) {
                op.result.complete(r.toLong());
            } else {
                op.result.completeExceptionally(RedisTopicStore.refusal(r == null ? "no result for this change" : r.toString()));
            }
        }
    }

    private void connect() {
        if (connecting) {
            return;
        }
        connecting = true;
        // Every script is loaded before the first write, so that no EVALSHA of the pipeline finds one
        // missing (its EVAL fallback would be sent after writes that came later).
        redis.connect()
                .compose(c -> {
                    if (cluster) {
                        // A SCRIPT LOAD would reach one node: batches go as EVAL, other scripts fall back to it.
                        return io.vertx.core.Future.succeededFuture(c);
                    }
                    List<Request> loads = new ArrayList<>();
                    loads.add(Request.cmd(Command.SCRIPT).arg("LOAD").arg(setBatch.source()));
                    scripts.forEach(s -> loads.add(Request.cmd(Command.SCRIPT).arg("LOAD").arg(s.source())));
                    return c.batch(loads).map(r -> c).onFailure(e -> c.close());
                })
                .onComplete(ar -> {
                    connecting = false;
                    if (ar.failed()) {
                        // No connection: nothing queued can be stored now. Every write fails at once
                        // (never acknowledged); the next one tries to connect again.
                        ProtocolException e = unavailable(ar.cause());
                        List<Op> failed = new ArrayList<>(queue);
                        queue.clear();
                        stats.unavailable.add(failed.size());
                        failed.forEach(op -> fail(op, e));
                        caughtUpIfSo();
                        return;
                    }
                    RedisConnection c = ar.result();
                    connection = c;
                    c.exceptionHandler(error -> lost(c, error));
                    c.endHandler(v -> lost(c, null));
                    flushNow();
                });
    }

    /** The connection failed: its unanswered calls fail by themselves (Vert.x fails them); the next write reconnects. */
    private void lost(RedisConnection c, Throwable error) {
        if (connection != c) {
            return;
        }
        connection = null;
        LOG.warnf("the write connection of lane %d to Redis was lost%s", index, error == null ? "" : ": " + error.getMessage());
        c.close();
        if (!queue.isEmpty() && !flushScheduled) {
            flushScheduled = true;
            context.runOnContext(flushTask);
        }
    }

    private static void fail(Op op, Throwable e) {
        if (op instanceof SetOp s) {
            s.result.completeExceptionally(e);
        } else {
            ((ScriptOp) op).result.completeExceptionally(e);
        }
    }

    private static boolean isNoScript(Throwable error) {
        return error != null && error.getMessage() != null && error.getMessage().startsWith("NOSCRIPT");
    }

    private static ProtocolException unavailable(Throwable error) {
        return new ProtocolException(ErrorCode.UNAVAILABLE, "the topic store is unavailable: " + (error == null ? "" : error.getMessage()));
    }

    /** Writes waiting to be sent (for tests and meters). */
    int queued() {
        return queue.size();
    }
}
