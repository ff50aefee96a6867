package io.pushgate.gateway.redis;

import io.pushgate.gateway.store.TopicChanges;
import io.pushgate.gateway.topics.TopicSpec;
import io.pushgate.protocol.Json;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * Follows the changes channel on a dedicated connection (a subscribed connection can send
 * nothing else) and hands each change to the listener, in the order Redis published them.
 * When the connection drops it reconnects with backoff and asks the listener to resync,
 * because whatever was published meanwhile is lost to it (pub/sub is at most once).
 */
final class RedisChangeListener {

    private static final Logger LOG = Logger.getLogger(RedisChangeListener.class);
    private static final long MAX_BACKOFF_MS = 5_000;

    private final Vertx vertx;
    private final String channel;
    private final TopicChanges listener;
    private final Redis client;
    /** Told the origin of every batch of changes once the listener has applied it. */
    private final java.util.function.Consumer<String> batchApplied;
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private long backoffMs = 100;
    private volatile boolean connected;

    RedisChangeListener(Vertx vertx, String redisUri, String channel, TopicChanges listener,
                        java.util.function.Consumer<String> batchApplied) {
        this.vertx = vertx;
        this.batchApplied = batchApplied;
        this.channel = channel;
        this.listener = listener;
        this.client = Redis.createClient(vertx, new RedisOptions().setConnectionString(redisUri));
    }

    CompletionStage<Void> start() {
        connect();
        return started;
    }

    boolean isConnected() {
        return connected;
    }

    private void connect() {
        client.connect().onSuccess(this::subscribe).onFailure(error -> retry("cannot connect", error));
    }

    private void subscribe(RedisConnection connection) {
        connection.handler(this::onMessage);
        connection.exceptionHandler(error -> {
            connected = false;
            connection.close();
            retry("connection failed", error);
        });
        connection.endHandler(v -> {
            if (connected) {
                connected = false;
                retry("connection closed", null);
            }
        });
        connection.send(Request.cmd(Command.SUBSCRIBE).arg(channel))
                .onSuccess(r -> {
                    connected = true;
                    backoffMs = 100;
                    LOG.infof("following topic changes on %s", channel);
                    listener.resync();
                    started.complete(null);
                })
                .onFailure(error -> {
                    connection.close();
                    retry("cannot subscribe", error);
                });
    }

    private void retry(String what, Throwable error) {
        LOG.warnf("topic changes: %s (%s); retrying in %d ms", what, error == null ? "" : error.getMessage(), backoffMs);
        long delay = backoffMs;
        backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        vertx.setTimer(delay, id -> connect());
    }

    private void onMessage(Response response) {
        if (response == null || response.size() < 3 || !"message".equals(response.get(0).toString())) {
            return;
        }
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
            case 'V' -> listener.view(path, rest);
            case 'O', 'o', 'U', 'u' -> listener.security(kind, path, rest.isEmpty() ? null : rest);
            case 'W' -> listener.view(path, null);
            case 'E' -> event(path, Long.parseLong(payload.substring(1, firstNewline)), rest);
            default -> LOG.warnf("unknown topic change kind %s", kind);
        }
    }
}
