package io.pushgate.gateway.messaging;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Requests that wait for an answer, each with an owner (the session that sent it, or the session it
 * was delivered to) and a deadline. Bounded twice: at most {@code maxPerOwner} entries per owner
 * and {@code maxTotal} in all, so that no session, however fast it sends or however slowly it
 * answers, can make the table grow without limit; and every entry leaves it at the latest at its
 * deadline ({@link #expire}), or when its owner goes ({@link #removeOwner}).
 *
 * <p>Not thread-safe: its user ({@link Messaging}) holds its own lock around it.
 */
final class PendingRequests<T> {

    /** One waiting request. */
    record Entry<T>(String id, String owner, long deadline, T value) {
    }

    private static final Comparator<Entry<?>> BY_DEADLINE = Comparator.<Entry<?>>comparingLong(Entry::deadline).thenComparing(Entry::id);

    private final int maxPerOwner;
    private final int maxTotal;
    private final Map<String, Entry<T>> byId = new HashMap<>();
    private final Map<String, Set<String>> byOwner = new HashMap<>();
    private final TreeSet<Entry<T>> byDeadline = new TreeSet<>(BY_DEADLINE);

    PendingRequests(int maxPerOwner, int maxTotal) {
        if (maxPerOwner < 1 || maxTotal < 1) {
            throw new IllegalArgumentException("the limits must be at least 1");
        }
        this.maxPerOwner = maxPerOwner;
        this.maxTotal = maxTotal;
    }

    /** Why an entry was not added. */
    enum Refusal { NONE, OWNER_FULL, TABLE_FULL, DUPLICATE }

    /** Adds an entry; {@link Refusal#NONE} when added, otherwise why not (and nothing changed). */
    Refusal add(String id, String owner, long deadline, T value) {
        if (byId.containsKey(id)) {
            return Refusal.DUPLICATE;
        }
        Set<String> owned = byOwner.get(owner);
        if (owned != null && owned.size() >= maxPerOwner) {
            return Refusal.OWNER_FULL;
        }
        if (byId.size() >= maxTotal) {
            return Refusal.TABLE_FULL;
        }
        Entry<T> entry = new Entry<>(id, owner, deadline, value);
        byId.put(id, entry);
        byOwner.computeIfAbsent(owner, o -> new LinkedHashSet<>()).add(id);
        byDeadline.add(entry);
        return Refusal.NONE;
    }

    Entry<T> get(String id) {
        return byId.get(id);
    }

    /** Removes and returns the entry, or null when there is none (answered, expired, or never added). */
    Entry<T> remove(String id) {
        Entry<T> entry = byId.remove(id);
        if (entry == null) {
            return null;
        }
        byDeadline.remove(entry);
        Set<String> owned = byOwner.get(entry.owner());
        owned.remove(id);
        if (owned.isEmpty()) {
            byOwner.remove(entry.owner());
        }
        return entry;
    }

    /** Removes and returns every entry whose deadline is at or before {@code now}, earliest first. */
    List<Entry<T>> expire(long now) {
        List<Entry<T>> expired = new ArrayList<>();
        while (!byDeadline.isEmpty() && byDeadline.first().deadline() <= now) {
            expired.add(remove(byDeadline.first().id()));
        }
        return expired;
    }

    /** Removes and returns every entry of the owner (it went away). */
    List<Entry<T>> removeOwner(String owner) {
        Set<String> owned = byOwner.get(owner);
        if (owned == null) {
            return List.of();
        }
        List<Entry<T>> removed = new ArrayList<>();
        for (String id : List.copyOf(owned)) {
            removed.add(remove(id));
        }
        return removed;
    }

    int size() {
        return byId.size();
    }

    int count(String owner) {
        Set<String> owned = byOwner.get(owner);
        return owned == null ? 0 : owned.size();
    }
}
