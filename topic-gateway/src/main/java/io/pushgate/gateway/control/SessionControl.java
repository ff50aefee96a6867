package io.pushgate.gateway.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.gateway.security.Access;
import io.pushgate.protocol.GlobalPermission;
import io.pushgate.gateway.selectors.TopicSelector;
import io.pushgate.gateway.sessions.Hub;
import io.pushgate.gateway.sessions.Session;
import io.pushgate.gateway.sessions.SessionDescription;
import io.pushgate.gateway.sessions.filter.SessionFilter;
import io.pushgate.gateway.sessions.filter.SessionProperties;
import io.pushgate.protocol.Causes;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The session operations, shared by the WebSocket and REST: list sessions (VIEW_SESSION); close
 * them, set their user properties, subscribe and unsubscribe them (MODIFY_SESSION), by id or by
 * filter, on whichever replica holds them. Plain Java: the replicas reach each other through the
 * {@link SessionDirectory} port.
 *
 * <p>How an operation travels: by id, to the replica named in the id (a session id is
 * {@code <replica>-<n>}); by filter, to every replica with a session in the directory (and this
 * one), each of which evaluates the filter against its sessions' properties as they are there
 * and then. Each replica carries the operation out on each session's own event loop and answers
 * how many sessions it acted on. A subscribed session still receives only what its own rights let
 * it read.
 */
public final class SessionControl {

    /** The close reason when the controller gives none. */
    public static final String DEFAULT_CLOSE_REASON = "closed by a controller: do not reconnect at once";
    /** A WebSocket close reason is at most 123 bytes of UTF-8. */
    static final int MAX_REASON_BYTES = 123;

    /** The bounds of user properties and of filters. */
    public record Limits(int maxUserProperties, int maxPropertyValueBytes, int maxFilterDepth, Duration callTimeout) {
    }

    /** What an operation did: how many sessions it acted on, and the replicas that did not answer (their sessions untouched). */
    public record Outcome(int sessions, List<String> unreachable) {
        public ObjectNode toJson(String countField) {
            ObjectNode node = Json.MAPPER.createObjectNode();
            node.put(countField, sessions);
            if (!unreachable.isEmpty()) {
                unreachable.forEach(node.putArray("unreachableReplicas")::add);
            }
            return node;
        }
    }

    private static final String CLOSE = "session.close";
    private static final String PROPERTIES = "session.properties";
    private static final String SUBSCRIBE = "session.subscribe";
    private static final String UNSUBSCRIBE = "session.unsubscribe";

    private final Hub hub;
    private final SessionDirectory directory;
    private final Limits limits;
    /** What was last registered for each session of this replica, with what it was made from. */
    private final Map<String, Registration> registered = new ConcurrentHashMap<>();

    /**
     * An entry as registered, and the session's state it was made from: the sweeper looks at every
     * session every second, and comparing these four costs next to nothing, where making the entry
     * (every property of the session in a new map) and comparing maps cost a map per session per
     * second, most of the allocation of a gateway whose topics are quiet (issue 14's profile).
     */
    private record Registration(SessionDescription description, String principal, List<String> roles, int subscriptions,
                                SessionEntry entry) {

        boolean madeFrom(SessionDescription d, String p, List<String> r, int count) {
            return description == d && subscriptions == count && java.util.Objects.equals(principal, p)
                    && java.util.Objects.equals(roles, r);
        }
    }

