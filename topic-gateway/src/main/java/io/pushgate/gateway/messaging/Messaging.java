package io.pushgate.gateway.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.gateway.security.Access;
import io.pushgate.protocol.GlobalPermission;
import io.pushgate.gateway.sessions.Hub;
import io.pushgate.gateway.sessions.Messages;
import io.pushgate.gateway.sessions.Session;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.ProtocolException;
import io.pushgate.protocol.TopicPath;
import io.pushgate.protocol.message.MessageType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;
import java.util.random.RandomGenerator;

/**
 * Request/response messaging between sessions (Diffusion's messaging): a session registers a
 * <em>request handler</em> for a path, and any session with the right sends a request to the
 * path and gets the response of one handler; a session also sets a <em>request stream</em> for
 * a path, and others send requests to it by its session id.
 *
 * <p>Every request is in two bounded tables until it is answered, refused or its deadline passes:
 * {@link #waiting} on the sender's replica (owned by the sender) and {@link #delivered} on the
 * replica of the session it was delivered to (owned by that session). A handler that never
 * answers holds an entry only until the deadline; one that disconnects fails its requests at once
 * ({@link MessagingException.Reason#HANDLER_GONE}). Requests and answers between replicas go
 * through the {@link Router} (Redis: each replica's own inbox channel), those within one replica
 * directly.
 *
 * <p>Threading: called from many event loops and the router's; the tables are guarded by this
 * object's lock, and frames reach a session on its own event loop.
 */
public final class Messaging {

    private static final Logger LOG = Logger.getLogger(Messaging.class);

    /** The port to the other replicas. */
    public interface Router {
        /**
         * Hands a message to the replica's inbox. Completes with false when no replica listens
         * there (it is gone): at most once, never twice, in order per sender.
         */
        CompletionStage<Boolean> send(String replica, String message);

        /** For each of the paths that has live handlers anywhere, the replicas that hold them. */
        CompletionStage<Map<String, Set<String>>> handlers(List<String> paths);

        /** This replica now has a handler for the path (it had none); completes once every replica can see it. */
        CompletionStage<Void> handlerAdded(String path);

        /** This replica no longer has a handler for the path. */
        void handlerRemoved(String path);
    }

    /** The limits; each is configuration ({@code gateway.messaging.*}). */
    public record Limits(int maxPendingPerSession, int maxUnansweredPerSession, int maxPending, int maxHandlersPerSession,
                         int maxRequestBytes, int maxResponseBytes, long defaultTimeoutMillis, long maxTimeoutMillis, int maxFilterTargets) {
    }

    /** The port to the sessions of every replica (the session directory), for requests to a session filter. */
    public interface SessionFinder {
        /**
         * The ids of the sessions the filter selects, on every replica. Throws at once for a filter
         * that does not parse ({@code INVALID}) or a caller without VIEW_SESSION.
         */
        CompletionStage<List<String>> matching(Access access, String filter);
    }

    /** One target's answer to a request sent to a session filter: its response, or why there is none. */
    public record TargetAnswer(String sessionId, JsonNode response, ProtocolException error) {
    }

    /** A request to a filter, done: how many sessions it went to, how many answered, how many failed. */
    public record FilterOutcome(int count, int responses, int errors) {
    }

    /**
     * Who sends a request: {@code owner} is what its waiting requests are counted under (a session,
     * or a REST principal), {@code sessionId} its session id (null over REST), {@code principal} its
     * principal; the handler sees the last two.
     */
    public record Caller(String owner, String sessionId, String principal) {
    }

    /** A response: the value, and the session id of the session that answered a request sent to a session (null for a handler's). */
    public record Response(JsonNode value, String sessionId) {
    }

    private record Waiting(CompletableFuture<Response> answer, String target, long timeoutMillis) {
    }

    private record Delivered(String origin, long session, String handlerPath) {
    }

    /** A session of this replica that has handlers or request streams. */
    private static final class Local {
        final Session session;
        final Set<String> handlerPaths = new LinkedHashSet<>();
        final Set<String> streams = new HashSet<>();

        Local(Session session) {
            this.session = session;
        }
    }

