package io.pushgate.gateway.memory;

import io.pushgate.gateway.presence.PresenceCounts;
import io.pushgate.gateway.presence.PresenceStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * The presence state in memory, with the same rules as {@code redis.RedisPresenceStore}: entries
 * per topic and replica, dirty marks, heartbeats that expire after their TTL, the topics each
 * replica has entries for (so a dead replica's are reaped) and an expiring writer lease. Every
 * method is one step under this object's lock, which gives the port's orderings at once.
 */
public final class MemoryPresenceStore implements PresenceStore {

    private final Map<String, Map<String, PresenceCounts>> entries = new HashMap<>();
    private final Set<String> dirty = new HashSet<>();
    /** Registered replicas and when their heartbeat expires (milliseconds of {@link #clockMillis}). */
    private final Map<String, Long> heartbeats = new HashMap<>();
    private final Map<String, Set<String>> topicsOf = new HashMap<>();
    private final LongSupplier clockMillis;
    private String writer;
    private long writerUntil;

    public MemoryPresenceStore() {
        this(() -> System.nanoTime() / 1_000_000);
    }

    MemoryPresenceStore(LongSupplier clockMillis) {
        this.clockMillis = clockMillis;
    }

    @Override
    public synchronized CompletionStage<Void> publish(String replica, String path, PresenceCounts counts) {
        if (counts.isEmpty()) {
            Map<String, PresenceCounts> topic = entries.get(path);
            if (topic != null) {
                topic.remove(replica);
                if (topic.isEmpty()) {
                    entries.remove(path);
                }
            }
            Set<String> paths = topicsOf.get(replica);
            if (paths != null) {
                paths.remove(path);
            }
        } else {
            topicsOf.computeIfAbsent(replica, r -> new HashSet<>()).add(path);
            entries.computeIfAbsent(path, p -> new HashMap<>()).put(replica, counts);
        }
        dirty.add(path);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletionStage<List<PresenceCounts>> read(String path) {
        Map<String, PresenceCounts> topic = entries.get(path);
        return CompletableFuture.completedFuture(topic == null ? new ArrayList<>() : new ArrayList<>(topic.values()));
    }

    @Override
    public synchronized CompletionStage<Set<String>> takeDirty() {
        Set<String> taken = new HashSet<>(dirty);
        dirty.clear();
        return CompletableFuture.completedFuture(taken);
    }

    @Override
    public synchronized CompletionStage<Boolean> heartbeat(String replica, Duration ttl) {
        boolean registered = heartbeats.containsKey(replica);
        heartbeats.put(replica, clockMillis.getAsLong() + ttl.toMillis());
        return CompletableFuture.completedFuture(!registered);
    }

    @Override
    public synchronized CompletionStage<Boolean> claimWriter(String replica, Duration ttl) {
        long now = clockMillis.getAsLong();
        if (writer == null || writer.equals(replica) || writerUntil <= now) {
            writer = replica;
            writerUntil = now + ttl.toMillis();
            return CompletableFuture.completedFuture(true);
        }
        return CompletableFuture.completedFuture(false);
    }

    @Override
    public synchronized CompletionStage<Set<String>> reapDead(String self) {
        long now = clockMillis.getAsLong();
        Set<String> reaped = new HashSet<>();
        for (String replica : new ArrayList<>(heartbeats.keySet())) {
            if (!replica.equals(self) && heartbeats.get(replica) <= now) {
                Set<String> paths = topicsOf.remove(replica);
                if (paths != null) {
                    for (String path : paths) {
                        removeEntry(path, replica);
                    }
                    reaped.addAll(paths);
                }
                heartbeats.remove(replica);
            }
        }
        return CompletableFuture.completedFuture(reaped);
    }

    @Override
    public synchronized CompletionStage<Void> leave(String replica, Collection<String> paths) {
        for (String path : paths) {
            removeEntry(path, replica);
            dirty.add(path);
        }
        topicsOf.remove(replica);
        heartbeats.remove(replica);
        if (replica.equals(writer)) {
            writer = null;
        }
        return CompletableFuture.completedFuture(null);
    }

    private void removeEntry(String path, String replica) {
        Map<String, PresenceCounts> topic = entries.get(path);
        if (topic != null) {
            topic.remove(replica);
            if (topic.isEmpty()) {
                entries.remove(path);
            }
        }
    }
}
