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
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One view, running on the replica that owns it: maps each source topic to its reference topic
 * and keeps the reference up to date as sources change, appear and disappear.
 *
 * <p>Two sources mapping to one reference path: the reference topic takes the value of
 * whichever source changed last, and is removed only when no source maps to it any more.
 *
 * <p>It acts with its creator's rights ({@link Access}): a source is one the creator may select and
 * read, and a reference is written only where the creator may modify topics; a source whose
 * reference the creator may not modify is not mapped.
 *
 * <p>Confined to the engine's single thread: no locks.
 */
final class ViewRuntime {

    private static final Logger LOG = Logger.getLogger(ViewRuntime.class.getName());

    private final String name;
    private final ViewSpec spec;
    private Access access;
    private final TopicSelector selector;
    private final TopicTree tree;
    private final ReferenceWriter writer;
    private final ScheduledExecutorService scheduler;
    private final LongSupplier clock;
    private final Map<String, String> referenceOf = new HashMap<>();
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
    private boolean stopped;

    /** A value waiting for its throttle window, with the spec its reference topic gets. */
    private record Pending(TopicSpec spec, TopicValue value) {
    }

    ViewRuntime(String name, ViewSpec spec, Access access, TopicTree tree, ReferenceWriter writer, ScheduledExecutorService scheduler,
                LongSupplier clock) {
        this.name = name;
        this.spec = spec;
        this.access = access;
        this.selector = TopicSelector.parse(spec.selector());
        this.tree = tree;
        this.writer = writer;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    ViewSpec spec() {
        return spec;
    }

    /** Maps every current source, then removes reference topics of this view that nothing maps to. */
    void start() {
        tree.forEachMatching(selector, topic -> {
            if (isSource(topic) && !topic.spec().isTimeSeries()) {
                sourceChanged(topic, topic.state().value());
            }
        });
        for (Topic topic : tree.all()) {
            if (name.equals(topic.spec().view()) && !sourcesOf.containsKey(topic.path())) {
                writer.remove(topic.path());
            }
        }
    }

    void stop() {
        stopped = true;
    }

    /** Removes every reference topic of this view (the view was removed). */
    void removeReferences() {
        stopped = true;
        for (Topic topic : tree.all()) {
            if (name.equals(topic.spec().view())) {
                writer.remove(topic.path());
            }
        }
    }

    boolean isSource(Topic topic) {
        return !name.equals(topic.spec().view()) && selector.matches(topic.path()) && mayRead(topic.path());
    }

    private boolean mayRead(String path) {
        return access.canSelect(path) && access.canRead(path);
    }

    /**
     * The creator's rights changed: sources it may no longer read, or whose reference it may no
     * longer modify, are unmapped (their references go when nothing else maps to them); sources it
     * may now read are mapped.
     */
    void accessChanged(Access fresh) {
        access = fresh;
        for (String source : java.util.List.copyOf(referenceOf.keySet())) {
            if (!mayRead(source) || !access.canModify(referenceOf.get(source))) {
                sourceRemoved(source);
            }
        }
        tree.forEachMatching(selector, topic -> {
            if (isSource(topic) && !topic.spec().isTimeSeries() && !referenceOf.containsKey(topic.path())) {
                sourceChanged(topic, topic.state().value());
            }
        });
    }

    /** A source topic's value changed (or it appeared with a value). */
    void sourceChanged(Topic source, TopicValue value) {
        if (value == null) {
            return;
        }
        TopicType sourceType = source.spec().type();
        if (spec.requiresJsonSource() && sourceType != TopicType.JSON) {
            return;
        }
        Optional<String> target = spec.target().expand(source.path(), value.json(), spec.separator().orElse(null));
        Optional<JsonNode> mapped = ValueMapper.map(value.json(), sourceType, spec);
        if (target.isEmpty() || mapped.isEmpty() || !access.canModify(target.get())) {
            sourceRemoved(source.path());
            return;
        }
        String reference = target.get();
        String previous = referenceOf.put(source.path(), reference);
        if (previous != null && !previous.equals(reference)) {
            unmap(source.path(), previous);
        }
        sourcesOf.computeIfAbsent(reference, r -> new LinkedHashSet<>()).add(source.path());
        TopicType type = spec.type().orElse(spec.valuePointer().isPresent() ? TopicType.JSON : sourceType);
        TopicValue referenceValue;
        try {
            referenceValue = TopicValue.fromJson(type, mapped.get());
        } catch (ProtocolException e) {
            LOG.log(Level.FINE, "view {0}: {1} gives no {2} value: {3}", new Object[] {name, source.path(), type, e.getMessage()});
            return;
        }
        emit(reference, new Pending(TopicSpec.reference(type, null, name), referenceValue));
    }

    /** A time series source: each event maps to an event of the reference time series. */
    void sourceEvent(Topic source, TimeSeriesEvent event) {
        TopicType eventType = source.spec().eventType();
        if (spec.requiresJsonSource() && eventType != TopicType.JSON) {
            return;
        }
        Optional<String> target = spec.target().expand(source.path(), event.value().json(), spec.separator().orElse(null));
        Optional<JsonNode> mapped = ValueMapper.map(event.value().json(), eventType, spec);
        if (target.isEmpty() || mapped.isEmpty() || !access.canModify(target.get())) {
            return;
        }
        TopicType type = spec.type().orElse(spec.valuePointer().isPresent() ? TopicType.JSON : eventType);
        TopicValue value;
        try {
            value = TopicValue.fromJson(type, mapped.get());
        } catch (ProtocolException e) {
            return;
        }
        String reference = target.get();
        referenceOf.put(source.path(), reference);
        sourcesOf.computeIfAbsent(reference, r -> new LinkedHashSet<>()).add(source.path());
        TopicSpec referenceSpec = TopicSpec.reference(TopicType.TIME_SERIES, type, name);
        later(() -> writer.append(reference, referenceSpec, value, event.author()));
    }

    /** A source disappeared or no longer maps: its reference goes when nothing else maps to it. */
    void sourceRemoved(String sourcePath) {
        String reference = referenceOf.remove(sourcePath);
        if (reference != null) {
            unmap(sourcePath, reference);
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
                LOG.log(Level.WARNING, "view {0}: {1} is an ordinary topic; the view does not overwrite it", new Object[] {name, reference});
                return;
            }
            after(reference, () -> writer.remove(reference).thenCompose(r -> writer.set(reference, pending.spec(), pending.value())));
            return;
        }
        after(reference, () -> writer.set(reference, pending.spec(), pending.value()).whenComplete((seq, error) -> {
            if (error != null) {
                LOG.log(Level.WARNING, "view {0}: cannot write {1}: {2}", new Object[] {name, reference, error.toString()});
            }
        }));
    }

    private void after(String reference, java.util.function.Supplier<java.util.concurrent.CompletionStage<?>> write) {
        java.util.concurrent.CompletableFuture<?> previous = lastWrite.getOrDefault(reference,
                java.util.concurrent.CompletableFuture.completedFuture(null));
        lastWrite.put(reference, previous.handle((r, e) -> null).thenCompose(x -> write.get()).toCompletableFuture());
    }
}
