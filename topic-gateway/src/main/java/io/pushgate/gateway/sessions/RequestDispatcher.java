package io.pushgate.gateway.sessions;

import static io.pushgate.protocol.message.RequestFields.longField;
import static io.pushgate.protocol.message.RequestFields.optionalText;
import static io.pushgate.protocol.message.RequestFields.required;
import static io.pushgate.protocol.message.RequestFields.text;

import io.pushgate.protocol.Causes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.gateway.security.Authenticator;
import io.pushgate.gateway.selectors.TopicSelector;
import io.pushgate.gateway.timeseries.RangeQuery;
import io.pushgate.gateway.operations.TopicService;
import io.pushgate.gateway.topics.TopicSpec;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.ProtocolException;
import io.pushgate.protocol.RequestIdScanner;
import io.pushgate.protocol.TopicPath;
import io.pushgate.protocol.delta.DeltaFormat;
import io.pushgate.protocol.message.Field;
import io.pushgate.protocol.message.MessageType;
import io.pushgate.protocol.message.Op;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * Turns the client's request frames into operations and answers each with {@code ok} or
 * {@code error}, carrying the request's {@code id}. A bad frame gets an error and the
 * connection goes on: nothing a client sends can end another client's connection.
 *
 * <p>Runs on the session's event loop; asynchronous replies come back to it.
 */
public final class RequestDispatcher {

    private static final Logger LOG = Logger.getLogger(RequestDispatcher.class);

    private final TopicService topics;
    private final GatewayStats stats;
    private final int maxFrameBytes;
    private final Authenticator authenticator;
    private final int maxJsonDepth;

    public RequestDispatcher(TopicService topics, GatewayStats stats, int maxFrameBytes, int maxJsonDepth, Authenticator authenticator) {
        this.topics = topics;
        this.stats = stats;
        this.maxFrameBytes = maxFrameBytes;
        this.maxJsonDepth = maxJsonDepth;
        this.authenticator = authenticator;
    }

    /** Handles one text frame from the client. */
    public void handle(Session session, String text) {
        if (isTooLarge(text)) {
            tooLarge(session, RequestIdScanner.idOf(text));
            return;
        }
        stats.requests.increment();
        // A plain set is read without a tree (SetFrameReader); every other frame is parsed whole.
        SetFrameReader.SetFrame set = SetFrameReader.read(text, maxJsonDepth);
        JsonNode request = null;
        JsonNode id;
        if (set != null) {
            id = set.id();
        } else {
            try {
                request = Json.parse(text, maxJsonDepth);
            } catch (ProtocolException e) {
                // Refused as a whole (not JSON, too deep...), but answered with its id when it has one.
                fail(session, RequestIdScanner.idOf(text), ProtocolException.invalid("frame is " + e.getMessage()));
                return;
            }
            if (!request.isObject()) {
                fail(session, null, ProtocolException.invalid("a request is a JSON object with an \"op\""));
                return;
            }
            id = request.get(Field.ID);
        }
        if (!session.allowRequest()) {
            fail(session, id, new ProtocolException(ErrorCode.RATE_LIMITED, "too many requests: slow down"));
            return;
        }
        try {
            if (set != null) {
                plainSet(session, set);
            } else {
                dispatch(session, id, request);
            }
        } catch (ProtocolException e) {
            fail(session, id, e);
        } catch (RuntimeException e) {
            LOG.warn("request failed: " + abbreviate(text), e);
            fail(session, id, new ProtocolException(ErrorCode.UNAVAILABLE, "internal error: " + e.getClass().getSimpleName()));
        }
    }

    /**
     * A plain set ({@link SetFrameReader}): what {@code dispatch} does for a set, with the value's
     * text taken from the frame as it is, already canonical.
     */
    private void plainSet(Session session, SetFrameReader.SetFrame set) {
        JsonNode id = set.id();
        write(session, id, () -> topics.setCanonicalJson(session.access(), set.topic(), set.value(),
                set.spec() == null ? null : TopicSpec.parse(set.spec()), set.ifSeq(), session.writeOrder()),
                seq -> Messages.okSeq(id, seq));
    }