    private final String replica;
    private final Router router;
    private final Limits limits;
    private final LongSupplier clockMillis;
    private final RandomGenerator random;
    private final AtomicLong requestIds = new AtomicLong();
    private final Map<String, List<Session>> handlers = new HashMap<>();
    private final Map<String, Integer> turns = new HashMap<>();
    /** Per path with handlers here, when the registry had it (what a later handler of the path waits for too). */
    private final Map<String, CompletionStage<Void>> registered = new HashMap<>();
    private final Map<Long, Local> locals = new HashMap<>();
    private final Map<Long, Session> sessions = new HashMap<>();
    private final PendingRequests<Waiting> waiting;
    private final PendingRequests<Delivered> delivered;

    public Messaging(String replica, Router router, Limits limits, LongSupplier clockMillis, RandomGenerator random) {
        this.replica = replica;
        this.router = router;
        this.limits = limits;
        this.clockMillis = clockMillis;
        this.random = random;
        this.waiting = new PendingRequests<>(limits.maxPendingPerSession(), limits.maxPending());
        this.delivered = new PendingRequests<>(limits.maxUnansweredPerSession(), limits.maxPending());
    }

    public String replica() {
        return replica;
    }

    private volatile SessionFinder finder;

    /** Requests to session filters go to the sessions this finds (none is set: sendToFilter is UNAVAILABLE). */
    public void sessionFinder(SessionFinder finder) {
        this.finder = finder;
    }

    public Limits limits() {
        return limits;
    }

    /** The session's id across replicas. */
    public String sessionId(Session session) {
        return new SessionAddress(replica, session.id()).toString();
    }

    /** What a session's own requests are counted under. */
    public static String owner(Session session) {
        return "session-" + session.id();
    }

    public Caller caller(Session session) {
        return new Caller(owner(session), sessionId(session), session.principal());
    }

    // ------------------------------------------------------------------ sessions of this replica

    /** The hub's listener that keeps this in step with the sessions: {@link #sessionOpened}, {@link #sessionClosed}. */
    public Hub.SessionListener sessionListener() {
        return new Hub.SessionListener() {
            @Override
            public void opened(Session session) {
                sessionOpened(session);
            }

            @Override
            public void closed(Session session) {
                sessionClosed(session);
            }
        };
    }

    /** A session opened on this replica: requests sent to its id may reach it. */
    public synchronized void sessionOpened(Session session) {
        sessions.put(session.id(), session);
    }

    /**
     * A session closed: its handlers and streams go, the requests delivered to it fail at once
     * (handler gone), and the requests it sent are forgotten (their answers have nowhere to go).
     */
    public void sessionClosed(Session session) {
        List<PendingRequests.Entry<Delivered>> unanswered;
        List<PendingRequests.Entry<Waiting>> unsent;
        List<String> emptied = new ArrayList<>();
        synchronized (this) {
            sessions.remove(session.id());
            Local local = locals.remove(session.id());
            if (local != null) {
                for (String path : local.handlerPaths) {
                    if (removeLocalHandler(path, session)) {
                        emptied.add(path);
                    }
                }
            }
            unanswered = delivered.removeOwner(owner(session));
            unsent = waiting.removeOwner(owner(session));
        }
        emptied.forEach(router::handlerRemoved);
        for (PendingRequests.Entry<Delivered> e : unanswered) {
            boolean toHandler = e.value().handlerPath() != null;
            answerError(e.value().origin(), e.id(), toHandler ? MessagingException.Reason.HANDLER_GONE : MessagingException.Reason.SESSION_GONE,
                    toHandler ? "the handler's session closed before it answered" : "the session closed before it answered");
        }
        unsent.forEach(e -> e.value().answer().completeExceptionally(
                new MessagingException(MessagingException.Reason.SESSION_GONE, "the sending session closed")));
    }

    // ------------------------------------------------------------------ handlers and streams

