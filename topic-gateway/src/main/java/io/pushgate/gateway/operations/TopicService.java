package io.pushgate.gateway.operations;

import io.pushgate.gateway.security.Access;
import io.pushgate.gateway.selectors.TopicSelector;
import io.pushgate.gateway.timeseries.EventHistory;
import io.pushgate.gateway.timeseries.RangeQuery;
import io.pushgate.gateway.timeseries.TimeSeriesEvent;
import io.pushgate.gateway.topics.AppliedChanges;
import io.pushgate.gateway.topics.PresencePaths;
import io.pushgate.gateway.topics.Topic;
import io.pushgate.gateway.topics.TopicSpec;
import io.pushgate.gateway.topics.TopicStore;
import io.pushgate.gateway.topics.TopicTree;
import io.pushgate.protocol.TopicType;
import io.pushgate.gateway.topics.TopicValue;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.ProtocolException;
import io.pushgate.protocol.TopicPath;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The topic operations of the contract (add, set, remove, fetch), shared by every transport:
 * validation, permission checks and limits here; atomic storage in the {@link TopicStore}.
 * Writes are acknowledged only once the store has them.
 */
public final class TopicService {

    /** Limits on topics. */
    public record Limits(int maxTopics, int maxValueBytes) {
    }

    /** One result of a fetch: the topic's path, spec and state. */
    public record Fetched(String path, TopicSpec spec, long seq, TopicValue value) {
    }

    private final TopicTree tree;
    private final TopicStore store;
    private final Limits limits;
    private final AppliedChanges applied;
    private final EventHistory history;

    public TopicService(TopicTree tree, TopicStore store, Limits limits, AppliedChanges applied, EventHistory history) {
        this.tree = tree;
        this.store = store;
        this.limits = limits;
        this.applied = applied;
        this.history = history;
    }

    /** Appends an event to a time series; returns its seq. The author is the session's principal. */
    public CompletionStage<Long> append(Access access, String author, String path, JsonNode value) {
        return append(access, author, path, value, WriteOrder.NONE);
    }

    /** {@link #append(Access, String, String, JsonNode)} in a client's order of writes. */
    public CompletionStage<Long> append(Access access, String author, String path, JsonNode value, WriteOrder order) {
        return attempt(() -> {
            TopicPath.validate(path);
            refuseReserved(path);
            requireUpdate(access, path);
            return order.after(timeSeriesSpec(path), spec -> {
                refuseReference(spec, path);
                TopicValue parsed = TopicValue.fromJson(spec.valueType(), value);
                checkSize(parsed);
                if (!access.canUpdate(path)) {
                    throw new ProtocolException(ErrorCode.PERMISSION_DENIED, "may not append to " + path);
                }
                return appended(path, store.append(path, spec, parsed, author, null, false));
            });
        });
    }

    /**
     * Edits event {@code seq} of a time series: appends an edit event. Allowed with
     * EDIT_TIME_SERIES_EVENTS for any event, with EDIT_OWN_TIME_SERIES_EVENTS for the author's own.
     */
    public CompletionStage<Long> edit(Access access, String author, String path, long seq, JsonNode value) {
        return edit(access, author, path, seq, value, WriteOrder.NONE);
    }

    /** {@link #edit(Access, String, String, long, JsonNode)} in a client's order of writes. */
    public CompletionStage<Long> edit(Access access, String author, String path, long seq, JsonNode value, WriteOrder order) {
        return attempt(() -> {
            TopicPath.validate(path);
            refuseReserved(path);
            if (seq < 1) {
                throw ProtocolException.invalid("seq must be the seq of an event (1 or more)");
            }
            requireUpdate(access, path);
            return order.after(timeSeriesSpec(path), spec -> {
                refuseReference(spec, path);
                TopicValue parsed = TopicValue.fromJson(spec.valueType(), value);
                checkSize(parsed);
                boolean any = access.canUpdate(path) && access.canEditTimeSeries(path);
                if (!any && !(access.canUpdate(path) && access.canEditOwnTimeSeries(path))) {
                    throw new ProtocolException(ErrorCode.PERMISSION_DENIED, "may not edit events of " + path);
                }
                return appended(path, store.append(path, spec, parsed, author, seq, !any));
            });
        });
    }

    /** A range query over a time series' stored events. */
    public CompletionStage<List<TimeSeriesEvent>> range(Access access, String path, RangeQuery query) {
        return attempt(() -> {
            TopicPath.validate(path);
            Topic topic = tree.get(path);
            if (topic == null || !access.canSelect(path)) {
                throw ProtocolException.notFound("no topic " + path);
            }
            if (!topic.spec().isTimeSeries()) {
                throw ProtocolException.invalid(path + " is not a time series");
            }
            if (!access.canRead(path)) {
                throw new ProtocolException(ErrorCode.PERMISSION_DENIED, "may not read " + path);
            }
            if (query.view() == RangeQuery.View.EDITS && !access.canQueryObsoleteTimeSeries(path)) {
                throw new ProtocolException(ErrorCode.PERMISSION_DENIED, "the edits view of " + path + " needs QUERY_OBSOLETE_TIME_SERIES_EVENTS");
            }
            return history.range(path, query);
        });
    }

