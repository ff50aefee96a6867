package io.pushgate.gateway.redis;

import io.pushgate.gateway.store.ChangeListeners;
import io.pushgate.gateway.topics.TopicChanges;
import io.pushgate.gateway.topics.TopicSpec;
import io.pushgate.protocol.Json;
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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import org.jboss.logging.Logger;

/**
 * Follows the change channels on dedicated connections (a subscribed connection can send
 * nothing else) and hands each change to its listener, in the order Redis published them: topic
 * changes to the {@link TopicChanges}, view and security changes (published on the same channels
 * by {@link RedisViews} and {@link RedisSecurityStore}) to theirs.
 *
 * <p>Unsharded, that is one connection with {@code SUBSCRIBE} on the one channel. Sharded, every
 * channel of {@link RedisKeys#channels()} is followed with {@code SSUBSCRIBE}: on a single Redis
 * all on one connection; on a Redis Cluster on one connection per master that serves a channel's
 * slot, found with {@code CLUSTER SLOTS}. Every connection is made from one Vert.x context, so
 * that all messages are handled on one event loop, one at a time, as with a single channel.
 *
 * <p>When any connection drops, a subscription is refused or withdrawn by the server
 * ({@code sunsubscribe}: its slot moved, its master was demoted) or, on a cluster, the masters of
 * the channels' slots change (checked every {@code topologyCheckMillis}), every connection is
 * closed and all are made again from the current topology, with backoff; then the listener is
 * asked to resync, because whatever was published meanwhile is lost to it (pub/sub is at most
 * once). {@link #isConnected()} is false from the loss until every channel is followed again.
 */
final class RedisChangeListener {

    private static final Logger LOG = Logger.getLogger(RedisChangeListener.class);

    /** Where to follow each channel: one Redis URI per group of channels. */
    interface Topology {
        Future<Map<String, List<String>>> assign(List<String> channels);
    }

    private final Vertx vertx;
    private final List<String> channels;
    private final boolean sharded;
    private final Topology topology;
    private final long topologyCheckMillis;
    private final ChangeListeners listeners;
    private final TopicChanges listener;
    /** Told the origin of every batch of changes once the listener has applied it. */
    private final java.util.function.Consumer<String> batchApplied;
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    /** The one context every connection is made from and every message handled on. */
    private final Context context;
    private final List<Redis> clients = new ArrayList<>();
    private final List<RedisConnection> connections = new ArrayList<>();
    private Map<String, List<String>> assigned = Map.of();
    /** Bumped at every (re)subscription: events of older connections are ignored. */
    private long generation;
    private int awaitingConfirmation;
    /** 100 ms, doubling up to 1 s: Redis comes back in seconds, and a replica must not hammer it meanwhile. */
    private final Backoff backoff = Backoff.exponential(java.time.Duration.ofMillis(100), java.time.Duration.ofSeconds(1));
    private long checkTimer = -1;
    private volatile boolean connected;

    /** The unsharded layout on one Redis: SUBSCRIBE to {@code channel} at {@code redisUri}. */
    RedisChangeListener(Vertx vertx, String redisUri, String channel, ChangeListeners listeners,
                        java.util.function.Consumer<String> batchApplied) {
        this(vertx, List.of(channel), false, single(redisUri), 0, listeners, batchApplied);
    }

    /**
     * @param sharded {@code SSUBSCRIBE} (sharded pub/sub) rather than {@code SUBSCRIBE}
     * @param topologyCheckMillis how often to check that the channels' masters are still the
     *        ones followed (0: never, a single Redis)
     */
    RedisChangeListener(Vertx vertx, List<String> channels, boolean sharded, Topology topology, long topologyCheckMillis,
                        ChangeListeners listeners, java.util.function.Consumer<String> batchApplied) {
        this.vertx = vertx;
        this.channels = List.copyOf(channels);
        this.sharded = sharded;
        this.topology = topology;
        this.topologyCheckMillis = topologyCheckMillis;
        this.batchApplied = batchApplied;
        this.listeners = listeners;
        this.listener = listeners.topics();
        this.context = vertx.getOrCreateContext();
    }

