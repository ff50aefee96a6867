package io.pushgate.gateway.views;

import io.pushgate.gateway.security.Access;
import io.pushgate.gateway.replication.TopicListener;
import io.pushgate.gateway.replication.TopicUpdate;
import io.pushgate.gateway.topics.Topic;
import io.pushgate.gateway.topics.TopicTree;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Runs topic views. Every replica knows every view definition (they are stored in Redis and
 * followed like topic changes), but a view runs only on the replica that owns it (an
 * expiring claim in Redis, see the Redis adapter), so two replicas never fight over one
 * reference topic; when the owner dies, another claims the view and takes over.
 *
 * <p>A view acts with the rights of the session that created it ({@link ViewDefinition}): it maps
 * only the sources its creator may select and read, writes reference topics only where its creator
 * may modify topics, and follows changes of those rights ({@link #rightsChanged()}).
 *
 * <p>All work happens on one scheduler thread, in the order the changes arrived; the hub's
 * callbacks only hand changes over.
 */
public final class ViewEngine implements TopicListener {

    private static final Logger LOG = Logger.getLogger(ViewEngine.class);

    private final TopicTree tree;
    private final ReferenceWriter writer;
    private final ScheduledExecutorService scheduler;
    private final LongSupplier clock;
    private final Function<ViewDefinition.Creator, Access> rights;
    private final RemoteSources remote;
    private final int maxWatchedInsertions;
    // Written on the scheduler thread only; concurrent maps so that other threads may read them.
    private final Map<String, ViewSpec> definitions = new ConcurrentHashMap<>();
    private final Map<String, ViewDefinition> stored = new ConcurrentHashMap<>();
    private final Set<String> owned = new HashSet<>();
    private final Map<String, ViewRuntime> running = new ConcurrentHashMap<>();

    /**
     * @param rights what a view's creator may do now (asked again after {@link #rightsChanged()}); a
     *               definition without a recorded creator may do everything
     * @param remote the sources of remote views ({@code from SERVER}); {@link RemoteSources#NONE} where none is configured
     * @param maxWatchedInsertions the most insertion topics one view with {@code live inserts} watches
     */
    public ViewEngine(TopicTree tree, ReferenceWriter writer, ScheduledExecutorService scheduler, LongSupplier clock,
                      Function<ViewDefinition.Creator, Access> rights, RemoteSources remote, int maxWatchedInsertions) {
        if (maxWatchedInsertions < 0) {
            throw new IllegalArgumentException("maxWatchedInsertions must not be negative: " + maxWatchedInsertions);
        }
        this.remote = java.util.Objects.requireNonNull(remote, "remote");
        this.maxWatchedInsertions = maxWatchedInsertions;
        this.tree = tree;
        this.writer = writer;
        this.scheduler = scheduler;
        this.clock = clock;
        this.rights = rights;
    }

    /** A view was created or replaced (on any replica): its stored form, see {@link ViewDefinition}. */
    public void define(String name, String storedForm) {
        scheduler.execute(() -> {
            ViewDefinition definition;
            ViewSpec spec;
            try {
                definition = ViewDefinition.decode(storedForm);
                spec = ViewParser.parse(definition.text());
            } catch (RuntimeException e) {
                LOG.warnv("stored view {0} does not parse: {1}", name, e.getMessage());
                return;
            }
            if (definition.creator() == null) {
                LOG.warnv("view {0} was stored without its creator: it acts unrestricted until it is stored again", name);
            }
            ViewSpec old = definitions.put(name, spec);
            ViewDefinition oldDefinition = stored.put(name, definition);
            if (old != null && old.equals(spec) && oldDefinition != null && java.util.Objects.equals(oldDefinition.creator(), definition.creator())) {
                return;
            }
            restart(name);
        });
    }

    /** The rights of some roles changed: every running view re-evaluates what it may map. */
    public void rightsChanged() {
        scheduler.execute(() -> running.forEach((name, runtime) -> runtime.accessChanged(rightsOf(name))));
    }

    private Access rightsOf(String name) {
        ViewDefinition definition = stored.get(name);
        return definition == null || definition.creator() == null ? Access.ALLOW_ALL : rights.apply(definition.creator());
    }

    /** A view was removed: it stops, and if this replica ran it, its reference topics go. */
    public void undefine(String name) {
        scheduler.execute(() -> {
            definitions.remove(name);
            stored.remove(name);
            ViewRuntime runtime = running.remove(name);
            if (runtime != null) {
                runtime.removeReferences();
            }
        });
    }

    /** Replaces every definition (after a reconnect to the store). */
    public void defineAll(Map<String, String> texts) {
        scheduler.execute(() -> {
            for (String name : Set.copyOf(definitions.keySet())) {
                if (!texts.containsKey(name)) {
                    undefine(name);
                }
            }
        });
        texts.forEach(this::define);
    }

    /** Whether this replica owns a view: only the owner runs it. */
    public void owned(String name, boolean owns) {
        scheduler.execute(() -> {
            if (owns && !definitions.containsKey(name)) {
                return;
            }
            boolean changed = owns ? owned.add(name) : owned.remove(name);
            if (changed) {
                restart(name);
            }
        });
    }

    /** The names of the views defined, for the ownership loop. */
    public Set<String> names() {
        return Set.copyOf(definitions.keySet());
    }

    /** The text of a defined view, if there is one. */
    public java.util.Optional<ViewSpec> definition(String name) {
        return java.util.Optional.ofNullable(definitions.get(name));
    }

    /** Completes once the engine has handled everything handed to it so far. */
    public java.util.concurrent.CompletableFuture<Void> settled() {
        return java.util.concurrent.CompletableFuture.runAsync(() -> { }, scheduler);
    }

    /** How many insertion topics a running view watches ({@code live inserts}); 0 if it does not run here. */
    public java.util.concurrent.CompletableFuture<Integer> watchedInsertions(String name) {
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            ViewRuntime r = running.get(name);
            return r == null ? 0 : r.watchedInsertions();
        }, scheduler);
    }

    /** Whether this replica runs the view now (for tests and the admin view). */
    public boolean isRunning(String name) {
        return running.containsKey(name);
    }

    private void restart(String name) {
        ViewRuntime old = running.remove(name);
        if (old != null) {
            old.stop();
        }
        ViewSpec spec = definitions.get(name);
        if (spec != null && owned.contains(name)) {
            ViewRuntime runtime = new ViewRuntime(name, spec, rightsOf(name), tree, writer, scheduler, clock, remote, maxWatchedInsertions);
            running.put(name, runtime);
            runtime.start();
        }
    }

    @Override
    public void topicAdded(Topic topic) {
        scheduler.execute(() -> running.values().forEach(r -> {
            if (r.isSource(topic) && !topic.spec().isTimeSeries()) {
                r.sourceChanged(topic, topic.state().value());
            }
            if (r.watches(topic.path())) {
                r.insertionChanged(topic.path());
            }
        }));
    }

    @Override
    public void topicUpdated(TopicUpdate update) {
        // No view runs here (the common case on all but one replica): no task per update.
        if (update.isResync() || running.isEmpty()) {
            return;
        }
        scheduler.execute(() -> sourceUpdated(update));
    }

    /** One task for the updates of one message of the store. */
    @Override
    public void topicsUpdated(java.util.List<TopicUpdate> updates) {
        if (running.isEmpty()) {
            return;
        }
        scheduler.execute(() -> updates.forEach(this::sourceUpdated));
    }

    private void sourceUpdated(TopicUpdate update) {
        if (update.isResync()) {
            return;
        }
        Topic topic = update.topic();
        running.values().forEach(r -> {
            if (r.isSource(topic)) {
                if (update.isEvent()) {
                    r.sourceEvent(topic, update.event());
                } else {
                    r.sourceChanged(topic, update.value());
                }
            }
            if (!update.isEvent() && r.watches(topic.path())) {
                r.insertionChanged(topic.path());
            }
        });
    }

    @Override
    public void topicRemoved(Topic topic) {
        scheduler.execute(() -> running.values().forEach(r -> {
            if (r.isSource(topic)) {
                r.sourceRemoved(topic.path());
            }
            if (r.watches(topic.path())) {
                r.insertionChanged(topic.path());
            }
        }));
    }
}