    private CompletionStage<Long> appended(String path, CompletionStage<Long> stored) {
        return stored.thenCompose(seq -> appliedAt(path, seq));
    }

    /** {@code seq} once this gateway's tree holds the topic at it or later: at once in the common case. */
    private CompletionStage<Long> appliedAt(String path, long seq) {
        Topic topic = tree.get(path);
        if (topic != null && topic.state().seq() >= seq) {
            return CompletableFuture.completedFuture(seq);
        }
        return applied.awaitApplied(path, t -> t != null && t.state().seq() >= seq).thenApply(v -> seq);
    }

    private CompletionStage<TopicSpec> timeSeriesSpec(String path) {
        return withSpec(path, null).thenApply(spec -> {
            if (!spec.isTimeSeries()) {
                throw ProtocolException.invalid(path + " is a " + spec.type() + " topic, not a time series: use set");
            }
            return spec;
        });
    }

    private void checkSize(TopicValue value) {
        String text = value.text();
        // A text of at most a third of the limit in chars cannot be over it in UTF-8 bytes: most are not encoded to count.
        if (text.length() > limits.maxValueBytes() / 3
                && (text.length() > limits.maxValueBytes() || text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > limits.maxValueBytes())) {
            throw new ProtocolException(ErrorCode.TOO_LARGE, "value larger than " + limits.maxValueBytes() + " bytes");
        }
    }

    public TopicTree tree() {
        return tree;
    }

    /** The store's flow control ({@link TopicStore#isBehind}): true when a transport should stop reading writes. */
    public boolean writesBehind() {
        return store.isBehind();
    }

    /** Calls {@code resume} once the store has caught up with the caller's writes ({@link TopicStore#whenCaughtUp}). */
    public void whenWritesCaughtUp(Runnable resume) {
        store.whenCaughtUp(resume);
    }

    /** Adds a topic: true if created, false if it existed with the same spec. */
    public CompletionStage<Boolean> add(Access access, String path, TopicSpec spec) {
        return add(access, path, spec, WriteOrder.NONE);
    }

    /** {@link #add(Access, String, TopicSpec)} in a client's order of writes. */
    public CompletionStage<Boolean> add(Access access, String path, TopicSpec spec, WriteOrder order) {
        return attempt(() -> {
            TopicPath.validate(path);
            refuseReserved(path);
            requireModify(access, path);
            Topic existing = tree.get(path);
            if (existing == null) {
                requireRoomForTopic();
            }
            return order.after(CHECKED, v -> store.add(path, spec)).thenCompose(created ->
                    applied.awaitApplied(path, t -> t != null).thenApply(v -> created));
        });
    }

    private static final CompletionStage<Void> CHECKED = CompletableFuture.completedFuture(null);

    /** Sets a value (the JSON form) and returns the new seq. */
    public CompletionStage<Long> set(Access access, String path, JsonNode value, TopicSpec addSpec, Long ifSeq) {
        return set(access, path, value, addSpec, ifSeq, WriteOrder.NONE);
    }

    /** {@link #set(Access, String, JsonNode, TopicSpec, Long)} in a client's order of writes. */
    public CompletionStage<Long> set(Access access, String path, JsonNode value, TopicSpec addSpec, Long ifSeq, WriteOrder order) {
        return set(access, path, type -> TopicValue.fromJson(type, value), addSpec, ifSeq, order);
    }

    /**
     * {@link #set(Access, String, JsonNode, TopicSpec, Long, WriteOrder)} with the value given as
     * its canonical compact JSON text (as a request frame carried it, checked canonical): a JSON
     * topic stores the text as it is, without a tree; another type reads it as JSON first.
     */
    public CompletionStage<Long> setCanonicalJson(Access access, String path, String canonicalJson, TopicSpec addSpec, Long ifSeq,
                                                  WriteOrder order) {
        return set(access, path, type -> type == TopicType.JSON ? TopicValue.fromText(TopicType.JSON, canonicalJson)
                : TopicValue.fromJson(type, Json.parse(canonicalJson)), addSpec, ifSeq, order);
    }

