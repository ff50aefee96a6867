package io.pushgate.gateway.views;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.gateway.security.Access;
import io.pushgate.gateway.selectors.TopicSelector;
import io.pushgate.gateway.timeseries.TimeSeriesEvent;
import io.pushgate.gateway.topics.Topic;
import io.pushgate.gateway.topics.TopicSpec;
import io.pushgate.gateway.topics.TopicTree;
import io.pushgate.gateway.topics.TopicValue;
import io.pushgate.protocol.ProtocolException;
import io.pushgate.protocol.TopicType;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * One view, running on the replica that owns it: maps each source topic to its reference topics
 * (one, or many with {@code <expand>}) and keeps them up to date as sources change, appear and
 * disappear. On each change of a source it evaluates the view ({@link ViewEvaluator}) and diffs
 * the reference paths it gives against the last ones: those still given are updated, new ones
 * created, the others removed (kept, with {@code preserve topics}, until the source goes).
 *
 * <p>Two sources mapping to one reference path: the reference topic takes the value of
 * whichever source changed last, and is removed only when no source maps to it any more.
 *
 * <p>It acts with its creator's rights ({@link Access}): a source is one the creator may select and
 * read, an insertion topic is read only if the creator may select and read it (else it counts as
 * missing), and a reference is written only where the creator may modify topics.
 *
 * <p>A remote view ({@code from SERVER}) takes its sources from {@link RemoteSources} instead of
 * the local tree: it maps nothing until the server answers, and unmaps everything when it stops.
 *
 * <p>Confined to the engine's single thread: no locks.
 */
final class ViewRuntime {

    private static final Logger LOG = Logger.getLogger(ViewRuntime.class);

    private final String name;
    private final ViewSpec spec;
    private Access access;
    private final TopicSelector selector;
    private final TopicTree tree;
    private final ReferenceWriter writer;
    private final ScheduledExecutorService scheduler;
    private final LongSupplier clock;
    private final RemoteSources remote;
    private final int maxWatchedInsertions;
    private final Map<String, Set<String>> referencesOf = new HashMap<>();
    private final Map<String, Set<String>> sourcesOf = new HashMap<>();
    private final Map<String, ThrottleWindow<Pending>> throttles = new HashMap<>();
    private final Set<String> timerSet = new HashSet<>();
    /** What this runtime last wrote to each reference topic: the same value is never written twice. */
    private final Map<String, Pending> written = new HashMap<>();
    /**
     * The last write to each reference topic: the next one starts only when it is done, since a
     * pooled Redis client could otherwise apply two writes to one topic in the other order.
     */
    private final Map<String, java.util.concurrent.CompletableFuture<?>> lastWrite = new HashMap<>();
    /** With {@code live inserts}: the insertion topics each source read last, and who read each. */
    private final Map<String, Set<String>> insertionsOf = new HashMap<>();
    private final Map<String, Set<String>> watchers = new HashMap<>();
    private boolean watchLimitLogged;
    /** A remote view's sources: the latest value of each, as the remote server reported it. */
    private final Map<String, RemoteValue> remoteValues = new HashMap<>();
    private RemoteSources.Feed feed;
    private boolean stopped;

    /** A value waiting for its throttle window, with the spec its reference topic gets. */
    private record Pending(TopicSpec spec, TopicValue value) {
    }

    private record RemoteValue(TopicType type, TopicValue value) {
    }

    ViewRuntime(String name, ViewSpec spec, Access access, TopicTree tree, ReferenceWriter writer, ScheduledExecutorService scheduler,
                LongSupplier clock, RemoteSources remote, int maxWatchedInsertions) {
        this.name = name;
        this.spec = spec;
        this.access = access;
        this.selector = TopicSelector.parse(spec.selector());
        this.tree = tree;
        this.writer = writer;
        this.scheduler = scheduler;
        this.clock = clock;
        this.remote = remote;
        this.maxWatchedInsertions = maxWatchedInsertions;
    }

    ViewSpec spec() {
        return spec;
    }

    /** Maps every current source (a remote view: starts following its server), then removes reference topics of this view that nothing maps to. */
    void start() {
        if (spec.remoteServer().isPresent()) {
            feed = remote.follow(spec.remoteServer().get(), spec.selector(), new RemoteListener());
        } else {
            tree.forEachMatching(selector, topic -> {
                if (isSource(topic) && !topic.spec().isTimeSeries()) {
                    sourceChanged(topic);
                }
            });
        }
        for (Topic topic : tree.all()) {
            if (name.equals(topic.spec().view()) && !sourcesOf.containsKey(topic.path())) {
                writer.remove(topic.path());
            }
        }
    }

