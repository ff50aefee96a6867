package io.pushgate.gateway.presence;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * This replica's own sessions subscribed to each presence-enabled topic, as a multiset per topic
 * path (a session is subscribed to a path once, but a topic removed and added again may briefly
 * hold the old subscription and the new). Counts are computed when asked for, from each session's
 * principal at that moment, so a session that authenticates after subscribing is counted under its
 * principal from the next computation on.
 *
 * <p>Not thread-safe: the {@link PresenceKeeper} confines it to its own thread.
 *
 * @param <S> the session type (the gateway's {@code Session}; anything with identity in tests)
 */
public final class LocalPresence<S> {

    private final Map<String, Map<S, Integer>> byPath = new HashMap<>();
    private final Function<S, String> principalOf;

    /** {@code principalOf}: the session's principal, or null for an anonymous session (counted, not named). */
    public LocalPresence(Function<S, String> principalOf) {
        this.principalOf = principalOf;
    }

    public void subscribed(String path, S session) {
        byPath.computeIfAbsent(path, p -> new HashMap<>()).merge(session, 1, Integer::sum);
    }

    public void unsubscribed(String path, S session) {
        Map<S, Integer> sessions = byPath.get(path);
        if (sessions == null) {
            return;
        }
        sessions.computeIfPresent(session, (s, n) -> n > 1 ? n - 1 : null);
        if (sessions.isEmpty()) {
            byPath.remove(path);
        }
    }

    /** The counts of this replica's sessions for one path; {@link PresenceCounts#EMPTY} when none. */
    public PresenceCounts counts(String path) {
        Map<S, Integer> sessions = byPath.get(path);
        if (sessions == null) {
            return PresenceCounts.EMPTY;
        }
        Map<String, Integer> principals = new TreeMap<>();
        int count = 0;
        for (Map.Entry<S, Integer> e : sessions.entrySet()) {
            // A session holds one subscription per path; the multiset only bridges a replaced topic.
            count++;
            String principal = principalOf.apply(e.getKey());
            if (principal != null) {
                principals.merge(principal, 1, Integer::sum);
            }
        }
        return PresenceCounts.of(count, principals);
    }

    /** The paths with at least one local session. */
    public Set<String> paths() {
        return byPath.keySet();
    }
}