    private CompletionStage<Long> set(Access access, String path, java.util.function.Function<TopicType, TopicValue> read, TopicSpec addSpec,
                                      Long ifSeq, WriteOrder order) {
        return attempt(() -> {
            TopicPath.validate(path);
            refuseReserved(path);
            requireUpdate(access, path);
            return order.after(withSpec(path, addSpec), spec -> {
                if (spec.isTimeSeries()) {
                    throw ProtocolException.invalid(path + " is a time series: use append");
                }
                TopicValue parsed = read.apply(spec.type());
                return store(access, path, parsed, spec, addSpec, ifSeq);
            });
        });
    }

    /** Sets a value received as an HTTP body. */
    public CompletionStage<Long> setBody(Access access, String path, byte[] body, boolean bodyIsJson, TopicSpec addSpec, Long ifSeq) {
        return attempt(() -> {
            TopicPath.validate(path);
            refuseReserved(path);
            requireUpdate(access, path);
            return WriteOrder.NONE.after(withSpec(path, addSpec), spec -> {
                if (spec.isTimeSeries()) {
                    throw ProtocolException.invalid(path + " is a time series: POST appends an event");
                }
                TopicValue parsed = TopicValue.fromBody(spec.type(), body, bodyIsJson);
                return store(access, path, parsed, spec, addSpec, ifSeq);
            });
        });
    }

    /** Removes every topic the selector matches that the session may modify; returns how many. */
    public CompletionStage<Integer> remove(Access access, TopicSelector selector) {
        return remove(access, selector, WriteOrder.NONE);
    }

    /** {@link #remove(Access, TopicSelector)} in a client's order of writes. */
    public CompletionStage<Integer> remove(Access access, TopicSelector selector, WriteOrder order) {
        return attempt(() -> {
            List<Topic> matching = new ArrayList<>();
            List<Topic> refused = new ArrayList<>();
            List<Topic> reserved = new ArrayList<>();
            tree.forEachMatching(selector, t -> {
                if (access.canSelect(t.path())) {
                    (TopicPath.isReserved(t.path()) ? reserved
                            : access.canModify(t.path()) && t.spec().view() == null ? matching : refused).add(t);
                }
            });
            if (matching.isEmpty() && !reserved.isEmpty()) {
                refuseReserved(reserved.get(0).path());
            }
            if (matching.isEmpty() && refused.isEmpty() && !access.canModify(selector.rootPath())) {
                // Nothing to remove, and no right to remove anything there: refuse rather than
                // answer "0 removed", which would tell a caller without rights what does not exist.
                throw new ProtocolException(ErrorCode.PERMISSION_DENIED, "may not remove topics at "
                        + (selector.rootPath().isEmpty() ? "every path" : selector.rootPath()));
            }
            if (matching.isEmpty() && !refused.isEmpty()) {
                // The session sees these topics but may not remove any of them: say so.
                throw new ProtocolException(ErrorCode.PERMISSION_DENIED, "may not remove " + refused.get(0).path()
                        + (refused.size() > 1 ? " and " + (refused.size() - 1) + " more" : ""));
            }
            AtomicInteger removed = new AtomicInteger();
            return order.after(CHECKED, v -> {
                CompletableFuture<?>[] all = matching.stream()
                        .map(t -> store.remove(t.path())
                                .thenCompose(r -> applied.awaitApplied(t.path(), now -> now != t).thenApply(x -> r))
                                .thenAccept(r -> {
                                    if (r) {
                                        removed.incrementAndGet();
                                    }
                                }).toCompletableFuture())
                        .toArray(CompletableFuture[]::new);
                return CompletableFuture.allOf(all).thenApply(x -> removed.get());
            });
        });
    }

    /** The topics the selector matches that the session may select, with values it may read. */
    public List<Fetched> fetch(Access access, TopicSelector selector, boolean withValues) {
        List<Fetched> results = new ArrayList<>();
        tree.forEachMatching(selector, t -> {
            if (access.canSelect(t.path())) {
                Topic.State state = t.state();
                boolean readable = withValues && access.canRead(t.path());
                results.add(new Fetched(t.path(), t.spec(), state.seq(), readable ? state.value() : null));
            }
        });
        return results;
    }

    /** One topic, or NOT_FOUND (also when the session may not select it: its path never leaks). */
    public Fetched get(Access access, String path) {
        TopicPath.validate(path);
        Topic topic = tree.get(path);
        if (topic == null || !access.canSelect(path)) {
            throw ProtocolException.notFound("no topic " + path);
        }
        Topic.State state = topic.state();
        return new Fetched(path, topic.spec(), state.seq(), access.canRead(path) ? state.value() : null);
    }

    private CompletionStage<Long> store(Access access, String path, TopicValue value, TopicSpec spec, TopicSpec addSpec, Long ifSeq) {
        checkSize(value);
        refuseReference(spec, path);
        Topic existing = tree.get(path);
        if (existing == null && addSpec != null) {
            requireModify(access, path);
            requireRoomForTopic();
        }
        if (!access.canUpdate(path)) {
            throw new ProtocolException(ErrorCode.PERMISSION_DENIED, "may not update " + path);
        }
        return store.set(path, value, addSpec, ifSeq).thenCompose(seq -> appliedAt(path, seq));
    }

