package io.pushgate.gateway.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.gateway.control.CommandHandlers;
import io.pushgate.gateway.control.SessionDirectory;
import io.pushgate.gateway.control.SessionEntry;
import io.pushgate.protocol.Causes;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.ProtocolException;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The session directory in Redis ({@link SessionDirectory}'s guarantees).
 *
 * <p>Layout, every key with the hash tag {@code {sessions}} so that the one script that writes a
 * replica's entries is legal on a Redis Cluster:
 * <ul>
 * <li>{@code <prefix>:{sessions}:replica:<id>}: a hash of session id to the entry's JSON, with a
 * {@code PEXPIRE} of the ttl renewed at every heartbeat: Redis's own clock removes the sessions of
 * a replica that stopped renewing them;
 * <li>{@code <prefix>:{sessions}:replicas}: a sorted set of replica ids, scored by the time of
 * their entries' expiry, read by {@link #list()} (a replica long expired is pruned from it);
 * <li>{@code <prefix>:{sessions}:commands:<id>}: the replica's command channel, {@code PUBLISH}ed
 * (sharded layout: {@code SPUBLISH}) through a script so that a cluster routes it to its slot, and
 * followed on a dedicated connection (on a cluster, to the master of its slot).
 * </ul>
 * Registrations wait in an ordered map (a later one of the same session replaces an earlier one)
 * and leave in one script call at a time, in order.
 */
public final class RedisSessionDirectory implements SessionDirectory {

    private static final Logger LOG = Logger.getLogger(RedisSessionDirectory.class);
    private static final LuaScript SESSIONS = LuaScript.load("sessions.lua");
    private static final LuaScript PUBLISH = LuaScript.load("publish.lua");
    /** Entries one script call writes at most (the script unpacks them onto Lua's stack). */
    static final int MAX_PER_CALL = 500;

    /** Where the directory's keys and commands go, and how often it renews them. */
    public record Settings(String prefix, int shards, boolean cluster, String redisUri, Duration ttl, Duration heartbeat) {
    }

    private final Vertx vertx;
    private final Redis redis;
    private final Settings settings;
    private final String replicaId;
    private final LuaScript publish;
    private final Map<String, SessionEntry> local = new ConcurrentHashMap<>();
    /** Session id to its entry's JSON, or null to delete it: what is still to be written, in order. */
    private final LinkedHashMap<String, String> pendingWrites = new LinkedHashMap<>();
    private boolean writing;
    /** A write of this replica's entries has succeeded: a hash missing after that had expired. */
    private boolean everWritten;
    private final CommandHandlers handlers = new CommandHandlers();
    private final Map<Long, CompletableFuture<JsonNode>> calls = new ConcurrentHashMap<>();
    private final AtomicLong callIds = new AtomicLong();
    private final Context context;
    private long heartbeatTimer = -1;
    private volatile boolean stopped;
    private Redis subscriberClient;
    private RedisConnection subscriber;
    /** 100 ms, doubling up to 1 s: Redis comes back in seconds, and a replica must not hammer it meanwhile. */
    private final Backoff backoff = Backoff.exponential(java.time.Duration.ofMillis(100), java.time.Duration.ofSeconds(1));
    private volatile boolean following;

    public RedisSessionDirectory(Vertx vertx, Redis redis, Settings settings) {
        this.vertx = vertx;
        this.redis = redis;
        this.settings = settings;
        // Hex, without '-': a session id is <replica>-<n>, and the replica is what precedes the last '-'.
        this.replicaId = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()).substring(0, 12);
        this.publish = PUBLISH.forLayout(new RedisKeys(settings.prefix(), settings.shards()));
        this.context = vertx.getOrCreateContext();
    }

    @Override
    public String replicaId() {
        return replicaId;
    }

    String replicaKey(String replica) {
        return settings.prefix() + ":{sessions}:replica:" + replica;
    }

    String replicasKey() {
        return settings.prefix() + ":{sessions}:replicas";
    }

    String commandChannel(String replica) {
        return settings.prefix() + ":{sessions}:commands:" + replica;
    }

    /** True while this replica's command channel is followed (commands sent to it arrive). */
    public boolean isFollowingCommands() {
        return following;
    }

    @Override
    public void register(SessionEntry entry) {
        local.put(entry.sessionId(), entry);
        enqueue(entry.sessionId(), Json.write(entry.toJson()));
    }

    @Override
    public void unregister(String sessionId) {
        if (local.remove(sessionId) != null) {
            enqueue(sessionId, null);
        }
    }

    private synchronized void enqueue(String sessionId, String json) {
        if (stopped) {
            return;
        }
        pendingWrites.remove(sessionId);
        pendingWrites.put(sessionId, json);
        writeNext();
    }

    /** Sends the next batch of waiting writes, unless one is on its way; also the heartbeat (with none waiting). */
    private synchronized void writeNext() {
        if (writing) {
            return;
        }
        writing = true;
        LinkedHashMap<String, String> batch = new LinkedHashMap<>();
        for (var it = pendingWrites.entrySet().iterator(); it.hasNext() && batch.size() < MAX_PER_CALL; ) {
            var e = it.next();
            batch.put(e.getKey(), e.getValue());
            it.remove();
        }
        List<String> args = new ArrayList<>();
        long ttl = settings.ttl().toMillis();
        args.add(Long.toString(ttl));
        args.add(replicaId);
        args.add(Long.toString(System.currentTimeMillis() + ttl));
        List<String> deletes = new ArrayList<>();
        int sets = 0;
        List<String> pairs = new ArrayList<>();
        for (var e : batch.entrySet()) {
            if (e.getValue() == null) {
                deletes.add(e.getKey());
            } else {
                pairs.add(e.getKey());
                pairs.add(e.getValue());
                sets++;
            }
        }
        args.add(Integer.toString(sets));
        args.addAll(pairs);
        args.addAll(deletes);
        SESSIONS.run(redis, List.of(replicaKey(replicaId), replicasKey()), args).onComplete(ar -> written(batch, ar));
    }

    private synchronized void written(LinkedHashMap<String, String> batch, io.vertx.core.AsyncResult<Response> ar) {
        writing = false;
        if (ar.failed()) {
            // Put back what no later registration replaced; the next heartbeat tries again.
            LOG.debugf("session directory: cannot write %d entries: %s", batch.size(), ar.cause().getMessage());
            LinkedHashMap<String, String> retry = new LinkedHashMap<>();
            batch.forEach((id, json) -> {
                if (!pendingWrites.containsKey(id)) {
                    retry.put(id, json);
                }
            });
            retry.putAll(pendingWrites);
            pendingWrites.clear();
            pendingWrites.putAll(retry);
            return;
        }
        boolean existed = ar.result() == null || ar.result().toInteger() == 1;
        boolean expired = everWritten && !existed;
        everWritten = true;
        if (expired && !local.isEmpty()) {
            // The hash had expired (the store was out of reach for longer than the ttl, or restarted):
            // this replica's entries are written again, all of them.
            LOG.debugf("session directory: this replica's entries were missing (expired, or emptied); writing its %d sessions again", local.size());
            local.values().forEach(e -> {
                pendingWrites.remove(e.sessionId());
                pendingWrites.put(e.sessionId(), Json.write(e.toJson()));
            });
        }
        if (!pendingWrites.isEmpty() && !stopped) {
            writeNext();
        }
    }

    @Override
    public CompletionStage<List<SessionEntry>> list() {
        Future<List<SessionEntry>> all = redis.send(Request.cmd(Command.ZRANGE).arg(replicasKey()).arg(0).arg(-1)).compose(ids -> {
            List<Future<Response>> reads = new ArrayList<>();
            for (Response id : ids) {
                reads.add(redis.send(Request.cmd(Command.HVALS).arg(replicaKey(id.toString()))));
            }
            return Future.all(reads).map(done -> {
                List<SessionEntry> entries = new ArrayList<>();
                for (Future<Response> read : reads) {
                    for (Response json : read.result()) {
                        try {
                            SessionEntry entry = SessionEntry.fromJson(Json.MAPPER.readTree(json.toString()));
                            if (entry != null) {
                                entries.add(entry);
                            }
                        } catch (java.io.IOException e) {
                            LOG.debugf("session directory: an entry that is not JSON: %s", e.getMessage());
                        }
                    }
                }
                return entries;
            });
        });
        return RedisTopicStore.stage(all).exceptionally(error -> {
            throw new ProtocolException(ErrorCode.UNAVAILABLE, "the session directory cannot be read: " + Causes.unwrap(error).getMessage());
        });
    }

    @Override
    public CompletionStage<JsonNode> call(String replica, String kind, JsonNode payload, Duration timeout) {
        if (replica.equals(replicaId)) {
            return handlers.run(kind, payload);
        }
        long id = callIds.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        calls.put(id, answer);
        long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), t -> {
            if (calls.remove(id) != null) {
                answer.completeExceptionally(new ProtocolException(ErrorCode.UNAVAILABLE,
                        "replica " + replica + " did not answer within " + timeout.toMillis() + " ms"));
            }
        });
        answer.whenComplete((v, e) -> vertx.cancelTimer(timer));
        ObjectNode message = Json.MAPPER.createObjectNode();
        message.put("t", "call");
        message.put("id", id);
        message.put("from", replicaId);
        message.put("kind", kind);
        message.set("payload", payload);
        publish.run(redis, List.of(commandChannel(replica)), List.of(Json.write(message))).onComplete(ar -> {
            if (ar.failed()) {
                if (calls.remove(id) != null) {
                    answer.completeExceptionally(new ProtocolException(ErrorCode.UNAVAILABLE, "cannot reach replica " + replica + ": "
                            + ar.cause().getMessage()));
                }
            } else if (ar.result() != null && ar.result().toInteger() == 0 && calls.remove(id) != null) {
                // Nobody follows that channel: the replica is gone (or reconnecting). No use waiting.
                answer.completeExceptionally(new ProtocolException(ErrorCode.UNAVAILABLE, "replica " + replica + " is not listening"));
            }
        });
        return answer;
    }

    @Override
    public void handle(String kind, Function<JsonNode, CompletionStage<JsonNode>> handler) {
        handlers.put(kind, handler);
    }

    @Override
    public void start() {
        long every = Math.max(10, settings.heartbeat().toMillis());
        heartbeatTimer = vertx.setPeriodic(every, id -> writeNext());
        writeNext();
        context.runOnContext(v -> follow());
    }

    @Override
    public void stop() {
        synchronized (this) {
            stopped = true;
            pendingWrites.clear();
        }
        if (heartbeatTimer >= 0) {
            vertx.cancelTimer(heartbeatTimer);
        }
        redis.send(Request.cmd(Command.DEL).arg(replicaKey(replicaId)));
        redis.send(Request.cmd(Command.ZREM).arg(replicasKey()).arg(replicaId));
        context.runOnContext(v -> closeSubscriber());
    }

    // ---- the command channel

    private void follow() {
        if (stopped) {
            return;
        }
        String channel = commandChannel(replicaId);
        Future<String> where = settings.cluster()
                ? RedisChangeListener.cluster(redis, settings.redisUri()).assign(List.of(channel)).map(m -> m.keySet().iterator().next())
                : Future.succeededFuture(settings.redisUri());
        boolean sharded = settings.shards() > 0;
        where.compose(uri -> {
            subscriberClient = Redis.createClient(vertx, new RedisOptions().setConnectionString(uri));
            return subscriberClient.connect();
        }).onComplete(ar -> context.runOnContext(v -> {
            if (ar.failed()) {
                refollow("cannot connect: " + ar.cause().getMessage());
                return;
            }
            subscriber = ar.result();
            subscriber.handler(this::onMessage);
            subscriber.exceptionHandler(e -> refollow("connection failed: " + e.getMessage()));
            subscriber.endHandler(x -> refollow("connection closed"));
            subscriber.send(Request.cmd(sharded ? Command.SSUBSCRIBE : Command.SUBSCRIBE).arg(channel))
                    .onFailure(e -> refollow("cannot subscribe: " + e.getMessage()));
        }));
    }

    private void refollow(String why) {
        following = false;
        closeSubscriber();
        if (stopped) {
            return;
        }
        long delay = backoff.next().toMillis();
        LOG.warnf("session commands: %s; retrying in %d ms", why, delay);
        vertx.setTimer(delay, t -> context.runOnContext(v -> follow()));
    }

    private void closeSubscriber() {
        if (subscriber != null) {
            RedisConnection c = subscriber;
            subscriber = null;
            c.endHandler(null);
            c.exceptionHandler(null);
            c.close();
        }
        if (subscriberClient != null) {
            subscriberClient.close();
            subscriberClient = null;
        }
    }

    private void onMessage(Response response) {
        if (response == null || response.size() < 2) {
            return;
        }
        String type = response.get(0).toString();
        if (type.equals("subscribe") || type.equals("ssubscribe")) {
            following = true;
            backoff.reset();
            return;
        }
        if (type.equals("sunsubscribe")) {
            refollow("the channel moved");
            return;
        }
        if ((type.equals("message") || type.equals("smessage")) && response.size() >= 3) {
            JsonNode message;
            try {
                message = Json.MAPPER.readTree(response.get(2).toString());
            } catch (java.io.IOException e) {
                return;
            }
            if ("reply".equals(message.path("t").asText())) {
                CompletableFuture<JsonNode> answer = calls.remove(message.path("id").asLong());
                if (answer != null) {
                    if (message.has("error")) {
                        JsonNode error = message.get("error");
                        answer.completeExceptionally(new ProtocolException(errorCode(error.path("code").asText()), error.path("message").asText()));
                    } else {
                        answer.complete(message.get("ok"));
                    }
                }
            } else if ("call".equals(message.path("t").asText())) {
                String from = message.path("from").asText();
                long id = message.path("id").asLong();
                handlers.run(message.path("kind").asText(), message.get("payload")).whenComplete((ok, error) -> reply(from, id, ok, error));
            }
        }
    }

    private void reply(String to, long id, JsonNode ok, Throwable error) {
        ObjectNode message = Json.MAPPER.createObjectNode();
        message.put("t", "reply");
        message.put("id", id);
        if (error != null) {
            Throwable cause = Causes.unwrap(error);
            ObjectNode e = message.putObject("error");
            e.put("code", cause instanceof ProtocolException pe ? pe.code().name() : ErrorCode.UNAVAILABLE.name());
            e.put("message", cause instanceof ProtocolException ? cause.getMessage() : "internal error: " + cause.getClass().getSimpleName());
        } else {
            message.set("ok", ok);
        }
        publish.run(redis, List.of(commandChannel(to)), List.of(Json.write(message)))
                .onFailure(e -> LOG.debugf("cannot answer replica %s: %s", to, e.getMessage()));
    }

    private static ErrorCode errorCode(String name) {
        try {
            return ErrorCode.valueOf(name);
        } catch (IllegalArgumentException e) {
            return ErrorCode.UNAVAILABLE;
        }
    }
}