    public SessionControl(Hub hub, SessionDirectory directory, Limits limits) {
        this.hub = hub;
        this.directory = directory;
        this.limits = limits;
        hub.watchSessions(new Hub.SessionWatcher() {
            @Override
            public void changed(Session session) {
                refresh(session);
            }

            @Override
            public void closed(Session session) {
                if (session.description() != null && registered.remove(session.sessionId()) != null) {
                    directory.unregister(session.sessionId());
                }
            }
        });
        directory.handle(CLOSE, payload -> here(payload, (s, done) -> {
            s.closeByController(payload.path("reason").asText(DEFAULT_CLOSE_REASON));
            done.accept(true);
        }));
        directory.handle(PROPERTIES, payload -> {
            Map<String, String> changes = changes(payload.get("properties"));
            return here(payload, (s, done) -> {
                SessionDescription d = s.description();
                Map<String, String> merged = merge(d.userProperties(), changes);
                if (merged.size() > limits.maxUserProperties()) {
                    done.accept(false);
                    return;
                }
                s.userProperties(merged);
                done.accept(true);
            });
        });
        directory.handle(SUBSCRIBE, payload -> {
            String written = payload.path("selector").asText();
            TopicSelector selector = TopicSelector.parse(written);
            return here(payload, (s, done) -> {
                try {
                    s.subscribe(selector, written);
                    done.accept(true);
                } catch (ProtocolException e) {
                    done.accept(false);
                }
            });
        });
        directory.handle(UNSUBSCRIBE, payload -> {
            TopicSelector selector = TopicSelector.parse(payload.path("selector").asText());
            return here(payload, (s, done) -> {
                s.unsubscribe(selector);
                done.accept(true);
            });
        });
    }

    public String replicaId() {
        return directory.replicaId();
    }

    public Limits limits() {
        return limits;
    }

    /** A new session's id: unique across replicas. */
    public String sessionIdFor(long localId) {
        return directory.replicaId() + "-" + localId;
    }

    /**
     * The user properties a client asks for when it connects (a JSON object of name to string),
     * checked against the limits: INVALID for a bad name or value, TOO_LARGE past the bounds.
     */
    public Map<String, String> connectProperties(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        JsonNode node = Json.parse(json, 4);
        Map<String, String> properties = changes(node);
        if (properties.containsValue(null)) {
            throw ProtocolException.invalid("a session property's value must be a string");
        }
        if (properties.size() > limits.maxUserProperties()) {
            throw new ProtocolException(ErrorCode.TOO_LARGE, "at most " + limits.maxUserProperties() + " user properties per session");
        }
        return properties;
    }

    /** The transport describes a new session: it enters the directory. On the session's event loop. */
    public void opened(Session session) {
        refresh(session);
    }

    /**
     * Registers the session again if what the directory lists of it changed (its subscription
     * count, say); the sweeper calls it about once a second, on the session's event loop.
     */
    public void refresh(Session session) {
        SessionDescription description = session.description();
        if (description == null || session.isClosed()) {
            return;
        }
        String principal = session.principal();
        List<String> roles = session.roles();
        int subscriptions = session.subscriptionCount();
        Registration before = registered.get(description.sessionId());
        if (before != null && before.madeFrom(description, principal, roles, subscriptions)) {
            return;
        }
        SessionEntry entry = new SessionEntry(description.sessionId(), directory.replicaId(), session.properties(), subscriptions);
        registered.put(entry.sessionId(), new Registration(description, principal, roles, subscriptions, entry));
        if (before == null || !entry.equals(before.entry())) {
            directory.register(entry);
        }
    }

    // ---- the operations

    /** Every session of every replica that the filter selects (all when null). Needs VIEW_SESSION. */
    public CompletionStage<List<SessionEntry>> list(Access caller, SessionFilter filter) {
        require(caller, GlobalPermission.VIEW_SESSION);
        return directory.list().thenApply(all -> {
            List<SessionEntry> out = new ArrayList<>();
            for (SessionEntry e : all) {
                if (filter == null || filter.matches(e.properties())) {
                    out.add(e);
                }
            }
            out.sort(java.util.Comparator.comparing(SessionEntry::sessionId));
            return out;
        });
    }