    private void dispatch(Session session, JsonNode id, JsonNode request) {
        String op = text(request, Field.OP);
        switch (op) {
            case Op.PING -> session.send(Messages.frame(Messages.message(MessageType.PONG, id)));
            case Op.AUTH -> {
                // A first frame with credentials, or a fresh token before the old one expires.
                // A refused token changes nothing: the session keeps the rights it had.
                String token = text(request, Field.TOKEN);
                authenticator.authenticate(token).whenCompleteAsync((credentials, error) -> {
                    if (error != null) {
                        fail(session, id, Causes.unwrap(error));
                        return;
                    }
                    session.authenticated(credentials);
                    ObjectNode ok = Messages.ok(id);
                    ok.put(Field.PRINCIPAL, credentials.principal());
                    ArrayNode roles = ok.putArray(Field.ROLES);
                    credentials.roles().forEach(roles::add);
                    if (credentials.expiresAt() != null) {
                        ok.put(Field.EXPIRES_AT, credentials.expiresAt().toString());
                    }
                    session.send(Messages.frame(ok));
                }, session.executor());
            }
            case Op.SUBSCRIBE -> {
                TopicSelector selector = selector(request);
                session.resumeFrom(positions(request.get(Field.SINCE)));
                // tids (an extension): the topics already subscribed that this selector matches too,
                // which get no new subscription message.
                session.send(Messages.subscribed(id, session.subscribedTidsMatching(selector)));
                session.subscribe(selector, text(request, Field.SELECTOR));
            }
            case Op.APPEND -> write(session, id, () ->
                    topics.append(session.access(), session.principal(), text(request, Field.TOPIC), required(request, Field.VALUE), session.writeOrder()),
                    seq -> Messages.okSeq(id, seq));
            case Op.EDIT -> write(session, id, () ->
                    topics.edit(session.access(), session.principal(), text(request, Field.TOPIC), longField(request, Field.SEQ, true),
                            required(request, Field.VALUE), session.writeOrder()),
                    seq -> Messages.okSeq(id, seq));
            case Op.RANGE -> {
                String topic = text(request, Field.TOPIC);
                RangeQuery query = RangeQuery.of(longField(request, Field.FROM_LAST, false), longField(request, Field.FROM, false),
                        optionalText(request, Field.FROM_TIME), longField(request, Field.TO, false),
                        request.hasNonNull(Field.LIMIT) ? (int) Math.min(Integer.MAX_VALUE, longField(request, Field.LIMIT, true)) : null,
                        optionalText(request, Field.VIEW));
                topics.range(session.access(), topic, query).whenCompleteAsync((events, error) -> {
                    if (error != null) {
                        fail(session, id, Causes.unwrap(error));
                        return;
                    }
                    ObjectNode reply = Messages.message(MessageType.RANGE, id);
                    reply.put(Field.TOPIC, topic);
                    ArrayNode list = reply.putArray(Field.EVENTS);
                    events.forEach(e -> list.add(e.toJson()));
                    session.send(Messages.frame(reply));
                }, session.executor());
            }
            case Op.UNSUBSCRIBE -> {
                TopicSelector selector = selector(request);
                session.send(Messages.frame(Messages.ok(id)));
                session.unsubscribe(selector);
            }
            case Op.FETCH -> fetch(session, id, request);
            case Op.ADD -> write(session, id, () -> {
                if (!session.mayAddTopic()) {
                    throw new ProtocolException(ErrorCode.RATE_LIMITED, "this session has added as many topics as it may");
                }
                return topics.add(session.access(), text(request, Field.TOPIC), TopicSpec.parse(required(request, Field.SPEC)), session.writeOrder());
            }, created -> {
                if (created) {
                    session.topicAdded();
                }
                ObjectNode ok = Messages.ok(id);
                ok.put(Field.RESULT, created ? "CREATED" : "EXISTS");
                return Messages.frame(ok);
            });
            case Op.SET -> write(session, id, () -> {
                JsonNode spec = request.get(Field.SPEC);
                JsonNode ifSeq = request.get(Field.IF_SEQ);
                if (ifSeq != null && !ifSeq.isNull() && !ifSeq.canConvertToLong()) {
                    throw ProtocolException.invalid("ifSeq must be an integer");
                }
                return topics.set(session.access(), text(request, Field.TOPIC), required(request, Field.VALUE),
                        spec == null || spec.isNull() ? null : TopicSpec.parse(spec),
                        ifSeq == null || ifSeq.isNull() ? null : ifSeq.longValue(), session.writeOrder());
            }, seq -> Messages.okSeq(id, seq));
            case Op.REMOVE -> write(session, id, () -> topics.remove(session.access(), selector(request), session.writeOrder()), removed -> {
                ObjectNode ok = Messages.ok(id);
                ok.put(Field.REMOVED, removed);
                return Messages.frame(ok);
            });
            default -> {
                Extension extension = messaging;
                if (extension != null && extension.handles(op)) {
                    extension.handle(session, op, id, request);
                    return;
                }
                if (!sessionOp(session, id, op, request)) {
                    throw ProtocolException.invalid("unknown op '" + abbreviate(op)
                            + "': expected auth, subscribe, unsubscribe, fetch, add, set, append, edit, range, remove or ping");
                }
            }
        }
    }

