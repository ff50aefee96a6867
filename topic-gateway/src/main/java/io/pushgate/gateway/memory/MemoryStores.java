package io.pushgate.gateway.memory;

import io.pushgate.gateway.store.ChangeStream;
import io.pushgate.gateway.store.Stores;

/**
 * Every port to shared state, in this process's memory: a gateway with {@code gateway.store=memory}
 * runs on its own, with no Redis, as a single node (nothing is kept across restarts). The same
 * guarantees as the Redis adapters, checked by the same contract tests; what a single node does
 * not have (other replicas) answers as if they were all gone.
 *
 * <p>Wiring: build one, hand {@link #changes()} the listeners as for Redis
 * ({@code changes().listen(...)}), start {@link #messages()} with messaging's inbox, and
 * {@link #close()} it at shutdown (its delivery thread).
 */
public final class MemoryStores implements Stores, AutoCloseable {

    private final MemoryChangeStream changes = new MemoryChangeStream();
    private final MemoryTopicStore topics = new MemoryTopicStore(changes);
    private final MemoryEventHistory history = new MemoryEventHistory(topics);
    private final MemoryViewStore views = new MemoryViewStore(changes);
    private final MemorySecurityStore security = new MemorySecurityStore(changes);
    private final MemoryPresenceStore presence = new MemoryPresenceStore();
    private final MemorySessionDirectory sessions;
    private final MemoryMessageRouter messages;

    /** With a random replica id. */
    public MemoryStores() {
        this(new MemorySessionDirectory());
    }

    /** With this replica id (the prefix of every session id). */
    public MemoryStores(String replicaId) {
        this(new MemorySessionDirectory(replicaId));
    }

    private MemoryStores(MemorySessionDirectory sessions) {
        this.sessions = sessions;
        this.messages = new MemoryMessageRouter(sessions.replicaId());
    }

    @Override
    public MemoryTopicStore topics() {
        return topics;
    }

    @Override
    public ChangeStream changes() {
        return changes;
    }

    @Override
    public MemoryEventHistory history() {
        return history;
    }

    @Override
    public MemoryViewStore views() {
        return views;
    }

    @Override
    public MemorySecurityStore security() {
        return security;
    }

    @Override
    public MemoryPresenceStore presence() {
        return presence;
    }

    @Override
    public MemorySessionDirectory sessions() {
        return sessions;
    }

    @Override
    public MemoryMessageRouter messages() {
        return messages;
    }

    @Override
    public void close() {
        changes.close();
    }
}