    /**
     * Registers the session as a handler of requests sent to the path and its descendants; needs
     * REGISTER_HANDLER. Completes once requests from every replica can reach it (the registry has it).
     */
    public CompletionStage<Void> addHandler(Session session, Access access, String path) {
        TopicPath.validate(path);
        if (!access.hasGlobal(GlobalPermission.REGISTER_HANDLER)) {
            throw new ProtocolException(ErrorCode.PERMISSION_DENIED, "registering a request handler needs REGISTER_HANDLER");
        }
        boolean first;
        synchronized (this) {
            Local local = locals.computeIfAbsent(session.id(), id -> new Local(session));
            if (local.handlerPaths.contains(path)) {
                return registered.getOrDefault(path, CompletableFuture.completedFuture(null));
            }
            if (local.handlerPaths.size() >= limits.maxHandlersPerSession()) {
                throw new ProtocolException(ErrorCode.RATE_LIMITED, "at most " + limits.maxHandlersPerSession() + " request handlers per session");
            }
            local.handlerPaths.add(path);
            List<Session> list = handlers.computeIfAbsent(path, p -> new ArrayList<>());
            first = list.isEmpty();
            list.add(session);
            if (!first) {
                return registered.getOrDefault(path, CompletableFuture.completedFuture(null));
            }
        }
        CompletionStage<Void> done = router.handlerAdded(path);
        synchronized (this) {
            if (handlers.containsKey(path)) {
                registered.put(path, done);
            }
        }
        return done;
    }

    /** Removes the session's handler for the path; requests delivered to it and not answered fail (handler gone). False if it had none. */
    public boolean removeHandler(Session session, String path) {
        List<PendingRequests.Entry<Delivered>> failed = new ArrayList<>();
        boolean emptied;
        synchronized (this) {
            Local local = locals.get(session.id());
            if (local == null || !local.handlerPaths.remove(path)) {
                return false;
            }
            emptied = removeLocalHandler(path, session);
            for (PendingRequests.Entry<Delivered> e : delivered.removeOwner(owner(session))) {
                if (path.equals(e.value().handlerPath())) {
                    failed.add(e);
                } else {
                    delivered.add(e.id(), e.owner(), e.deadline(), e.value());
                }
            }
        }
        if (emptied) {
            router.handlerRemoved(path);
        }
        failed.forEach(e -> answerError(e.value().origin(), e.id(), MessagingException.Reason.HANDLER_GONE,
                "the handler was removed before it answered"));
        return true;
    }

    /** True when the path has no handler on this replica any more. */
    private boolean removeLocalHandler(String path, Session session) {
        List<Session> list = handlers.get(path);
        if (list == null) {
            return false;
        }
        list.remove(session);
        if (list.isEmpty()) {
            handlers.remove(path);
            turns.remove(path);
            registered.remove(path);
            return true;
        }
        return false;
    }

    /** Lets requests sent to this session's id for the path (and its descendants) reach it. No permission needed (as Diffusion). */
    public void addRequestStream(Session session, String path) {
        TopicPath.validate(path);
        synchronized (this) {
            Local local = locals.computeIfAbsent(session.id(), id -> new Local(session));
            if (!local.streams.contains(path) && local.streams.size() >= limits.maxHandlersPerSession()) {
                throw new ProtocolException(ErrorCode.RATE_LIMITED, "at most " + limits.maxHandlersPerSession() + " request streams per session");
            }
            local.streams.add(path);
        }
    }

    public synchronized boolean removeRequestStream(Session session, String path) {
        Local local = locals.get(session.id());
        return local != null && local.streams.remove(path);
    }

    // ------------------------------------------------------------------ sending

    /**
     * Sends a request to the handler of the path (or of its nearest ancestor with one); needs
     * SEND_TO_MESSAGE_HANDLER on the path. Completes with the handler's response or fails with a
     * {@link MessagingException}; refused at once ({@link ProtocolException}) when invalid, too
     * large, not permitted or over the sender's limit.
     */
    public CompletionStage<Response> sendToHandler(Access access, Caller caller, String path, JsonNode request, Long timeoutMillis) {
        TopicPath.validate(path);
        if (!access.canSendToHandler(path)) {
            throw new ProtocolException(ErrorCode.PERMISSION_DENIED, "may not send requests to the handlers of " + path);
        }
        checkSize(request, limits.maxRequestBytes(), "request");
        long timeout = timeout(timeoutMillis);
        String rid = nextRequestId();
        CompletableFuture<Response> answer = new CompletableFuture<>();
        await(rid, caller, timeout, new Waiting(answer, null, timeout));
        ObjectNode message = requestMessage(rid, path, caller, request, timeout);
        boolean here;
        synchronized (this) {
            here = handlers.containsKey(path);
        }
        if (here) {
            // The most specific registration there can be, on this replica: no need to ask the registry.
            message.put("handler", path);
            deliver(message);
            return answer;
        }
        List<String> candidates = HandlerRouting.pathAndAncestors(path);
        router.handlers(candidates).whenComplete((remote, error) -> {
            if (error != null) {
                fail(rid, new ProtocolException(ErrorCode.UNAVAILABLE, "the handler registry cannot be read: " + error.getMessage()));
                return;
            }
            Map<String, Set<String>> all = new HashMap<>(remote);
            synchronized (this) {
                for (String candidate : candidates) {
                    if (handlers.containsKey(candidate)) {
                        all.computeIfAbsent(candidate, c -> new HashSet<>()).add(replica);
                    }
                }
            }
            var choice = HandlerRouting.choose(path, all, replica, random);
            if (choice.isEmpty()) {
                fail(rid, new MessagingException(MessagingException.Reason.NO_HANDLER, "no handler for " + path));
                return;
            }
            message.put("handler", choice.get().handlerPath());
            route(choice.get().replica(), message, MessagingException.Reason.HANDLER_GONE, "the handler's gateway is gone");
        });
        return answer;
    }

