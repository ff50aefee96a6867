package io.pushgate.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.message.Field;
import io.pushgate.protocol.message.MessageType;
import io.pushgate.protocol.message.ServerMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Requests waiting for their replies: each gets an {@code id}, a timeout, and the connection it
 * went out on, so that a reply, the timeout or the end of that connection completes it (whichever
 * comes first). Thread-safe.
 */
final class Requests {

    private final Duration timeout;
    private final ScheduledExecutorService timer;
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    /** A request waiting for its reply. */
    private static final class Pending {
        final Connection connection;
        final CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        volatile ScheduledFuture<?> timeout;

        Pending(Connection connection) {
            this.connection = connection;
        }

        void cancelTimeout() {
            ScheduledFuture<?> t = timeout;
            if (t != null) {
                t.cancel(false);
            }
        }
    }

    Requests(Duration timeout, ScheduledExecutorService timer) {
        this.timeout = timeout;
        this.timer = timer;
    }

    /**
     * Sends a request on a connection. The future completes with the reply message (completed on
     * the socket's reading thread), or fails with a {@link PushgateException}: the gateway's
     * error, {@code UNAVAILABLE} after the timeout, or {@link PushgateException.ConnectionLost} if
     * the request cannot be sent or the connection ends first.
     */
    CompletableFuture<JsonNode> send(Connection c, ObjectNode request) {
        return send(c, request, timeout);
    }

    /** As {@link #send(Connection, ObjectNode)}, waiting up to {@code timeout} for the reply (a request to a message handler waits longer). */
    CompletableFuture<JsonNode> send(Connection c, ObjectNode request, Duration timeout) {
        return send(c, request, timeout, id -> { });
    }

    /** As above, telling {@code beforeSending} the request's id before it leaves (messages about it may arrive before its reply). */
    CompletableFuture<JsonNode> send(Connection c, ObjectNode request, Duration timeout, java.util.function.LongConsumer beforeSending) {
        long id = ids.incrementAndGet();
        request.put(Field.ID, id);
        beforeSending.accept(id);
        String op = request.path(Field.OP).asText();
        Pending p = new Pending(c);
        pending.put(id, p);
        try {
            p.timeout = timer.schedule(() -> {
                if (pending.remove(id, p)) {
                    p.reply.completeExceptionally(new PushgateException(ErrorCode.UNAVAILABLE,
                            "no reply to " + op + " from " + c.uri() + " within " + timeout, new TimeoutException()));
                }
            }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            pending.remove(id);
            return CompletableFuture.failedFuture(new PushgateException.ConnectionLost("the client is closed"));
        }
        c.send(Json.write(request)).whenComplete((sent, error) -> {
            if (error != null && pending.remove(id, p)) {
                p.cancelTimeout();
                p.reply.completeExceptionally(new PushgateException.ConnectionLost("could not send " + op + ": " + error));
                c.abort("send failed");
            }
        });
        return p.reply;
    }

    /**
     * Completes the request a reply answers ({@code ok}, {@code error}, {@code fetch},
     * {@code pong}, {@code range}, and the extensions' {@code sessions} and {@code response}, with
     * an {@code id}) with the reply as JSON.
     *
     * @param json the message as received
     * @return false if the message is not such a reply (a push message, or an error without id)
     */
    boolean complete(ServerMessage message, JsonNode json) {
        JsonNode id = json.get(Field.ID);
        if (id == null || !id.canConvertToLong() || !isReply(message)) {
            return false;
        }
        Pending p = pending.remove(id.asLong());
        if (p != null) { // else it timed out or its connection ended: too late
            p.cancelTimeout();
            if (message instanceof ServerMessage.Error error) {
                p.reply.completeExceptionally(error(error));
            } else {
                p.reply.complete(json);
            }
        }
        return true;
    }

    /** Fails the requests sent on a connection (every request when {@code c} is null). */
    void failAll(Connection c, String why) {
        for (Map.Entry<Long, Pending> e : pending.entrySet()) {
            Pending p = e.getValue();
            if ((c == null || p.connection == c) && pending.remove(e.getKey(), p)) {
                p.cancelTimeout();
                p.reply.completeExceptionally(new PushgateException.ConnectionLost(why));
            }
        }
    }

    private static boolean isReply(ServerMessage message) {
        if (message instanceof ServerMessage.Other other) {
            return switch (other.type()) {
                case MessageType.SESSIONS -> true; // the reply to listSessions (session control, an extension)
                case MessageType.RESPONSE -> true; // the reply to sendRequest, sendToSession (messaging, an extension)
                default -> false;
            };
        }
        return message instanceof ServerMessage.Ok || message instanceof ServerMessage.Error
                || message instanceof ServerMessage.FetchReply || message instanceof ServerMessage.Pong
                || message instanceof ServerMessage.RangeReply;
    }

    /** A request message: {@code {"op": op}}, to which the caller adds the op's fields (and {@link #send} the id). */
    static ObjectNode op(String op) {
        return Json.MAPPER.createObjectNode().put(Field.OP, op);
    }

    /** Each element of a reply's array ({@code results}, {@code events}, {@code sessions}), read; an unmodifiable list. */
    static <T> List<T> each(JsonNode array, Function<JsonNode, T> read) {
        List<T> list = new ArrayList<>();
        array.forEach(element -> list.add(read.apply(element)));
        return List.copyOf(list);
    }

    /** The exception of an {@code error} reply; an unknown code (a newer gateway) is UNAVAILABLE. */
    static PushgateException error(ServerMessage.Error message) {
        return error(message.code(), message.message() == null ? "" : message.message(), message.reason());
    }

    /** The exception of an error as JSON ({@code code}, {@code message}, {@code reason}: a {@code filterResponse}'s). */
    static PushgateException error(JsonNode error) {
        return error(error.path(Field.CODE).asText(), error.path(Field.MESSAGE).asText(""),
                error.hasNonNull(Field.REASON) ? error.get(Field.REASON).asText() : null);
    }

    private static PushgateException error(String code, String text, String reason) {
        try {
            if (reason != null) {
                return new MessagingException(ErrorCode.valueOf(code), reason, text);
            }
            return new PushgateException(ErrorCode.valueOf(code), text);
        } catch (IllegalArgumentException e) {
            return new PushgateException(ErrorCode.UNAVAILABLE, "[" + code + "] " + text);
        }
    }
}
