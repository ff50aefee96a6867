package io.pushgate.gateway.messaging;

import static io.pushgate.protocol.message.RequestFields.required;
import static io.pushgate.protocol.message.RequestFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.gateway.sessions.Frame;
import io.pushgate.gateway.sessions.Messages;
import io.pushgate.gateway.sessions.RequestDispatcher;
import io.pushgate.gateway.sessions.Session;
import io.pushgate.protocol.Causes;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.ProtocolException;
import io.pushgate.protocol.message.MessageType;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * The messaging ops of the WebSocket (extensions of the contract, in {@code docs/protocol.md}):
 * {@code addRequestHandler}, {@code removeRequestHandler}, {@code addRequestStream},
 * {@code removeRequestStream}, {@code sendRequest}, {@code sendToSession}, {@code respond} and
 * {@code reject}. Runs on the session's event loop, as {@link RequestDispatcher} does.
 */
public final class MessagingRequests implements RequestDispatcher.Extension {

    static final Set<String> OPS = Set.of("addRequestHandler", "removeRequestHandler", "addRequestStream", "removeRequestStream",
            "sendRequest", "sendToSession", "sendToFilter", "respond", "reject");

    private final Messaging messaging;

    public MessagingRequests(Messaging messaging) {
        this.messaging = messaging;
    }

    @Override
    public boolean handles(String op) {
        return OPS.contains(op);
    }

    @Override
    public void handle(Session session, String op, JsonNode id, JsonNode request) {
        switch (op) {
            case "addRequestHandler" -> {
                // ok once the registry has it: from then on, requests from every replica reach this handler.
                // Refused by the registry (Redis unreachable): not registered here either, so that ok means registered.
                String path = text(request, "path");
                messaging.addHandler(session, session.access(), path).whenCompleteAsync((v, error) -> {
                    if (error == null) {
                        session.send(Messages.frame(Messages.ok(id)));
                        return;
                    }
                    messaging.removeHandler(session, path);
                    session.send(errorFrame(id, new ProtocolException(ErrorCode.UNAVAILABLE, "the handler registry cannot be written: "
                            + Causes.unwrap(error).getMessage())));
                }, session.executor());
            }
            case "removeRequestHandler" -> {
                boolean removed = messaging.removeHandler(session, text(request, "path"));
                ObjectNode ok = Messages.ok(id);
                ok.put("removed", removed);
                session.send(Messages.frame(ok));
            }
            case "addRequestStream" -> {
                messaging.addRequestStream(session, text(request, "path"));
                ObjectNode ok = Messages.ok(id);
                ok.put("sessionId", messaging.sessionId(session));
                session.send(Messages.frame(ok));
            }
            case "removeRequestStream" -> {
                boolean removed = messaging.removeRequestStream(session, text(request, "path"));
                ObjectNode ok = Messages.ok(id);
                ok.put("removed", removed);
                session.send(Messages.frame(ok));
            }
            case "sendRequest" -> {
                String path = text(request, "path");
                reply(session, id, path, messaging.sendToHandler(session.access(), messaging.caller(session), path,
                        required(request, "request"), timeout(request)));
            }
            case "sendToSession" -> {
                String path = text(request, "path");
                reply(session, id, path, messaging.sendToSession(session.access(), messaging.caller(session), text(request, "sessionId"),
                        path, required(request, "request"), timeout(request)));
            }
            case "sendToFilter" -> {
                // Each target's answer as a filterResponse (carrying the request's id in "for", so that it is
                // not taken for the reply), then the reply: ok with the counts. The frames leave through one
                // queue in the order they were made: the session's executor runs a task at once when it is
                // called on the session's own loop, so an ok made there would otherwise overtake an answer
                // that another loop had handed over a moment before (and the client would miss that answer).
                String path = text(request, "path");
                java.util.Queue<Frame> outgoing = new java.util.concurrent.ConcurrentLinkedQueue<>();
                Runnable sendQueued = () -> {
                    for (Frame frame = outgoing.poll(); frame != null; frame = outgoing.poll()) {
                        session.send(frame);
                    }
                };
                messaging.sendToFilter(session.access(), messaging.caller(session), text(request, "filter"), path,
                        required(request, "request"), timeout(request), answer -> {
                            outgoing.add(Messages.frame(filterResponse(id, path, answer)));
                            session.executor().execute(sendQueued);
                        }).whenComplete((outcome, error) -> {
                    if (error != null) {
                        outgoing.add(errorFrame(id, Causes.unwrap(error)));
                    } else {
                        ObjectNode ok = Messages.ok(id);
                        ok.put("count", outcome.count());
                        ok.put("responses", outcome.responses());
                        ok.put("errors", outcome.errors());
                        outgoing.add(Messages.frame(ok));
                    }
                    session.executor().execute(sendQueued);
                });
            }
            case "respond" -> {
                messaging.respond(session, text(request, "rid"), required(request, "response"));
                session.send(Messages.frame(Messages.ok(id)));
            }
            case "reject" -> {
                JsonNode message = request.get("message");
                messaging.reject(session, text(request, "rid"), message == null || message.isNull() ? "rejected" : message.asText());
                session.send(Messages.frame(Messages.ok(id)));
            }
            default -> throw ProtocolException.invalid("unknown op '" + op + "'");
        }
    }