    /**
     * Sends a request to one session by its id, for its request stream of the path; needs
     * SEND_TO_SESSION on the path. The response carries the session's id.
     */
    public CompletionStage<Response> sendToSession(Access access, Caller caller, String sessionId, String path, JsonNode request,
                                                   Long timeoutMillis) {
        TopicPath.validate(path);
        if (!access.canSendToSession(path)) {
            throw new ProtocolException(ErrorCode.PERMISSION_DENIED, "may not send requests to sessions on " + path);
        }
        checkSize(request, limits.maxRequestBytes(), "request");
        return sendToSessionChecked(caller, sessionId, path, request, timeout(timeoutMillis));
    }

    /** sendToSession once the path, permission, size and timeout are checked. */
    private CompletionStage<Response> sendToSessionChecked(Caller caller, String sessionId, String path, JsonNode request, long timeout) {
        SessionAddress target = SessionAddress.parse(sessionId);
        String rid = nextRequestId();
        CompletableFuture<Response> answer = new CompletableFuture<>();
        await(rid, caller, timeout, new Waiting(answer, target.toString(), timeout));
        ObjectNode message = requestMessage(rid, path, caller, request, timeout);
        message.put("target", target.local());
        route(target.replica(), message, MessagingException.Reason.NO_SESSION, "no session " + target);
        return answer;
    }

    /**
     * Sends a request to every session the filter selects, on every replica (Diffusion's
     * sendRequestToFilter); needs SEND_TO_SESSION on the path and VIEW_SESSION. Each target's
     * response or failure goes to {@code each} (with its session id) as it comes; the stage
     * completes once every target has answered or failed (at the latest at the timeout). It counts
     * as one of the sender's awaited requests; its targets count against {@code max-pending}, and
     * a filter that selects more than {@code max-filter-targets} sessions is refused (TOO_LARGE).
     */
    public CompletionStage<FilterOutcome> sendToFilter(Access access, Caller caller, String filter, String path, JsonNode request,
                                                       Long timeoutMillis, java.util.function.Consumer<TargetAnswer> each) {
        TopicPath.validate(path);
        if (!access.canSendToSession(path)) {
            throw new ProtocolException(ErrorCode.PERMISSION_DENIED, "may not send requests to sessions on " + path);
        }
        if (!access.hasGlobal(GlobalPermission.VIEW_SESSION)) {
            throw new ProtocolException(ErrorCode.PERMISSION_DENIED, "sending to a session filter needs VIEW_SESSION");
        }
        SessionFinder sessions = finder;
        if (sessions == null) {
            throw new ProtocolException(ErrorCode.UNAVAILABLE, "session filters are not available on this gateway");
        }
        checkSize(request, limits.maxRequestBytes(), "request");
        long timeout = timeout(timeoutMillis);
        CompletionStage<List<String>> found = sessions.matching(access, filter);
        String rid = nextRequestId();
        await(rid, caller, timeout, new Waiting(new CompletableFuture<>(), null, timeout));
        CompletableFuture<FilterOutcome> done = new CompletableFuture<>();
        found.whenComplete((ids, error) -> {
            if (error != null || ids.size() > limits.maxFilterTargets() || ids.isEmpty()) {
                synchronized (this) {
                    waiting.remove(rid);
                }
                if (error != null) {
                    done.completeExceptionally(io.pushgate.protocol.Causes.unwrap(error));
                } else if (ids.isEmpty()) {
                    done.complete(new FilterOutcome(0, 0, 0));
                } else {
                    done.completeExceptionally(new ProtocolException(ErrorCode.TOO_LARGE, "the filter selects " + ids.size()
                            + " sessions, more than " + limits.maxFilterTargets()));
                }
                return;
            }
            java.util.concurrent.atomic.AtomicInteger left = new java.util.concurrent.atomic.AtomicInteger(ids.size());
            java.util.concurrent.atomic.AtomicInteger answered = new java.util.concurrent.atomic.AtomicInteger();
            for (int i = 0; i < ids.size(); i++) {
                String target = ids.get(i);
                // Each target's entry has an owner of its own: the filter as a whole is the sender's one request.
                Caller part = new Caller(rid + "/" + i, caller.sessionId(), caller.principal());
                CompletionStage<Response> one;
                try {
                    one = sendToSessionChecked(part, target, path, request, timeout);
                } catch (ProtocolException e) {
                    one = CompletableFuture.failedFuture(e);
                }
                one.whenComplete((response, failure) -> {
                    Throwable cause = failure == null ? null : io.pushgate.protocol.Causes.unwrap(failure);
                    ProtocolException pe = cause == null ? null : cause instanceof ProtocolException p ? p
                            : new ProtocolException(ErrorCode.UNAVAILABLE, "internal error: " + cause.getClass().getSimpleName());
                    if (pe == null) {
                        answered.incrementAndGet();
                    }
                    try {
                        each.accept(new TargetAnswer(target, pe == null ? response.value() : null, pe));
                    } finally {
                        if (left.decrementAndGet() == 0) {
                            synchronized (this) {
                                waiting.remove(rid);
                            }
                            done.complete(new FilterOutcome(ids.size(), answered.get(), ids.size() - answered.get()));
                        }
                    }
                });
            }
        });
        return done;
    }