    /** Every channel at one URI. */
    static Topology single(String redisUri) {
        return channels -> Future.succeededFuture(Map.of(redisUri, List.copyOf(channels)));
    }

    /**
     * The masters of a Redis Cluster, from {@code CLUSTER SLOTS} asked through {@code cluster}:
     * each channel at the master of its slot, reached with the scheme and credentials of
     * {@code templateUri} (the first of {@code quarkus.redis.hosts}).
     */
    static Topology cluster(Redis cluster, String templateUri) {
        java.net.URI template = java.net.URI.create(templateUri);
        String head = template.getScheme() + "://" + (template.getRawUserInfo() == null ? "" : template.getRawUserInfo() + "@");
        return channels -> cluster.send(Request.cmd(Command.CLUSTER).arg("SLOTS")).map(reply -> {
            Map<String, List<String>> byMaster = new TreeMap<>();
            for (String channel : channels) {
                int slot = RedisKeys.slot(channel);
                String master = null;
                for (Response range : reply) {
                    if (slot >= range.get(0).toInteger() && slot <= range.get(1).toInteger()) {
                        Response node = range.get(2);
                        master = head + node.get(0).toString() + ":" + node.get(1).toInteger();
                        break;
                    }
                }
                if (master == null) {
                    throw new IllegalStateException("no master serves slot " + slot + " (of channel " + channel + ")");
                }
                byMaster.computeIfAbsent(master, m -> new ArrayList<>()).add(channel);
            }
            return byMaster;
        });
    }

    CompletionStage<Void> start() {
        context.runOnContext(v -> {
            subscribeAll();
            if (topologyCheckMillis > 0) {
                checkTimer = vertx.setPeriodic(topologyCheckMillis, id -> checkTopology());
            }
        });
        return started;
    }

    boolean isConnected() {
        return connected;
    }

    /** Makes every connection from the current topology and subscribes; on the listener's context. */
    private void subscribeAll() {
        long gen = ++generation;
        // The topology may come back on another context (the pooled client's): back to ours.
        topology.assign(channels).onComplete(ar -> context.runOnContext(v -> subscribed(gen, ar)));
    }

    private void subscribed(long gen, io.vertx.core.AsyncResult<Map<String, List<String>>> ar) {
        if (gen != generation) {
            return;
        }
        if (ar.failed()) {
            retry(gen, "cannot read the topology", ar.cause());
            return;
        }
        assigned = ar.result();
        awaitingConfirmation = channels.size();
        for (Map.Entry<String, List<String>> entry : assigned.entrySet()) {
            Redis client = Redis.createClient(vertx, new RedisOptions().setConnectionString(entry.getKey()));
            clients.add(client);
            client.connect().onComplete(c -> {
                if (c.failed()) {
                    retry(gen, "cannot connect to " + entry.getKey(), c.cause());
                } else if (gen != generation) {
                    c.result().close();
                } else {
                    subscribe(gen, c.result(), entry.getValue());
                }
            });
        }
    }

    private void subscribe(long gen, RedisConnection connection, List<String> channelsHere) {
        connections.add(connection);
        connection.handler(response -> onResponse(gen, response));
        connection.exceptionHandler(error -> retry(gen, "connection failed", error));
        connection.endHandler(v -> retry(gen, "connection closed", null));
        // One channel per command: on a cluster SSUBSCRIBE takes channels of one slot only.
        for (String channel : channelsHere) {
            Request request = sharded ? Request.cmd(Command.SSUBSCRIBE).arg(channel) : Request.cmd(Command.SUBSCRIBE).arg(channel);
            connection.send(request).onFailure(error -> retry(gen, "cannot subscribe to " + channel, error));
        }
    }