    /** {@code response} with the value (and the answering session's id), or an {@code error} with the reason, on the session's loop. */
    private static void reply(Session session, JsonNode id, String path, CompletionStage<Messaging.Response> answer) {
        answer.whenCompleteAsync((response, error) -> {
            if (error != null) {
                session.send(errorFrame(id, Causes.unwrap(error)));
                return;
            }
            ObjectNode reply = Messages.message(MessageType.RESPONSE, id);
            reply.put("path", path);
            if (response.sessionId() != null) {
                reply.put("sessionId", response.sessionId());
            }
            reply.set("response", response.value());
            session.send(Messages.frame(reply));
        }, session.executor());
    }

    /** {@code {"type":"filterResponse", "for": <id>, path, sessionId, response | error: {code, reason?, message}}}. */
    static ObjectNode filterResponse(JsonNode id, String path, Messaging.TargetAnswer answer) {
        ObjectNode node = Messages.message(MessageType.FILTER_RESPONSE, null);
        if (id != null && !id.isNull()) {
            node.set("for", id);
        }
        node.put("path", path);
        node.put("sessionId", answer.sessionId());
        if (answer.error() == null) {
            node.set("response", answer.response());
        } else {
            node.set("error", errorJson(answer.error()));
        }
        return node;
    }

    /** {@code {code, reason?, message}} of a failure. */
    public static ObjectNode errorJson(ProtocolException error) {
        ObjectNode node = io.pushgate.protocol.Json.MAPPER.createObjectNode();
        node.put("code", error.code().name());
        if (error instanceof MessagingException me) {
            node.put("reason", me.reason().name());
        }
        node.put("message", error.getMessage());
        return node;
    }

    /** An {@code error} with the code and message of the contract and, for a messaging failure, its {@code reason}. */
    static Frame errorFrame(JsonNode id, Throwable error) {
        ObjectNode node = Messages.message(MessageType.ERROR, id);
        if (error instanceof ProtocolException pe) {
            node.put("code", pe.code().name());
            node.put("message", pe.getMessage());
            if (pe instanceof MessagingException me) {
                node.put("reason", me.reason().name());
            }
        } else {
            node.put("code", ErrorCode.UNAVAILABLE.name());
            node.put("message", "internal error: " + error.getClass().getSimpleName());
        }
        return Messages.frame(node);
    }

    private static Long timeout(JsonNode request) {
        JsonNode node = request.get("timeout");
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw ProtocolException.invalid("field 'timeout' must be an integer (milliseconds)");
        }
        return node.longValue();
    }
}