    /** Closes the target sessions with 4101 and the reason (bounded to 123 bytes). Needs MODIFY_SESSION. */
    public CompletionStage<Outcome> close(Access caller, SessionTarget target, String reason) {
        require(caller, GlobalPermission.MODIFY_SESSION);
        ObjectNode payload = Json.MAPPER.createObjectNode();
        payload.put("reason", bounded(reason == null || reason.isBlank() ? DEFAULT_CLOSE_REASON : reason));
        return run(CLOSE, target, payload);
    }

    /**
     * Sets user properties of the target sessions: each name to a string, or to null to remove it.
     * Fixed properties cannot be set (INVALID); past the bounds TOO_LARGE. Needs MODIFY_SESSION.
     */
    public CompletionStage<Outcome> setProperties(Access caller, SessionTarget target, JsonNode properties) {
        require(caller, GlobalPermission.MODIFY_SESSION);
        changes(properties);
        ObjectNode payload = Json.MAPPER.createObjectNode();
        payload.set("properties", properties);
        return run(PROPERTIES, target, payload);
    }

    /** Subscribes the target sessions to a selector; each receives only what its own rights let it read. Needs MODIFY_SESSION. */
    public CompletionStage<Outcome> subscribe(Access caller, SessionTarget target, String selector) {
        return selectorOp(SUBSCRIBE, caller, target, selector);
    }

    /** Unsubscribes the target sessions from a selector (as their own unsubscribe would). Needs MODIFY_SESSION. */
    public CompletionStage<Outcome> unsubscribe(Access caller, SessionTarget target, String selector) {
        return selectorOp(UNSUBSCRIBE, caller, target, selector);
    }

    private CompletionStage<Outcome> selectorOp(String kind, Access caller, SessionTarget target, String selector) {
        require(caller, GlobalPermission.MODIFY_SESSION);
        TopicSelector.parse(selector);
        ObjectNode payload = Json.MAPPER.createObjectNode();
        payload.put("selector", selector);
        return run(kind, target, payload);
    }

    private CompletionStage<Outcome> run(String kind, SessionTarget target, ObjectNode payload) {
        if (target.isOne()) {
            String replica = SessionDirectory.replicaOf(target.sessionId());
            if (replica == null) {
                return CompletableFuture.failedFuture(ProtocolException.notFound("no session " + target.sessionId()));
            }
            payload.put("sessionId", target.sessionId());
            return directory.call(replica, kind, payload, limits.callTimeout()).handle((answer, error) -> {
                if (error != null) {
                    Throwable cause = Causes.unwrap(error);
                    if (cause instanceof ProtocolException pe && pe.code() == ErrorCode.UNAVAILABLE) {
                        // The replica named in the id is not there: neither is the session.
                        throw ProtocolException.notFound("no session " + target.sessionId());
                    }
                    throw cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
                }
                int count = answer.path("sessions").asInt();
                if (count == 0) {
                    throw ProtocolException.notFound("no session " + target.sessionId());
                }
                return new Outcome(count, List.of());
            });
        }
        payload.put("filter", target.filter().text());
        return directory.list().thenCompose(all -> {
            Set<String> replicas = new LinkedHashSet<>();
            replicas.add(directory.replicaId());
            all.forEach(e -> replicas.add(e.replica()));
            List<String> order = new ArrayList<>(replicas);
            List<CompletableFuture<JsonNode>> answers = new ArrayList<>();
            for (String replica : order) {
                answers.add(directory.call(replica, kind, payload, limits.callTimeout()).toCompletableFuture()
                        .exceptionally(error -> null));
            }
            return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(v -> {
                int count = 0;
                List<String> unreachable = new ArrayList<>();
                for (int i = 0; i < order.size(); i++) {
                    JsonNode answer = answers.get(i).join();
                    if (answer == null) {
                        unreachable.add(order.get(i));
                    } else {
                        count += answer.path("sessions").asInt();
                    }
                }
                return new Outcome(count, unreachable);
            });
        });
    }

