package io.pushgate.gateway.store;

import io.pushgate.gateway.control.SessionDirectory;
import io.pushgate.gateway.messaging.Messaging;
import io.pushgate.gateway.presence.PresenceStore;
import io.pushgate.gateway.security.SecurityStore;
import io.pushgate.gateway.timeseries.EventHistory;
import io.pushgate.gateway.topics.TopicStore;
import io.pushgate.gateway.views.ViewStore;
import java.util.function.Consumer;

/**
 * One set of store ports for a contract test: the memory ones ({@code memory.MemoryFixture}) or
 * the Redis ones against a real redis-server ({@code redis.RedisFixture}). Each test gets a fresh one.
 */
public interface StoresFixture extends AutoCloseable {

    TopicStore topics();

    ChangeStream changes();

    EventHistory history();

    ViewStore views();

    SecurityStore security();

    PresenceStore presence();

    /** A session directory as one replica; a second call makes a second replica where the kind has replicas. */
    SessionDirectory directory();

    /** The messaging router of a replica with this id, started with {@code inbox}. */
    Messaging.Router router(String replica, Consumer<String> inbox);

    /** True when the kind has other replicas (Redis): what a single node cannot show is skipped otherwise. */
    boolean hasReplicas();

    @Override
    void close();
}
