package io.pushgate.gateway.presence;

import io.pushgate.gateway.sessions.Hub;
import io.pushgate.gateway.sessions.Session;
import io.pushgate.gateway.replication.TopicListener;
import io.pushgate.gateway.replication.TopicUpdate;
import io.pushgate.gateway.topics.PresencePaths;
import io.pushgate.gateway.topics.Topic;
import io.pushgate.gateway.topics.TopicTree;
import io.pushgate.protocol.Causes;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.ProtocolException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Keeps the presence topics ({@code $presence/<path>}) of the topics with {@code PRESENCE=true},
 * across replicas.
 *
 * <p><b>How the replicas share it.</b> Each replica counts its own sessions per topic
 * ({@link LocalPresence}) and publishes those counts to the {@link PresenceStore}, one entry per
 * replica per topic, at most once per {@code coalesce} interval per topic ({@link Coalescer}); a
 * publish marks the topic dirty. <b>One replica at a time writes the presence topics</b>: the
 * holder of the writer lease takes the dirty marks every interval, reads every replica's entry of
 * each marked topic, and sets the presence topic to their sum when it differs from the current
 * value. A single writer was chosen over every replica recomputing and writing: two replicas that
 * each read the entries and then write could store their sums in the opposite order to the one
 * they read them in, leaving a stale sum (nothing later would correct it), and "skip when
 * unchanged" would be unsafe; with one writer the writes are sequential and each reads the
 * entries after the marks it took. The lease changes hands only when its holder dies or leaves;
 * for the moment two replicas might both believe they hold it (a paused holder), each write is
 * conditional on the seq the writer last saw ({@code ifSeq}), so a stale writer's write is refused
 * (CONFLICT) and retried on fresh state. A new writer recomputes every presence topic once.
 *
 * <p><b>A replica that dies</b> stops renewing its heartbeat (TTL {@code replica-ttl}, renewed
 * every third of it); the writer removes the entries of every replica whose heartbeat expired
 * (checked at each of its heartbeats) and recomputes their topics. So a dead replica's sessions
 * leave the presence within {@code replica-ttl} plus a third of it plus one interval; if the dead
 * replica held the writer lease (same TTL), the next writer does the same on taking it over. A
 * replica that was only paused and finds itself reaped publishes all of its entries again.
 *
 * <p>Threading: everything runs on one thread (the scheduler's); the hub's callbacks, which come
 * from event loops, only hand the change over to it.
 */
public final class PresenceKeeper implements TopicListener, Hub.SubscriptionListener {

    private static final Logger LOG = Logger.getLogger(PresenceKeeper.class);
    private static final long LEAVE_TIMEOUT_MS = 2_000;

    /** {@code coalesce}: the interval of the writes; {@code replicaTtl}: how long a silent replica's sessions count. */
    public record Settings(Duration coalesce, Duration replicaTtl) {
        public Settings {
            if (coalesce.isNegative() || coalesce.isZero()) {
                throw new IllegalArgumentException("gateway.presence.coalesce must be positive: " + coalesce);
            }
            if (replicaTtl.toMillis() < 300) {
                throw new IllegalArgumentException("gateway.presence.replica-ttl must be at least 300ms: " + replicaTtl);
            }
        }
    }

    /** Writes presence topics, which nobody else may write. */
    public interface TopicWriter {
        /** Sets (adding it if missing, as JSON) the presence topic, only if it is at {@code ifSeq}; CONFLICT otherwise. */
        CompletionStage<Long> set(String path, PresenceCounts value, long ifSeq);

        CompletionStage<Boolean> remove(String path);
    }

    private final TopicTree tree;
    private final PresenceStore store;
    private final TopicWriter topics;
    private final ScheduledExecutorService thread;
    private final Settings settings;
    private final String replica;
    private final LocalPresence<Session> local = new LocalPresence<>(PresenceKeeper::principalOf);
    /** What this replica's entry holds per topic (non-empty entries only). */
    private final Map<String, PresenceCounts> published = new HashMap<>();
    /** Topics whose publish is in flight: one at a time per topic, so that two never arrive out of order. */
    private final Set<String> publishing = new HashSet<>();
    /** Topics whose entry is not known to hold {@link #published} (a failed publish): written again. */
    private final Set<String> unsure = new HashSet<>();
    private final Coalescer<String> localChanges;
    private final Set<String> toRecompute = new LinkedHashSet<>();
    private final Set<String> recomputing = new HashSet<>();
    private boolean writer;
    private boolean takingDirty;
    private volatile boolean stopped;
    private ScheduledFuture<?> heartbeats;
    private ScheduledFuture<?> writes;

    public PresenceKeeper(TopicTree tree, PresenceStore store, TopicWriter topics, ScheduledExecutorService thread,
                          Settings settings, String replica) {
        this.tree = tree;
        this.store = store;
        this.topics = topics;
        this.thread = thread;
        this.settings = settings;
        this.replica = replica;
        this.localChanges = new Coalescer<>((delay, task) -> thread.schedule(task, delay, TimeUnit.MILLISECONDS),
                settings.coalesce().toMillis(), this::publishLocal);
    }

    /** The principal a session is counted under; null (counted, not named) without credentials. */
    static String principalOf(Session session) {
        String principal = session.principal();
        return principal == null || "anonymous".equals(principal) ? null : principal;
    }

    public String replica() {
        return replica;
    }

    public void start() {
        long beat = Math.max(100, settings.replicaTtl().toMillis() / 3);
        heartbeats = thread.scheduleWithFixedDelay(this::heartbeat, 0, beat, TimeUnit.MILLISECONDS);
        long every = settings.coalesce().toMillis();
        writes = thread.scheduleWithFixedDelay(this::writeRound, every, every, TimeUnit.MILLISECONDS);
    }

    /** Leaves: this replica's sessions leave the presence topics at once, not after the TTL. Waits a little. */
    public void stop() {
        if (stopped) {
            return;
        }
        CompletableFuture<Void> left = new CompletableFuture<>();
        try {
            thread.execute(() -> {
                stopped = true;
                cancelTicks();
                Set<String> paths = new HashSet<>(published.keySet());
                paths.addAll(local.paths());
                paths.addAll(unsure);
                store.leave(replica, paths).whenComplete((v, e) -> left.complete(null));
            });
            left.get(LEAVE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.debugv("presence: leaving took too long or failed: {0}", e.toString());
        }
    }

    private void cancelTicks() {
        if (heartbeats != null) {
            heartbeats.cancel(false);
        }
        if (writes != null) {
            writes.cancel(false);
        }
    }

    // Hub callbacks, on event loops: hand over only.

    @Override
    public void subscribed(Session session, Topic topic) {
        if (topic.spec().presence()) {
            onThread(() -> {
                local.subscribed(topic.path(), session);
                localChanges.mark(topic.path());
            });
        }
    }

    @Override
    public void unsubscribed(Session session, Topic topic) {
        if (topic.spec().presence()) {
            onThread(() -> {
                local.unsubscribed(topic.path(), session);
                localChanges.mark(topic.path());
            });
        }
    }

    @Override
    public void topicAdded(Topic topic) {
        if (topic.spec().presence()) {
            onThread(() -> {
                if (writer) {
                    toRecompute.add(topic.path());
                }
            });
        }
    }

    @Override
    public void topicUpdated(TopicUpdate update) {
        // Values do not change who is subscribed.
    }

    @Override
    public void topicsUpdated(List<TopicUpdate> updates) {
        // as above
    }

    @Override
    public void topicRemoved(Topic topic) {
        if (topic.spec().presence()) {
            onThread(() -> {
                if (writer) {
                    toRecompute.remove(topic.path());
                    String presence = PresencePaths.presenceOf(topic.path());
                    if (tree.get(presence) != null) {
                        topics.remove(presence);
                    }
                    // The entries stay: each replica removes its own as its sessions' subscriptions end
                    // (deleting them here would lose those of a topic added again at once).
                }
            });
        }
    }

    private void onThread(Runnable task) {
        if (stopped) {
            return;
        }
        try {
            thread.execute(task);
        } catch (RejectedExecutionException e) {
            // shutting down: the entries go with the heartbeat
        }
    }

    // This replica's entries.

    private void publishLocal(Set<String> paths) {
        for (String path : paths) {
            if (stopped) {
                return;
            }
            if (publishing.contains(path)) {
                localChanges.mark(path); // after the one in flight
                continue;
            }
            PresenceCounts counts = local.counts(path);
            PresenceCounts before = published.getOrDefault(path, PresenceCounts.EMPTY);
            if (counts.equals(before) && !unsure.contains(path)) {
                continue;
            }
            if (counts.isEmpty()) {
                published.remove(path);
            } else {
                published.put(path, counts);
            }
            unsure.remove(path);
            publishing.add(path);
            store.publish(replica, path, counts).whenCompleteAsync((v, error) -> {
                publishing.remove(path);
                if (error != null) {
                    LOG.debugv("presence: cannot publish {0}: {1}", path, error.toString());
                    unsure.add(path);
                    localChanges.mark(path);
                }
            }, thread);
        }
    }

    private void heartbeat() {
        if (stopped) {
            return;
        }
        store.heartbeat(replica, settings.replicaTtl()).whenCompleteAsync((rejoined, error) -> {
            if (error != null) {
                LOG.debugv("presence: heartbeat failed: {0}", error.toString());
                return;
            }
            if (rejoined) {
                // First beat, or reaped while paused: every entry of ours may be gone.
                unsure.addAll(published.keySet());
            }
            // Also picks up sessions whose principal changed since they subscribed.
            local.paths().forEach(localChanges::mark);
            unsure.forEach(localChanges::mark);
            claimWriter();
        }, thread);
    }

    // The writer's part.

    private void claimWriter() {
        store.claimWriter(replica, settings.replicaTtl()).whenCompleteAsync((holds, error) -> {
            boolean now = error == null && holds;
            if (now && !writer) {
                LOG.debugv("presence: {0} writes the presence topics", replica);
                recomputeEverything();
            } else if (!now && writer) {
                toRecompute.clear();
            }
            writer = now;
            if (writer) {
                store.reapDead(replica).whenCompleteAsync((paths, e) -> {
                    if (e == null && writer) {
                        toRecompute.addAll(paths);
                    }
                }, thread);
            }
        }, thread);
    }

    /** Every presence topic once (a new writer): the ones to keep, and the ones whose source is gone. */
    private void recomputeEverything() {
        for (Topic topic : tree.all()) {
            if (topic.spec().presence()) {
                toRecompute.add(topic.path());
            } else if (PresencePaths.isPresence(topic.path()) && !isPresenceSource(PresencePaths.sourceOf(topic.path()))) {
                topics.remove(topic.path());
            }
        }
    }

    private boolean isPresenceSource(String path) {
        Topic source = tree.get(path);
        return source != null && source.spec().presence();
    }

    private void writeRound() {
        if (stopped || !writer) {
            return;
        }
        if (!takingDirty) {
            takingDirty = true;
            store.takeDirty().whenCompleteAsync((dirty, error) -> {
                takingDirty = false;
                if (error == null && writer) {
                    toRecompute.addAll(dirty);
                    recomputeMarked();
                }
            }, thread);
        }
        recomputeMarked();
    }

    private void recomputeMarked() {
        for (String path : List.copyOf(toRecompute)) {
            if (!recomputing.contains(path)) {
                toRecompute.remove(path);
                recompute(path);
            }
        }
    }

    private void recompute(String path) {
        String presencePath = PresencePaths.presenceOf(path);
        if (!isPresenceSource(path)) {
            if (tree.get(presencePath) != null) {
                topics.remove(presencePath);
            }
            return;
        }
        recomputing.add(path);
        store.read(path).thenComposeAsync(entries -> {
            PresenceCounts total = PresenceCounts.sum(entries);
            Topic current = tree.get(presencePath);
            if (current != null && total.equals(valueOf(current))) {
                return CompletableFuture.completedFuture(null);
            }
            long ifSeq = current == null ? 0 : current.state().seq();
            return topics.set(presencePath, total, ifSeq);
        }, thread).whenCompleteAsync((seq, error) -> {
            recomputing.remove(path);
            if (error != null) {
                Throwable cause = Causes.unwrap(error);
                if (!(cause instanceof ProtocolException p && p.code() == ErrorCode.CONFLICT)) {
                    LOG.warnv("presence: cannot write {0}: {1}", presencePath, cause.toString());
                }
                // Written meanwhile, or not applied here yet: again next round, on fresh state.
                toRecompute.add(path);
            }
        }, thread);
    }

    private static PresenceCounts valueOf(Topic presence) {
        Topic.State state = presence.state();
        if (state.value() == null) {
            return null;
        }
        try {
            return PresenceCounts.parse(state.value().text());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