    void stop() {
        stopped = true;
        if (feed != null) {
            feed.close();
        }
    }

    /** Removes every reference topic of this view (the view was removed). */
    void removeReferences() {
        stop();
        for (Topic topic : tree.all()) {
            if (name.equals(topic.spec().view())) {
                writer.remove(topic.path());
            }
        }
    }

    /** A local topic that feeds this view; never one for a remote view, whose sources are on its server. */
    boolean isSource(Topic topic) {
        return spec.remoteServer().isEmpty() && !name.equals(topic.spec().view()) && selector.matches(topic.path())
                && mayRead(topic.path());
    }

    private boolean mayRead(String path) {
        return access.canSelect(path) && access.canRead(path);
    }

    /** True when this view re-evaluates sources on a change of this topic ({@code live inserts}). */
    boolean watches(String path) {
        return watchers.containsKey(path);
    }

    /** How many insertion topics this view watches now (bounded by the configured maximum). */
    int watchedInsertions() {
        return watchers.size();
    }

    /** A watched insertion topic changed, appeared or went: the sources that inserted it are evaluated again. */
    void insertionChanged(String path) {
        Set<String> sources = watchers.get(path);
        if (sources != null && !stopped) {
            List.copyOf(sources).forEach(this::reevaluate);
        }
    }

    /** Evaluates a source again with its current value, or unmaps it if it is no longer a source. */
    private void reevaluate(String sourcePath) {
        if (spec.remoteServer().isPresent()) {
            RemoteValue v = remoteValues.get(sourcePath);
            if (v != null && mayRead(sourcePath)) {
                sourceChanged(sourcePath, v.type(), v.value());
            } else {
                sourceRemoved(sourcePath);
            }
            return;
        }
        Topic topic = tree.get(sourcePath);
        if (topic != null && isSource(topic) && !topic.spec().isTimeSeries()) {
            sourceChanged(topic);
        } else {
            sourceRemoved(sourcePath);
        }
    }

    /**
     * The creator's rights changed: every source is evaluated again (a source it may no longer
     * read is unmapped, a reference it may no longer modify goes), and sources it may now read are mapped.
     */
    void accessChanged(Access fresh) {
        access = fresh;
        for (String source : List.copyOf(referencesOf.keySet())) {
            reevaluate(source);
        }
        if (spec.remoteServer().isPresent()) {
            for (String source : List.copyOf(remoteValues.keySet())) {
                if (!referencesOf.containsKey(source)) {
                    reevaluate(source);
                }
            }
            return;
        }
        tree.forEachMatching(selector, topic -> {
            if (isSource(topic) && !topic.spec().isTimeSeries() && !referencesOf.containsKey(topic.path())) {
                sourceChanged(topic);
            }
        });
    }

    void sourceChanged(Topic source) {
        sourceChanged(source.path(), source.spec().type(), source.state().value());
    }

    /** A source topic's value changed (or it appeared with a value). */
    void sourceChanged(Topic source, TopicValue value) {
        sourceChanged(source.path(), source.spec().type(), value);
    }

    private void sourceChanged(String sourcePath, TopicType sourceType, TopicValue value) {
        if (value == null || stopped) {
            return;
        }
        ViewEvaluator.Result result = ViewEvaluator.evaluate(spec, sourcePath, sourceType, value.json(), this::insertion);
        if (spec.liveInserts()) {
            watch(sourcePath, result.insertedFrom());
        }
        TopicType type = spec.type().orElse(spec.valuePointer().isPresent() ? TopicType.JSON : sourceType);
        Map<String, Pending> fresh = new LinkedHashMap<>();
        for (ViewEvaluator.Reference ref : result.references()) {
            if (!access.canModify(ref.path())) {
                continue;
            }
            try {
                fresh.put(ref.path(), new Pending(referenceSpec(type, null), TopicValue.fromJson(type, ref.value())));
            } catch (ProtocolException e) {
                LOG.debugv("view {0}: {1} gives no {2} value at {3}: {4}",
                        name, sourcePath, type, ref.path(), e.getMessage());
            }
        }
        Set<String> previous = referencesOf.getOrDefault(sourcePath, Set.of());
        Set<String> kept = new LinkedHashSet<>(fresh.keySet());
        for (String old : previous) {
            // preserve topics: a reference stays (with its last value) until its source or the view goes
            if (spec.preserveTopics() && access.canModify(old)) {
                kept.add(old);
            } else if (!fresh.containsKey(old)) {
                unmap(sourcePath, old);
            }
        }
        if (kept.isEmpty()) {
            referencesOf.remove(sourcePath);
        } else {
            referencesOf.put(sourcePath, kept);
        }
        fresh.forEach((reference, pending) -> {
            sourcesOf.computeIfAbsent(reference, r -> new LinkedHashSet<>()).add(sourcePath);
            emit(reference, pending);
        });
    }