    /** One session's part of an operation, on its event loop; it says whether it acted. */
    private interface OnSession {
        void apply(Session session, Consumer<Boolean> done);
    }

    /** Carries a command out on this replica's sessions that it targets; answers {@code {"sessions": n}}. */
    private CompletionStage<JsonNode> here(JsonNode payload, OnSession op) {
        String sessionId = payload.hasNonNull("sessionId") ? payload.get("sessionId").asText() : null;
        SessionFilter filter = payload.hasNonNull("filter") ? SessionFilter.parse(payload.get("filter").asText(), limits.maxFilterDepth()) : null;
        List<CompletableFuture<Boolean>> acted = new ArrayList<>();
        for (Session session : hub.sessions()) {
            if (session.description() == null) {
                continue;
            }
            CompletableFuture<Boolean> one = new CompletableFuture<>();
            boolean candidate = sessionId != null ? sessionId.equals(session.sessionId()) : true;
            if (!candidate) {
                continue;
            }
            acted.add(one);
            session.executor().execute(() -> {
                try {
                    if (session.isClosed() || (filter != null && !filter.matches(session.properties()))) {
                        one.complete(false);
                    } else {
                        op.apply(session, one::complete);
                    }
                } catch (RuntimeException e) {
                    one.complete(false);
                }
            });
        }
        return CompletableFuture.allOf(acted.toArray(CompletableFuture[]::new)).thenApply(v -> {
            int count = 0;
            for (CompletableFuture<Boolean> f : acted) {
                if (f.join()) {
                    count++;
                }
            }
            ObjectNode answer = Json.MAPPER.createObjectNode();
            answer.put("sessions", count);
            return answer;
        });
    }

    /** Name to value (null removes) from a JSON object, each checked: INVALID for a bad name or value, TOO_LARGE for a long value. */
    private Map<String, String> changes(JsonNode properties) {
        if (properties == null || !properties.isObject()) {
            throw ProtocolException.invalid("properties must be a JSON object of name to string (null removes one)");
        }
        if (properties.size() > limits.maxUserProperties()) {
            throw new ProtocolException(ErrorCode.TOO_LARGE, "at most " + limits.maxUserProperties() + " user properties per session");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            if (name.startsWith("$")) {
                throw ProtocolException.invalid("'" + abbreviate(name) + "' is a fixed property: only the gateway sets it");
            }
            if (!SessionProperties.isUserKey(name)) {
                throw ProtocolException.invalid("'" + abbreviate(name) + "' is not a property name: letters, digits, _ . -, starting with a letter or _, at most 64");
            }
            JsonNode value = e.getValue();
            if (value.isNull()) {
                out.put(name, null);
            } else if (!value.isTextual()) {
                throw ProtocolException.invalid("the value of property '" + name + "' must be a string (or null to remove it)");
            } else if (value.asText().getBytes(StandardCharsets.UTF_8).length > limits.maxPropertyValueBytes()) {
                throw new ProtocolException(ErrorCode.TOO_LARGE, "the value of property '" + name + "' is longer than "
                        + limits.maxPropertyValueBytes() + " bytes");
            } else {
                out.put(name, value.asText());
            }
        }
        return out;
    }

    private static Map<String, String> merge(Map<String, String> current, Map<String, String> changes) {
        Map<String, String> merged = new LinkedHashMap<>(current);
        changes.forEach((k, v) -> {
            if (v == null) {
                merged.remove(k);
            } else {
                merged.put(k, v);
            }
        });
        return merged;
    }

    private static void require(Access caller, GlobalPermission permission) {
        if (!caller.hasGlobal(permission)) {
            throw new ProtocolException(ErrorCode.PERMISSION_DENIED, "needs the permission " + permission);
        }
    }

    static String bounded(String reason) {
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_REASON_BYTES) {
            return reason;
        }
        String cut = reason;
        while (cut.getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES) {
            cut = cut.substring(0, cut.length() - 1);
        }
        return cut;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
