package io.pushgate.gateway.replication;

import io.pushgate.gateway.topics.StoredTopic;
import io.pushgate.gateway.topics.TopicChanges;
import io.pushgate.gateway.topics.TopicStore;
import io.pushgate.gateway.timeseries.TimeSeriesEvent;
import io.pushgate.gateway.topics.AppliedChanges;
import io.pushgate.gateway.topics.Topic;
import io.pushgate.gateway.topics.TopicSpec;
import io.pushgate.gateway.topics.TopicTree;
import io.pushgate.gateway.topics.TopicValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Keeps this gateway's topic tree a faithful copy of the store, from the store's ordered change
 * stream, and hands every change to its {@link TopicListener} (the hub, which passes it on). It
 * is the tree's only writer: its methods are synchronized so that changes and reloads apply one
 * at a time, in order.
 *
 * <p>Each replica applies its own writes from the change stream too, like everyone else's, so
 * all replicas apply the same changes in the same order. When a seq jumps (a message was
 * lost), the topic is reloaded from the store and subscribers get a whole value.
 */
public final class TopicMirror implements TopicChanges, AppliedChanges {

    /** How long a write's acknowledgement waits for the change stream at most. */
    private static final long APPLY_WAIT_MS = 2_000;

    private record Waiter(Predicate<Topic> condition, CompletableFuture<Void> done) {
    }

    private final Map<String, List<Waiter>> waiters = new HashMap<>();

    private static final Logger LOG = Logger.getLogger(TopicMirror.class);

    private final TopicTree tree;
    private final TopicListener listener;
    private final TopicStore store;
    private final AtomicBoolean ready = new AtomicBoolean();
    /** A full reload is due or under way (after the change stream reconnected): not ready until it is done. */
    private volatile boolean resyncPending;
    /**
     * Loads race with the change stream: a change applied after a load read the store is newer
     * than what the load returns. Every applied change takes the next serial; while loads are in
     * flight the paths they touch are remembered with it, and a load leaves alone any path
     * changed after it began (the change stream is live, and brings what came after).
     */
    private long serial;
    private int loadsInFlight;
    private final Map<String, Long> touchedDuringLoads = new HashMap<>();
    /**
     * Updates applied from the current message of the store, handed to the listener together at its
     * end ({@link #endOfBatch}): one hand-over per event loop for a whole batch of changes.
     */
    private ArrayList<TopicUpdate> pending = new ArrayList<>();

    public TopicMirror(TopicTree tree, TopicListener listener, TopicStore store) {
        this.tree = tree;
        this.listener = listener;
        this.store = store;
    }

    /** True once the first full load is done and no reload of the whole tree is pending. */
    public boolean isReady() {
        return ready.get() && !resyncPending;
    }

    private void touch(String path) {
        serial++;
        if (loadsInFlight > 0) {
            touchedDuringLoads.put(path, serial);
        }
    }

    private synchronized long beginLoad() {
        loadsInFlight++;
        return serial;
    }

    private synchronized void endLoad() {
        if (--loadsInFlight == 0) {
            touchedDuringLoads.clear();
        }
    }

    /** True if a change to {@code path} was applied after the load that began at {@code since}. */
    private boolean changedSince(String path, long since) {
        Long at = touchedDuringLoads.get(path);
        return at != null && at > since;
    }

    @Override
    public synchronized void added(String path, TopicSpec spec) {
        handOver();
        touch(path);
        Topic existing = tree.get(path);
        if (existing != null) {
            if (existing.spec().equals(spec)) {
                return;
            }
            removeLocal(path);
        }
        listener.topicAdded(tree.add(path, spec, Topic.State.EMPTY));
        wake(path);
    }

    @Override
    public synchronized void set(String path, long seq, String valueText) {
        Topic topic = tree.get(path);
        if (topic == null) {
            reload(path);
            return;
        }
        Topic.State current = topic.state();
        if (!follows(path, current, seq)) {
            return;
        }
        TopicValue value = TopicValue.fromText(topic.spec().type(), valueText);
        touch(path);
        TopicValue previous = topic.spec().retainsValue() ? current.value() : null;
        topic.state(new Topic.State(seq, topic.spec().retainsValue() ? value : null));
        pending.add(new TopicUpdate(topic, seq, previous, value));
        wake(path);
    }

    /**
     * True when change {@code seq} comes right after the state held here. An older one is ignored (applied
     * already); one after a gap reloads the topic from the store, which sends subscribers a whole value.
     */
    private boolean follows(String path, Topic.State current, long seq) {
        if (seq <= current.seq()) {
            return false;
        }
        if (seq != current.seq() + 1) {
            reload(path);
            return false;
        }
        return true;
    }

    @Override
    public synchronized void event(String path, long seq, long timeMillis, Long editOf, String author, String valueText) {
        Topic topic = tree.get(path);
        if (topic == null || !topic.spec().isTimeSeries()) {
            reload(path);
            return;
        }
        Topic.State current = topic.state();
        if (!follows(path, current, seq)) {
            return;
        }
        TopicValue value = TopicValue.fromText(topic.spec().valueType(), valueText);
        touch(path);
        topic.state(new Topic.State(seq, value));
        pending.add(TopicUpdate.event(topic, new TimeSeriesEvent(seq, timeMillis, author, value, editOf)));
        wake(path);
    }

    @Override
    public synchronized void removed(String path) {
        handOver();
        touch(path);
        removeLocal(path);
        wake(path);
    }

    @Override
    public synchronized void endOfBatch() {
        handOver();
    }