    /** A subscription is confirmed: once all are, the listener resyncs and this replica is following again. */
    private void confirmed(long gen) {
        if (gen != generation || --awaitingConfirmation > 0) {
            return;
        }
        connected = true;
        backoff.reset();
        LOG.infof("following topic changes on %d channel(s) of %d Redis node(s)", channels.size(), assigned.size());
        // The order of ChangeStream's contract: security first (sessions' rights), then topics, then views.
        listeners.security().resync();
        listener.resync();
        listeners.views().resync();
        started.complete(null);
    }

    /** Something of generation {@code gen} failed: once per generation, everything is closed and made again after a backoff. */
    private void retry(long gen, String what, Throwable error) {
        if (gen != generation) {
            return;
        }
        generation++;
        connected = false;
        long delay = backoff.next().toMillis();
        try {
            closeAll();
            vertx.setTimer(delay, id -> context.runOnContext(v -> subscribeAll()));
        } catch (RejectedExecutionException stopping) {
            // The connections ended because Vert.x is closing (the gateway stops): its event loops
            // take no more work, and there is nothing left to follow.
            LOG.debugf("topic changes: %s while the event loops close; not retrying", what);
            return;
        }
        LOG.warnf("topic changes: %s (%s); retrying in %d ms", what, error == null ? "" : error.getMessage(), delay);
    }

    private void closeAll() {
        connections.forEach(RedisConnection::close);
        connections.clear();
        clients.forEach(Redis::close);
        clients.clear();
    }

    /** On a cluster: if the masters of the channels' slots changed, follow the new ones. */
    private void checkTopology() {
        context.runOnContext(v -> {
            long gen = generation;
            if (!connected) {
                return;
            }
            topology.assign(channels).onSuccess(now -> context.runOnContext(x -> {
                if (gen == generation && connected && !now.equals(assigned)) {
                    retry(gen, "the cluster's masters changed", null);
                }
            }));
        });
    }

    private void onResponse(long gen, Response response) {
        if (gen != generation || response == null) {
            return;
        }
        if (response.type() == io.vertx.redis.client.ResponseType.ERROR) {
            retry(gen, "Redis refused a subscription", new IllegalStateException(response.toString()));
            return;
        }
        if (response.size() < 2) {
            return;
        }
        String kind = response.get(0).toString();
        switch (kind) {
            case "message", "smessage" -> {
                if (response.size() >= 3) {
                    onMessage(response);
                }
            }
            case "subscribe", "ssubscribe" -> confirmed(gen);
            // The server withdrew a shard channel (its slot moved, or its master became a replica).
            case "sunsubscribe" -> retry(gen, "Redis withdrew the subscription to " + response.get(1), null);
            default -> { }
        }
    }

    private void onMessage(Response response) {
        Response payload = response.get(2);
        byte[] bytes = payload.toBytes();
        if (bytes.length > 0 && bytes[0] == 'M') {
            batch(bytes);
            return;
        }
        String text = payload.toString();
        try {
            dispatch(text);
        } catch (RuntimeException e) {
            LOG.errorf(e, "cannot apply topic change %.100s", text);
        } finally {
            listener.endOfBatch();
        }
    }