    private TopicSpec referenceSpec(TopicType type, TopicType eventType) {
        return TopicSpec.reference(type, eventType, name, spec.properties());
    }

    /** An insertion topic's value, read from the local tree with the creator's rights. */
    private java.util.Optional<JsonNode> insertion(String path) {
        if (!mayRead(path)) {
            return java.util.Optional.empty();
        }
        Topic topic = tree.get(path);
        if (topic == null || topic.state().value() == null) {
            return java.util.Optional.empty();
        }
        return switch (topic.spec().type()) {
            case JSON, STRING, INT64, DOUBLE -> java.util.Optional.of(topic.state().value().json());
            default -> java.util.Optional.empty();
        };
    }

    /** Records which insertion topics a source read, within the view's bound of watched topics. */
    private void watch(String sourcePath, Set<String> insertedFrom) {
        Set<String> before = insertionsOf.getOrDefault(sourcePath, Set.of());
        for (String old : before) {
            if (!insertedFrom.contains(old)) {
                unwatch(sourcePath, old);
            }
        }
        Set<String> now = new HashSet<>();
        for (String path : insertedFrom) {
            Set<String> sources = watchers.get(path);
            if (sources == null) {
                if (watchers.size() >= maxWatchedInsertions) {
                    if (!watchLimitLogged) {
                        watchLimitLogged = true;
                        LOG.warnv("view {0}: {1} insertion topics are watched, the maximum"
                                + " (gateway.views.max-watched-insertions); others are read when their source changes only",
                                name, maxWatchedInsertions);
                    }
                    continue;
                }
                sources = new HashSet<>();
                watchers.put(path, sources);
            }
            sources.add(sourcePath);
            now.add(path);
        }
        if (now.isEmpty()) {
            insertionsOf.remove(sourcePath);
        } else {
            insertionsOf.put(sourcePath, now);
        }
    }

    private void unwatch(String sourcePath, String path) {
        Set<String> sources = watchers.get(path);
        if (sources != null) {
            sources.remove(sourcePath);
            if (sources.isEmpty()) {
                watchers.remove(path);
            }
        }
    }

    /** A time series source: each event maps to an event of each reference time series it gives. */
    void sourceEvent(Topic source, TimeSeriesEvent event) {
        TopicType eventType = source.spec().eventType();
        ViewEvaluator.Result result = ViewEvaluator.evaluate(spec, source.path(), eventType, event.value().json(), this::insertion);
        TopicType type = spec.type().orElse(spec.valuePointer().isPresent() ? TopicType.JSON : eventType);
        for (ViewEvaluator.Reference ref : result.references()) {
            if (!access.canModify(ref.path())) {
                continue;
            }
            TopicValue value;
            try {
                value = TopicValue.fromJson(type, ref.value());
            } catch (ProtocolException e) {
                continue;
            }
            String reference = ref.path();
            referencesOf.computeIfAbsent(source.path(), s -> new LinkedHashSet<>()).add(reference);
            sourcesOf.computeIfAbsent(reference, r -> new LinkedHashSet<>()).add(source.path());
            TopicSpec referenceSpec = referenceSpec(TopicType.TIME_SERIES, type);
            later(() -> writer.append(reference, referenceSpec, value, event.author()));
        }
    }

    /** A source disappeared or no longer maps: its references go when nothing else maps to them. */
    void sourceRemoved(String sourcePath) {
        Set<String> references = referencesOf.remove(sourcePath);
        if (references != null) {
            references.forEach(reference -> unmap(sourcePath, reference));
        }
        for (String path : insertionsOf.getOrDefault(sourcePath, Set.of())) {
            unwatch(sourcePath, path);
        }
        insertionsOf.remove(sourcePath);
    }

    /** Reports of the remote server, handed over to the engine's thread. */
    private final class RemoteListener implements RemoteSources.Listener {
        @Override
        public void connected() {
            // values follow, one per matching topic
        }