    /** The spec a value is checked against: the local topic's, the store's, or the one to add. */
    private CompletionStage<TopicSpec> withSpec(String path, TopicSpec addSpec) {
        Topic topic = tree.get(path);
        if (topic != null) {
            if (addSpec != null && !addSpec.equals(topic.spec())) {
                throw ProtocolException.conflict(path + " exists with another spec: " + topic.spec());
            }
            return CompletableFuture.completedFuture(topic.spec());
        }
        if (addSpec != null) {
            return CompletableFuture.completedFuture(addSpec);
        }
        // Not here yet (another replica may have just added it): ask the store.
        return store.load(path).thenApply(stored -> stored
                .orElseThrow(() -> ProtocolException.notFound("no topic " + path + ": add it first, or set it with a spec"))
                .spec());
    }

    /** Reference topics belong to their view: clients read them, never write them. */
    private static void refuseReference(TopicSpec spec, String path) {
        if (spec.view() != null) {
            throw new ProtocolException(ErrorCode.PERMISSION_DENIED, path + " is a reference topic of the view '" + spec.view() + "': it is read-only");
        }
    }

    /**
     * The gateway's own topics ({@code $presence/...}, {@link TopicPath#isReserved}): nobody may write
     * them, whatever their rights; the gateway writes them through {@link #setKept} and {@link #removeKept}.
     * Refused by path alone, so the refusal never tells whether such a topic exists.
     */
    private static void refuseReserved(String path) {
        if (TopicPath.isReserved(path)) {
            String source = PresencePaths.sourceOf(path);
            throw new ProtocolException(ErrorCode.PERMISSION_DENIED, path + (source != null
                    ? " is the presence topic of " + source + ", kept by the gateway: nobody may update, add or remove it"
                    : " is a path of the gateway's own topics ($...): nobody may update, add or remove topics there"));
        }
    }

    // The gateway's own topics, written by the gateway alone (the presence keeper).

    /** Sets a gateway-kept topic, adding it with {@code spec} if missing, only if it is at {@code ifSeq} (CONFLICT otherwise). */
    public CompletionStage<Long> setKept(String path, TopicSpec spec, TopicValue value, long ifSeq) {
        return attempt(() -> {
            if (!TopicPath.isReserved(path)) {
                throw new IllegalArgumentException("not a path of the gateway's own topics: " + path);
            }
            return store.set(path, value, spec, ifSeq);
        });
    }

    public CompletionStage<Boolean> removeKept(String path) {
        return attempt(() -> {
            if (!TopicPath.isReserved(path)) {
                throw new IllegalArgumentException("not a path of the gateway's own topics: " + path);
            }
            return store.remove(path);
        });
    }

    // The view engine's own writes: no client checks, reference specs allowed; never the gateway's own paths.

    public CompletionStage<Long> setReference(String path, TopicSpec spec, TopicValue value) {
        return attempt(() -> {
            refuseReserved(path);
            return store.set(path, value, spec, null);
        });
    }

    public CompletionStage<Long> appendReference(String path, TopicSpec spec, TopicValue value, String author) {
        return attempt(() -> {
            refuseReserved(path);
            Topic existing = tree.get(path);
            CompletionStage<?> ready = existing != null && existing.spec().equals(spec) ? CompletableFuture.completedFuture(true)
                    : store.add(path, spec).thenCompose(created -> applied.awaitApplied(path, t -> t != null));
            return ready.thenCompose(x -> store.append(path, spec, value, author, null, false));
        });
    }

    public CompletionStage<Boolean> removeReference(String path) {
        return attempt(() -> {
            refuseReserved(path);
            return store.remove(path);
        });
    }

    /** Checked before anything else, so a refusal never tells whether the topic exists. */
    private static void requireUpdate(Access access, String path) {
        if (!access.canUpdate(path)) {
            throw new ProtocolException(ErrorCode.PERMISSION_DENIED, "may not update " + path);
        }
    }

    private void requireModify(Access access, String path) {
        if (!access.canModify(path)) {
            throw new ProtocolException(ErrorCode.PERMISSION_DENIED, "may not add or remove topics at " + path);
        }
    }

    private void requireRoomForTopic() {
        if (tree.size() >= limits.maxTopics()) {
            throw new ProtocolException(ErrorCode.TOO_LARGE, "the gateway holds its limit of " + limits.maxTopics() + " topics");
        }
    }

    private static <T> CompletionStage<T> attempt(java.util.function.Supplier<CompletionStage<T>> action) {
        try {
            return action.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