    /**
     * {@code M<origin>\n} then, per change, {@code <byte length>\n<change>} (set_batch.lua): each
     * change is applied as if it had come alone, then the listener is told the batch ended, and
     * the batch's origin is handed on.
     */
    private void batch(byte[] bytes) {
        int p = indexOf(bytes, (byte) '\n', 0);
        if (p < 0) {
            LOG.warnf("a change batch without its origin line: %.100s", new String(bytes, StandardCharsets.UTF_8));
            return;
        }
        String origin = new String(bytes, 1, p - 1, StandardCharsets.US_ASCII);
        p++;
        try {
            while (p < bytes.length) {
                int newline = indexOf(bytes, (byte) '\n', p);
                int length = (int) digits(bytes, p, newline);
                int start = newline + 1;
                p = start + length;
                try {
                    if (!set(bytes, start, p)) {
                        dispatch(new String(bytes, start, length, StandardCharsets.UTF_8));
                    }
                } catch (RuntimeException e) {
                    LOG.errorf(e, "cannot apply topic change %.100s", new String(bytes, start, Math.min(length, 100), StandardCharsets.UTF_8));
                }
            }
        } catch (RuntimeException e) {
            // A malformed batch: what was applied stays; a later seq gap makes the mirror reload.
            LOG.errorf(e, "cannot read the change batch of %s at byte %d", origin, p);
        } finally {
            listener.endOfBatch();
        }
        batchApplied.accept(origin);
    }

    /**
     * A set, {@code S<seq>\n<path>\n<value>}, read from the message's bytes: the path and the value
     * made into strings once each (the hot path of every replica). False for any other change.
     */
    private boolean set(byte[] bytes, int from, int to) {
        if (bytes[from] != 'S') {
            return false;
        }
        int first = indexOf(bytes, (byte) '\n', from);
        int second = first < 0 ? -1 : indexOf(bytes, (byte) '\n', first + 1);
        if (second < 0 || second >= to) {
            return false;
        }
        long seq = digits(bytes, from + 1, first);
        // Paths are ASCII by the contract ([A-Za-z0-9_.-] and '/'); values are UTF-8.
        String path = new String(bytes, first + 1, second - first - 1, StandardCharsets.ISO_8859_1);
        listener.set(path, seq, new String(bytes, second + 1, to - second - 1, StandardCharsets.UTF_8));
        return true;
    }

    /** The decimal number in {@code bytes[from, to)}. */
    private static long digits(byte[] bytes, int from, int to) {
        if (from >= to) {
            throw new NumberFormatException("no digits");
        }
        long n = 0;
        for (int i = from; i < to; i++) {
            int d = bytes[i] - '0';
            if (d < 0 || d > 9) {
                throw new NumberFormatException("not a digit at " + i);
            }
            n = n * 10 + d;
        }
        return n;
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** {@code <millis> <editOf>\n<author>\n<value>} after the path of an event. */
    private void event(String path, long seq, String rest) {
        int space = rest.indexOf(' ');
        int newline = rest.indexOf('\n');
        int secondNewline = rest.indexOf('\n', newline + 1);
        long millis = Long.parseLong(rest.substring(0, space));
        String editOf = rest.substring(space + 1, newline);
        String author = rest.substring(newline + 1, secondNewline);
        listener.event(path, seq, millis, editOf.isEmpty() ? null : Long.parseLong(editOf), author, rest.substring(secondNewline + 1));
    }

    private void dispatch(String payload) {
        int firstNewline = payload.indexOf('\n');
        if (firstNewline < 1) {
            return;
        }
        char kind = payload.charAt(0);
        int secondNewline = payload.indexOf('\n', firstNewline + 1);
        String path = secondNewline < 0 ? payload.substring(firstNewline + 1) : payload.substring(firstNewline + 1, secondNewline);
        String rest = secondNewline < 0 ? "" : payload.substring(secondNewline + 1);
        switch (kind) {
            case 'A' -> listener.added(path, TopicSpec.parseStored(Json.parse(rest)));
            case 'S' -> listener.set(path, Long.parseLong(payload.substring(1, firstNewline)), rest);
            case 'R' -> listener.removed(path);
            case 'V' -> listeners.views().defined(path, rest);
            case 'W' -> listeners.views().removed(path);
            case 'O', 'o', 'U', 'u' -> RedisSecurityStore.deliver(kind, path, rest.isEmpty() ? null : rest, listeners.security());
            case 'E' -> event(path, Long.parseLong(payload.substring(1, firstNewline)), rest);
            default -> LOG.warnf("unknown topic change kind %s", kind);
        }
    }
}