    private void route(String to, ObjectNode message, MessagingException.Reason ifNobody, String why) {
        if (to.equals(replica)) {
            deliver(message);
            return;
        }
        String rid = message.get("rid").asText();
        router.send(to, Json.write(message)).whenComplete((received, error) -> {
            if (error != null) {
                fail(rid, new ProtocolException(ErrorCode.UNAVAILABLE, "the request could not be sent: " + error.getMessage()));
            } else if (!received) {
                fail(rid, new MessagingException(ifNobody, why));
            }
        });
    }

    private ObjectNode requestMessage(String rid, String path, Caller caller, JsonNode request, long timeout) {
        ObjectNode message = Json.MAPPER.createObjectNode();
        message.put("k", "req");
        message.put("rid", rid);
        message.put("origin", replica);
        message.put("path", path);
        message.put("timeout", timeout);
        if (caller.sessionId() != null) {
            message.put("sessionId", caller.sessionId());
        }
        message.put("principal", caller.principal());
        message.set("request", request);
        return message;
    }

    private void await(String rid, Caller caller, long timeout, Waiting entry) {
        PendingRequests.Refusal refusal;
        synchronized (this) {
            refusal = waiting.add(rid, caller.owner(), clockMillis.getAsLong() + timeout, entry);
        }
        switch (refusal) {
            case NONE -> { }
            case OWNER_FULL -> throw new ProtocolException(ErrorCode.RATE_LIMITED,
                    "at most " + limits.maxPendingPerSession() + " requests awaiting a response per session");
            default -> throw new ProtocolException(ErrorCode.RATE_LIMITED, "this gateway holds as many requests awaiting a response as it may");
        }
    }

    // ------------------------------------------------------------------ receiving

    /** A message from another replica's {@link Router#send} (or this one's): a request to deliver, or an answer. */
    public void received(String text) {
        JsonNode message;
        try {
            message = Json.parse(text);
        } catch (RuntimeException e) {
            LOG.warnv("a messaging message that is not JSON: {0}", abbreviate(text));
            return;
        }
        switch (message.path("k").asText()) {
            case "req" -> deliver(message);
            case "res" -> complete(message.path("rid").asText(), message.get("response"));
            case "err" -> fail(message.path("rid").asText(), error(message));
            default -> LOG.warnv("an unknown messaging message: {0}", abbreviate(text));
        }
    }

