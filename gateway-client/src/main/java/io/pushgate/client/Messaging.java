package io.pushgate.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.protocol.Causes;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.message.Field;
import io.pushgate.protocol.message.MessageType;
import io.pushgate.protocol.message.Op;
import io.pushgate.protocol.message.ServerMessage;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Request/response messaging, an extension (docs/protocol.md, "Messaging"): requests this client
 * sends to handlers and sessions, and the handlers and request streams it offers, which it
 * registers again on every new connection (each is a new session). What the operations mean is on
 * {@link PushgateClient}. Thread-safe.
 */
final class Messaging {

    private static final System.Logger LOG = System.getLogger(PushgateClient.class.getName());

    private final Calls calls;
    private final ClientThreads threads;
    /** Handlers by message path, and request streams by path: registered again on every new connection. */
    private final Map<String, RequestHandler> requestHandlers = new ConcurrentHashMap<>();
    private final Map<String, RequestHandler> requestStreams = new ConcurrentHashMap<>();
    /** The answers of requests to session filters, by request id, until their {@code ok}. */
    private final Map<Long, List<SessionResponse>> filterAnswers = new ConcurrentHashMap<>();

    Messaging(Calls calls, ClientThreads threads) {
        this.calls = calls;
        this.threads = threads;
    }

    // ---------------------------------------------------------------- sending requests

    CompletableFuture<JsonNode> sendRequest(String path, Object request, Duration timeout) {
        ObjectNode op = Requests.op(Op.SEND_REQUEST).put("path", path).put("timeout", timeout.toMillis());
        op.set("request", Values.toNode(request));
        return messagingCall(op, timeout);
    }

    CompletableFuture<JsonNode> sendToSession(String sessionId, String path, Object request, Duration timeout) {
        ObjectNode op = Requests.op(Op.SEND_TO_SESSION).put("sessionId", sessionId).put("path", path)
                .put("timeout", timeout.toMillis());
        op.set("request", Values.toNode(request));
        return messagingCall(op, timeout);
    }

    CompletableFuture<List<SessionResponse>> sendToFilter(String filter, String path, Object request, Duration timeout) {
        ObjectNode op = Requests.op(Op.SEND_TO_FILTER).put("filter", filter).put("path", path)
                .put("timeout", timeout.toMillis());
        op.set("request", Values.toNode(request));
        long[] requestId = new long[1];
        CompletableFuture<List<SessionResponse>> future = new CompletableFuture<>();
        calls.request(op, timeout.plus(calls.timeout()), id -> {
            requestId[0] = id;
            filterAnswers.put(id, new CopyOnWriteArrayList<>());
        }).whenComplete((reply, error) -> {
            List<SessionResponse> answers = filterAnswers.remove(requestId[0]);
            threads.complete(() -> {
                if (error != null) {
                    future.completeExceptionally(Causes.unwrap(error));
                } else {
                    future.complete(List.copyOf(answers));
                }
            });
        });
        return future;
    }

    private CompletableFuture<JsonNode> messagingCall(ObjectNode op, Duration timeout) {
        // The gateway answers TIMEOUT at the timeout; waiting a little longer lets that answer arrive.
        return calls.completeOff(calls.request(op, timeout.plus(calls.timeout()), id -> { }), reply -> reply.path(MessageType.RESPONSE));
    }

    // ---------------------------------------------------------------- offering handlers and streams

    CompletableFuture<Void> addRequestHandler(String path, RequestHandler handler) {
        Objects.requireNonNull(handler, "handler");
        requestHandlers.put(path, handler);
        return calls.call(Requests.op(Op.ADD_REQUEST_HANDLER).put("path", path), reply -> (Void) null)
                .whenComplete((v, error) -> {
                    if (error != null) {
                        requestHandlers.remove(path, handler);
                    }
                });
    }

    CompletableFuture<Void> removeRequestHandler(String path) {
        requestHandlers.remove(path);
        return calls.call(Requests.op(Op.REMOVE_REQUEST_HANDLER).put("path", path), reply -> (Void) null);
    }

    CompletableFuture<String> addRequestStream(String path, RequestHandler handler) {
        Objects.requireNonNull(handler, "handler");
        requestStreams.put(path, handler);
        return calls.call(Requests.op(Op.ADD_REQUEST_STREAM).put("path", path), reply -> reply.path("sessionId").asText());
    }

    CompletableFuture<Void> removeRequestStream(String path) {
        requestStreams.remove(path);
        return calls.call(Requests.op(Op.REMOVE_REQUEST_STREAM).put("path", path), reply -> (Void) null);
    }

    /** On the event thread, on a new connection: handlers and streams are registered again (a new session). */
    void registerAgain() {
        requestHandlers.keySet().forEach(path -> calls.request(Requests.op(Op.ADD_REQUEST_HANDLER).put("path", path)));
        requestStreams.keySet().forEach(path -> calls.request(Requests.op(Op.ADD_REQUEST_STREAM).put("path", path)));
    }

    // ---------------------------------------------------------------- messages (socket's reading thread)

    /**
     * Takes the messaging messages that are not replies: a {@code request} for one of this
     * client's handlers or streams, and a {@code filterResponse} to a {@link #sendToFilter}.
     *
     * @return false for any other message
     */
    boolean received(ServerMessage decoded) {
        if (!(decoded instanceof ServerMessage.Other other)) {
            return false;
        }
        JsonNode message = other.json();
        switch (other.type()) {
            case MessageType.REQUEST -> answerRequest(message);
            case MessageType.FILTER_RESPONSE -> {
                List<SessionResponse> collected = filterAnswers.get(message.path("for").asLong());
                if (collected != null) {
                    PushgateException error = message.hasNonNull(MessageType.ERROR) ? Requests.error(message.get(MessageType.ERROR)) : null;
                    collected.add(new SessionResponse(message.path("sessionId").asText(), error == null ? message.get("response") : null, error));
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** A request for one of this client's handlers or streams, answered off the reading thread. */
    private void answerRequest(JsonNode message) {
        String rid = message.path("rid").asText();
        boolean toHandler = message.hasNonNull("handler");
        String registration = toHandler ? message.path("handler").asText() : message.path("stream").asText();
        RequestHandler handler = (toHandler ? requestHandlers : requestStreams).get(registration);
        MessageRequest request = new MessageRequest(message.path("path").asText(), registration, message.get("request"),
                message.hasNonNull("sessionId") ? message.get("sessionId").asText() : null, message.path("principal").asText());
        threads.complete(() -> {
            CompletionStage<?> answer;
            try {
                answer = handler == null ? CompletableFuture.failedFuture(new IllegalStateException("no handler for " + registration))
                        : handler.onRequest(request);
            } catch (RuntimeException e) {
                answer = CompletableFuture.failedFuture(e);
            }
            answer.whenComplete((response, error) -> {
                ObjectNode reply = Json.MAPPER.createObjectNode().put("rid", rid);
                if (error == null) {
                    reply.put(Field.OP, Op.RESPOND);
                    reply.set("response", Values.toNode(response));
                } else {
                    Throwable cause = Causes.unwrap(error);
                    reply.put(Field.OP, Op.REJECT).put(Field.MESSAGE, cause.getMessage() == null ? cause.toString() : cause.getMessage());
                }
                calls.request(reply).whenComplete((ok, failed) -> {
                    if (failed != null) {
                        LOG.log(Level.DEBUG, "the answer to {0} was not taken: {1}", rid, failed.getMessage());
                    }
                });
            });
        });
    }
}