    /** Hands the updates applied so far to the listener, in order, before anything else reaches it. */
    private void handOver() {
        if (pending.isEmpty()) {
            return;
        }
        List<TopicUpdate> updates = pending;
        pending = new ArrayList<>();
        listener.topicsUpdated(updates);
    }

    @Override
    public CompletionStage<Void> awaitApplied(String path, Predicate<Topic> condition) {
        // The common case needs no lock: the write is already applied (the tree is read lock-free).
        if (condition.test(tree.get(path))) {
            return CompletableFuture.completedFuture(null);
        }
        return awaitAppliedLocked(path, condition);
    }

    private synchronized CompletionStage<Void> awaitAppliedLocked(String path, Predicate<Topic> condition) {
        if (condition.test(tree.get(path))) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        Waiter waiter = new Waiter(condition, done);
        waiters.computeIfAbsent(path, p -> new ArrayList<>()).add(waiter);
        done.completeOnTimeout(null, APPLY_WAIT_MS, TimeUnit.MILLISECONDS).whenComplete((v, e) -> forget(path, waiter));
        return done;
    }

    private synchronized void forget(String path, Waiter waiter) {
        List<Waiter> list = waiters.get(path);
        if (list != null && list.remove(waiter) && list.isEmpty()) {
            waiters.remove(path);
        }
    }

    /** Completes the waiters whose condition the topic at {@code path} now meets. */
    private void wake(String path) {
        if (waiters.isEmpty()) {
            return;
        }
        List<Waiter> list = waiters.get(path);
        if (list == null) {
            return;
        }
        Topic topic = tree.get(path);
        for (Iterator<Waiter> it = list.iterator(); it.hasNext(); ) {
            Waiter waiter = it.next();
            if (waiter.condition().test(topic)) {
                it.remove();
                waiter.done().complete(null);
            }
        }
        if (list.isEmpty()) {
            waiters.remove(path);
        }
    }

    /**
     * Reloads the whole tree (the change stream reconnected: what was published meanwhile is
     * lost to it). Not ready until done; a load that fails is tried again after a second.
     */
    @Override
    public void resync() {
        resyncPending = true;
        long since = beginLoad();
        store.loadAll().whenComplete((topics, error) -> {
            try {
                if (error != null) {
                    LOG.warnv("cannot reload the topic tree from the store: {0}; trying again in 1 s", error.toString());
                    CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS).execute(this::resync);
                    return;
                }
                reconcileAll(topics, since);
                ready.set(true);
                resyncPending = false;
            } finally {
                endLoad();
            }
        });
    }

    /** Applies a full load: adds, updates and removes local topics to match the store. */
    public synchronized void reconcileAll(List<StoredTopic> stored) {
        reconcileAll(stored, serial);
    }

    private synchronized void reconcileAll(List<StoredTopic> stored, long since) {
        Set<String> present = new HashSet<>();
        for (StoredTopic topic : stored) {
            present.add(topic.path());
            reconcile(topic.path(), Optional.of(topic), since);
            wake(topic.path());
        }
        for (Topic topic : tree.all()) {
            if (!present.contains(topic.path()) && !changedSince(topic.path(), since)) {
                removeLocal(topic.path());
            }
        }
    }

    private void reload(String path) {
        long since = beginLoad();
        store.load(path).whenComplete((stored, error) -> {
            try {
                if (error != null) {
                    LOG.warnv("cannot reload topic {0}: {1}", path, error.toString());
                } else {
                    synchronized (this) {
                        reconcile(path, stored, since);
                        wake(path);
                    }
                }
            } finally {
                endLoad();
            }
        });
    }

    /** Makes the local topic match what a load that began at {@code since} read, unless it changed since. */
    private void reconcile(String path, Optional<StoredTopic> stored, long since) {
        handOver();
        if (changedSince(path, since)) {
            return;
        }
        Topic local = tree.get(path);
        if (stored.isEmpty()) {
            if (local != null) {
                removeLocal(path);
            }
            return;
        }
        StoredTopic s = stored.get();
        if (local != null && !local.spec().equals(s.spec())) {
            removeLocal(path);
            local = null;
        }
        if (local == null) {
            local = tree.add(path, s.spec(), new Topic.State(s.seq(), s.value()));
            listener.topicAdded(local);
            return;
        }
        if (s.seq() < local.state().seq()) {
            // The store went back behind what this replica applied and its subscribers hold (a
            // failed-over master lost its last writes): raise the store's seq past it, rather than
            // give subscribers a lower seq they would drop; a retained value comes back at the
            // raised seq as an ordinary update (docs/design.md, "On a Redis Cluster").
            boolean republished = local.spec().retainsValue() && !local.spec().isTimeSeries();
            long floor = local.state().seq() + (republished ? 1 : 0);
            LOG.warnv("topic {0} is at seq {1} in the store, behind the {2} applied here: raising it to {3}",
                    path, s.seq(), local.state().seq(), floor);
            store.raiseSeq(path, floor).whenComplete((raised, error) -> {
                if (error != null) {
                    LOG.warnv("cannot raise the seq of {0}: {1}", path, error.toString());
                }
            });
            return;
        }
        if (s.seq() > local.state().seq()) {
            local.state(new Topic.State(s.seq(), s.value()));
            if (local.spec().isTimeSeries()) {
                listener.topicUpdated(TopicUpdate.resync(local, s.seq()));
            } else if (s.value() != null) {
                // The previous value is unknown to subscribers: they get the whole value.
                listener.topicUpdated(new TopicUpdate(local, s.seq(), null, s.value()));
            }
        }
    }

    private void removeLocal(String path) {
        Topic removed = tree.remove(path);
        if (removed != null) {
            listener.topicRemoved(removed);
        }
    }
}