        @Override
        public void value(String path, TopicType type, TopicValue value) {
            scheduler.execute(() -> {
                if (stopped || type == TopicType.TIME_SERIES) {
                    return;
                }
                remoteValues.put(path, new RemoteValue(type, value));
                if (mayRead(path)) {
                    sourceChanged(path, type, value);
                } else {
                    sourceRemoved(path);
                }
            });
        }

        @Override
        public void removed(String path) {
            scheduler.execute(() -> {
                if (stopped) {
                    return;
                }
                remoteValues.remove(path);
                sourceRemoved(path);
            });
        }

        @Override
        public void disconnected() {
            scheduler.execute(() -> {
                if (stopped) {
                    return;
                }
                // Diffusion: the connection lost, the view's reference topics go and it is dormant again
                remoteValues.clear();
                List.copyOf(referencesOf.keySet()).forEach(ViewRuntime.this::sourceRemoved);
            });
        }
    }

    private void unmap(String sourcePath, String reference) {
        Set<String> sources = sourcesOf.get(reference);
        if (sources != null) {
            sources.remove(sourcePath);
            if (sources.isEmpty()) {
                sourcesOf.remove(reference);
                throttles.remove(reference);
                written.remove(reference);
                later(() -> after(reference, () -> writer.remove(reference)));
            }
        }
    }

    private void emit(String reference, Pending pending) {
        if (spec.throttle().isEmpty()) {
            later(() -> write(reference, pending));
            return;
        }
        ThrottleWindow<Pending> window = throttles.computeIfAbsent(reference, r -> new ThrottleWindow<>(spec.throttle().get()));
        ThrottleWindow.Decision<Pending> decision = window.offer(pending, clock.getAsLong());
        if (decision instanceof ThrottleWindow.Send<Pending> send) {
            later(() -> write(reference, send.value()));
        } else if (decision instanceof ThrottleWindow.Wait<Pending> wait && timerSet.add(reference)) {
            scheduler.schedule(() -> flush(reference), Math.max(0, wait.untilMillis() - clock.getAsLong()), TimeUnit.MILLISECONDS);
        }
    }

    /** The throttle timer: sends the held value if its time has come, else waits again. */
    private void flush(String reference) {
        timerSet.remove(reference);
        ThrottleWindow<Pending> window = throttles.get(reference);
        if (stopped || window == null) {
            return;
        }
        window.poll(clock.getAsLong()).ifPresent(p -> later(() -> write(reference, p)));
        if (window.hasPending() && timerSet.add(reference)) {
            scheduler.schedule(() -> flush(reference), Math.max(1, window.pendingUntil().getAsLong() - clock.getAsLong()), TimeUnit.MILLISECONDS);
        }
    }

    /** Runs an action now, or after the view's delay (additions, updates and removals alike). */
    private void later(Runnable action) {
        if (spec.delay().isEmpty()) {
            action.run();
        } else {
            scheduler.schedule(() -> {
                if (!stopped) {
                    action.run();
                }
            }, spec.delay().get().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void write(String reference, Pending pending) {
        if (stopped || !sourcesOf.containsKey(reference)) {
            return;
        }
        Topic current = tree.get(reference);
        if (pending.equals(written.get(reference))
                || (current != null && current.spec().equals(pending.spec()) && pending.value().equals(current.state().value()))) {
            // Already written (our own write may not have come back through the change stream yet).
            return;
        }
        written.put(reference, pending);
        if (current != null && !current.spec().equals(pending.spec())) {
            if (current.spec().view() == null) {
                LOG.warnv("view {0}: {1} is an ordinary topic; the view does not overwrite it", name, reference);
                return;
            }
            after(reference, () -> writer.remove(reference).thenCompose(r -> writer.set(reference, pending.spec(), pending.value())));
            return;
        }
        after(reference, () -> writer.set(reference, pending.spec(), pending.value()).whenComplete((seq, error) -> {
            if (error != null) {
                LOG.warnv("view {0}: cannot write {1}: {2}", name, reference, error.toString());
            }
        }));
    }

    private void after(String reference, java.util.function.Supplier<java.util.concurrent.CompletionStage<?>> write) {
        java.util.concurrent.CompletableFuture<?> previous = lastWrite.getOrDefault(reference,
                java.util.concurrent.CompletableFuture.completedFuture(null));
        lastWrite.put(reference, previous.handle((r, e) -> null).thenCompose(x -> write.get()).toCompletableFuture());
    }
}