    // ------------------------------------------------------------------ extensions (messaging)

    /** Ops of a feature outside this class (request/response messaging): tried for an op this class does not know. */
    public interface Extension {
        boolean handles(String op);

        /** Handles the request; a {@link ProtocolException} it throws is answered as an error with the request's id. */
        void handle(Session session, String op, JsonNode id, JsonNode request);
    }

    private volatile Extension messaging;

    /** Adds the messaging ops. */
    public void messaging(Extension ops) {
        this.messaging = ops;
    }

    // ---- session control ops (issue 18): listSessions, closeSessions, setSessionProperties, subscribeSessions, unsubscribeSessions

    /**
     * The session control ops, as the dispatcher sees them: {@code control.SessionOps} implements it, so
     * that control depends on sessions and not the other way round (no package cycle).
     */
    public interface ControlOps {
        boolean handles(String op);

        /** Runs {@code op} for {@code caller}: the fields of the answer ({@code sessions} for a listing, else {@code ok}). */
        java.util.concurrent.CompletionStage<ObjectNode> run(String op, io.pushgate.gateway.security.Access caller, JsonNode request);
    }

    private ControlOps sessionOps;

    /** Turns the session control ops on (the gateway's core does; core tests run without them). */
    public void sessionOps(ControlOps ops) {
        this.sessionOps = ops;
    }

    /** Runs a session control op; false if {@code op} is not one. The answer is {@code sessions} for listSessions, else {@code ok}. */
    private boolean sessionOp(Session session, JsonNode id, String op, JsonNode request) {
        if (sessionOps == null || !sessionOps.handles(op)) {
            return false;
        }
        sessionOps.run(op, session.access(), request).whenCompleteAsync((answer, error) -> {
            if (error != null) {
                fail(session, id, Causes.unwrap(error));
                return;
            }
            ObjectNode reply = Messages.message(op.equals(Op.LIST_SESSIONS) ? MessageType.SESSIONS : MessageType.OK, id);
            reply.setAll(answer);
            session.send(Messages.frame(reply));
        }, session.executor());
        return true;
    }

    /** Over the limit in UTF-8 bytes; a frame of at most a third of it in chars cannot be, so most are not encoded to count. */
    private boolean isTooLarge(String text) {
        return text.length() > maxFrameBytes
                || (text.length() > maxFrameBytes / 3 && text.getBytes(StandardCharsets.UTF_8).length > maxFrameBytes);
    }

