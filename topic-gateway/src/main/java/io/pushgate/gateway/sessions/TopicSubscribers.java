package io.pushgate.gateway.sessions;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;

/**
 * The sessions subscribed to one topic, grouped by event loop: an update is handed to each
 * event loop once, and that loop writes to all of its own connections (not one task per
 * connection).
 */
final class TopicSubscribers {

    private final Map<Executor, Set<Session>> byLoop = new ConcurrentHashMap<>();

    void add(Session session) {
        byLoop.computeIfAbsent(session.executor(), e -> ConcurrentHashMap.newKeySet()).add(session);
    }

    void remove(Session session) {
        Set<Session> set = byLoop.get(session.executor());
        if (set != null) {
            set.remove(session);
        }
    }

    void forEachLoop(BiConsumer<Executor, Set<Session>> action) {
        byLoop.forEach((loop, sessions) -> {
            if (!sessions.isEmpty()) {
                action.accept(loop, sessions);
            }
        });
    }
}
