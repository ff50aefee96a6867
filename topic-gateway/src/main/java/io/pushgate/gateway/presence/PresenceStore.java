package io.pushgate.gateway.presence;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * The port to the presence state shared by the replicas (implementations:
 * {@code io.pushgate.gateway.redis.RedisPresenceStore}, {@code io.pushgate.gateway.memory.MemoryPresenceStore}).
 *
 * <p>What it holds: per presence-enabled topic, each replica's counts of its own sessions (one
 * entry per replica, written only by that replica); the set of topics whose entries changed and
 * whose presence topic is to be recomputed ("dirty"); per replica, a heartbeat that expires after
 * a TTL unless renewed, and the set of topics it has entries for, so that the entries of a replica
 * whose heartbeat expired can be found and removed; and a writer lease.
 *
 * <p>Guarantees the keeper relies on: {@link #publish} makes the entry findable by {@link #reapDead}
 * before it is visible to {@link #read} (no entry outlives its replica unnoticed), and marks the
 * topic dirty after writing it (the writer that takes the mark reads the new entry). Nothing here
 * is atomic across topics, and need not be: every recomputation reads the whole of one topic's
 * entries again.
 */
public interface PresenceStore {

    /** Stores this replica's counts for a topic (removes its entry when empty), then marks the topic dirty. */
    CompletionStage<Void> publish(String replica, String path, PresenceCounts counts);

    /** Every replica's entry for a topic. */
    CompletionStage<List<PresenceCounts>> read(String path);

    /** Takes (and clears) the dirty marks: the topics to recompute. */
    CompletionStage<Set<String>> takeDirty();

    /**
     * Renews this replica's heartbeat for {@code ttl} and registers it among the replicas. True when
     * it was not registered (its first heartbeat, or its entries were reaped while it was paused):
     * it must then publish all of its entries again.
     */
    CompletionStage<Boolean> heartbeat(String replica, Duration ttl);

    /** Claims or renews the writer lease for {@code ttl}: true while this replica holds it. */
    CompletionStage<Boolean> claimWriter(String replica, Duration ttl);

    /**
     * Removes the entries of every registered replica other than {@code self} whose heartbeat has
     * expired, and the replica itself from the register; returns the topics whose entries it removed.
     */
    CompletionStage<Set<String>> reapDead(String self);

    /**
     * This replica leaves (a graceful shutdown): its entries for {@code paths} are removed and marked
     * dirty, its heartbeat and registration go, and its writer lease if it holds it.
     */
    CompletionStage<Void> leave(String replica, Collection<String> paths);
}