    /** Answers a request over the size limit with TOO_LARGE, carrying its id ({@link RequestIdScanner}) when it has one. */
    public void tooLarge(Session session, JsonNode id) {
        stats.requests.increment();
        fail(session, id, new ProtocolException(ErrorCode.TOO_LARGE, "frame larger than " + maxFrameBytes + " bytes"));
    }

    /** The largest request, in bytes, that is read. */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    private void fetch(Session session, JsonNode id, JsonNode request) {
        TopicSelector selector = selector(request);
        JsonNode withValuesNode = request.get(Field.WITH_VALUES);
        boolean withValues = withValuesNode == null || withValuesNode.isNull() || withValuesNode.asBoolean(true);
        ObjectNode reply = Messages.message(MessageType.FETCH, id);
        ArrayNode results = reply.putArray(Field.RESULTS);
        for (TopicService.Fetched f : topics.fetch(session.access(), selector, withValues)) {
            ObjectNode result = fetchedJson(f);
            if (session.format() == DeltaFormat.FOSSIL && f.value() != null && f.value().isTextual()) {
                // The exact text the gateway diffs, so a fossil client can resync from a fetch.
                result.put(Field.TEXT, f.value().text());
            }
            results.add(result);
        }
        session.send(Messages.frame(reply));
    }

    /** The JSON of a fetched topic: {@code {topic, spec, seq, value}}; REST uses the same. */
    public static ObjectNode fetchedJson(TopicService.Fetched f) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put(Field.TOPIC, f.path());
        node.set(Field.SPEC, f.spec().toJson());
        node.put(Field.SEQ, f.seq());
        if (f.value() != null) {
            node.set(Field.VALUE, f.value().json());
        }
        return node;
    }

    /**
     * A write: made now (so that it reaches the store in its turn), answered in its turn among the
     * session's writes ({@link ReplyOrder}), whether it is stored, refused by the store or refused
     * at once (a bad field).
     */
    private <T> void write(Session session, JsonNode id, java.util.function.Supplier<CompletionStage<T>> op,
                           java.util.function.Function<T, Frame> answer) {
        ReplyOrder.Slot slot = session.replies().reserve();
        CompletionStage<T> result;
        try {
            result = op.get();
        } catch (RuntimeException e) {
            result = java.util.concurrent.CompletableFuture.failedFuture(e);
        }
        result.whenCompleteAsync((value, error) -> slot.fill(error == null ? answer.apply(value) : errorFrame(id, Causes.unwrap(error))),
                session.executor());
    }

    private void fail(Session session, JsonNode id, Throwable error) {
        session.send(errorFrame(id, error));
    }

    private Frame errorFrame(JsonNode id, Throwable error) {
        stats.errors.increment();
        if (error instanceof ProtocolException pe) {
            return Messages.error(id, pe.code(), pe.getMessage());
        }
        LOG.warn("request failed", error);
        return Messages.error(id, ErrorCode.UNAVAILABLE, "internal error: " + error.getClass().getSimpleName());
    }


    /** {@code since}: an object of topic path to the last seq the client saw. */
    private static Map<String, Long> positions(JsonNode since) {
        if (since == null || since.isNull()) {
            return Map.of();
        }
        if (!since.isObject()) {
            throw ProtocolException.invalid("since must be an object of topic path to the last seq seen");
        }
        Map<String, Long> positions = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = since.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            TopicPath.validate(e.getKey());
            if (!e.getValue().canConvertToLong() || !e.getValue().isIntegralNumber() || e.getValue().longValue() < 0) {
                throw ProtocolException.invalid("since." + e.getKey() + " must be a seq (0 or more)");
            }
            positions.put(e.getKey(), e.getValue().longValue());
        }
        return positions;
    }

    private static TopicSelector selector(JsonNode request) {
        return TopicSelector.parse(text(request, Field.SELECTOR));
    }

    private static String abbreviate(String s) {
        return s.length() <= 100 ? s : s.substring(0, 97) + "...";
    }

}