    private static ProtocolException error(JsonNode message) {
        String text = message.path("message").asText();
        try {
            return new MessagingException(MessagingException.Reason.valueOf(message.path("reason").asText()), text);
        } catch (IllegalArgumentException e) {
            ErrorCode code;
            try {
                code = ErrorCode.valueOf(message.path("code").asText());
            } catch (IllegalArgumentException unknown) {
                code = ErrorCode.UNAVAILABLE;
            }
            return new ProtocolException(code, text);
        }
    }

    /** A request to a session of this replica: a handler of {@code handler}, or the session {@code target}. */
    private void deliver(JsonNode message) {
        String rid = message.path("rid").asText();
        String origin = message.path("origin").asText();
        String path = message.path("path").asText();
        long deadline = clockMillis.getAsLong() + message.path("timeout").asLong();
        String handlerPath = message.hasNonNull("handler") ? message.get("handler").asText() : null;
        Session target;
        String stream = null;
        MessagingException refusal = null;
        synchronized (this) {
            if (handlerPath != null) {
                target = nextHandler(handlerPath);
                if (target == null) {
                    refusal = handlers.containsKey(handlerPath)
                            ? new MessagingException(MessagingException.Reason.BUSY, "every handler of " + handlerPath + " has as many unanswered requests as it may")
                            : new MessagingException(MessagingException.Reason.NO_HANDLER, "no handler for " + path);
                }
            } else {
                long id = message.path("target").asLong();
                target = sessions.get(id);
                Local local = locals.get(id);
                if (target == null) {
                    refusal = new MessagingException(MessagingException.Reason.NO_SESSION, "no session " + new SessionAddress(replica, id));
                } else if (local == null || (stream = nearest(local.streams, path)) == null) {
                    refusal = new MessagingException(MessagingException.Reason.NO_REQUEST_STREAM, "the session has no request stream for " + path);
                } else if (delivered.count(owner(target)) >= limits.maxUnansweredPerSession()) {
                    refusal = new MessagingException(MessagingException.Reason.BUSY, "the session has as many unanswered requests as it may");
                }
            }
            if (refusal == null && delivered.add(rid, owner(target), deadline, new Delivered(origin, target.id(), handlerPath))
                    != PendingRequests.Refusal.NONE) {
                refusal = new MessagingException(MessagingException.Reason.BUSY, "this gateway holds as many unanswered requests as it may");
            }
        }
        if (refusal != null) {
            answerError(origin, rid, refusal.reason(), refusal.getMessage());
            return;
        }
        ObjectNode frame = Messages.message(MessageType.REQUEST, null);
        frame.put("rid", rid);
        frame.put("path", path);
        if (handlerPath != null) {
            frame.put("handler", handlerPath);
        } else {
            frame.put("stream", stream);
        }
        if (message.hasNonNull("sessionId")) {
            frame.put("sessionId", message.get("sessionId").asText());
        }
        frame.put("principal", message.path("principal").asText());
        frame.set("request", message.get("request"));
        Session to = target;
        to.executor().execute(() -> to.send(Messages.frame(frame)));
    }

    /** The next handler of the path in turn that may take one more request; null if none. */
    private Session nextHandler(String path) {
        List<Session> list = handlers.get(path);
        if (list == null || list.isEmpty()) {
            return null;
        }
        int start = turns.getOrDefault(path, 0);
        for (int i = 0; i < list.size(); i++) {
            Session s = list.get((start + i) % list.size());
            if (delivered.count(owner(s)) < limits.maxUnansweredPerSession()) {
                turns.put(path, (start + i + 1) % list.size());
                return s;
            }
        }
        return null;
    }

    private static String nearest(Set<String> paths, String path) {
        for (String candidate : HandlerRouting.pathAndAncestors(path)) {
            if (paths.contains(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ answering

    /** The session's response to request {@code rid} delivered to it. */
    public void respond(Session session, String rid, JsonNode response) {
        checkSize(response, limits.maxResponseBytes(), "response");
        Delivered d = take(session, rid);
        ObjectNode message = Json.MAPPER.createObjectNode();
        message.put("k", "res");
        message.put("rid", rid);
        message.set("response", response);
        answer(d.origin(), rid, message);
    }

    /** The session answers request {@code rid} with an error: the sender gets REJECTED with the message. */
    public void reject(Session session, String rid, String text) {
        if (text.getBytes(StandardCharsets.UTF_8).length > limits.maxResponseBytes()) {
            throw new ProtocolException(ErrorCode.TOO_LARGE, "the message is larger than " + limits.maxResponseBytes() + " bytes");
        }
        Delivered d = take(session, rid);
        answerError(d.origin(), rid, MessagingException.Reason.REJECTED, text);
    }

    private Delivered take(Session session, String rid) {
        synchronized (this) {
            PendingRequests.Entry<Delivered> e = delivered.get(rid);
            if (e != null && e.value().session() == session.id()) {
                delivered.remove(rid);
                return e.value();
            }
        }
        throw new ProtocolException(ErrorCode.NOT_FOUND, "no request " + abbreviate(rid)
                + " awaits this session's answer (answered already, timed out, or never delivered here)");
    }

    private void answerError(String origin, String rid, MessagingException.Reason reason, String text) {
        ObjectNode message = Json.MAPPER.createObjectNode();
        message.put("k", "err");
        message.put("rid", rid);
        message.put("reason", reason.name());
        message.put("code", reason.code().name());
        message.put("message", text);
        answer(origin, rid, message);
    }

    private void answer(String origin, String rid, ObjectNode message) {
        if (origin.equals(replica)) {
            received(message);
            return;
        }
        // Lost if the sender's gateway is gone: then nobody waits for it.
        router.send(origin, Json.write(message)).whenComplete((received, error) -> {
            if (error != null) {
                LOG.debugv("the answer to {0} could not be sent: {1}", rid, error.toString());
            }
        });
    }

    private void received(JsonNode message) {
        switch (message.path("k").asText()) {
            case "res" -> complete(message.path("rid").asText(), message.get("response"));
            case "err" -> fail(message.path("rid").asText(), error(message));
            default -> deliver(message);
        }
    }

    private void complete(String rid, JsonNode response) {
        PendingRequests.Entry<Waiting> e;
        synchronized (this) {
            e = waiting.remove(rid);
        }
        if (e != null) {
            e.value().answer().complete(new Response(response, e.value().target()));
        }
    }

    private void fail(String rid, ProtocolException error) {
        PendingRequests.Entry<Waiting> e;
        synchronized (this) {
            e = waiting.remove(rid);
        }
        if (e != null) {
            e.value().answer().completeExceptionally(error);
        }
    }

    // ------------------------------------------------------------------ time

    /**
     * Fails every waiting request whose deadline passed (TIMEOUT) and forgets every delivered one
     * whose deadline passed (its sender has given up). The gateway calls it a few times a second.
     */
    public void expire() {
        long now = clockMillis.getAsLong();
        List<PendingRequests.Entry<Waiting>> late;
        synchronized (this) {
            late = waiting.expire(now);
            delivered.expire(now);
        }
        late.forEach(e -> e.value().answer().completeExceptionally(new MessagingException(MessagingException.Reason.TIMEOUT,
                "no response within " + e.value().timeoutMillis() + " ms")));
    }

    /** Requests sent from this replica that await an answer. */
    public synchronized int waitingCount() {
        return waiting.size();
    }

    /** Requests delivered to sessions of this replica that they have not answered. */
    public synchronized int deliveredCount() {
        return delivered.size();
    }

    /** The paths this replica has handlers for (the registry's refresh). */
    public synchronized Set<String> handlerPaths() {
        return Set.copyOf(handlers.keySet());
    }

    // ------------------------------------------------------------------ checks

    private long timeout(Long requested) {
        if (requested == null) {
            return Math.min(limits.defaultTimeoutMillis(), limits.maxTimeoutMillis());
        }
        if (requested < 1 || requested > limits.maxTimeoutMillis()) {
            throw ProtocolException.invalid("timeout must be between 1 and " + limits.maxTimeoutMillis() + " ms");
        }
        return requested;
    }

    private static void checkSize(JsonNode value, int max, String what) {
        if (value == null) {
            throw ProtocolException.invalid("missing field '" + what + "'");
        }
        if (Json.write(value).getBytes(StandardCharsets.UTF_8).length > max) {
            throw new ProtocolException(ErrorCode.TOO_LARGE, "the " + what + " is larger than " + max + " bytes");
        }
    }

    private String nextRequestId() {
        return replica + "." + requestIds.incrementAndGet();
    }

    private static String abbreviate(String s) {
        return s.length() <= 100 ? s : s.substring(0, 97) + "...";
    }
}
