package io.pushgate.gateway.store;

import io.pushgate.gateway.control.SessionDirectory;
import io.pushgate.gateway.messaging.Messaging;
import io.pushgate.gateway.presence.PresenceStore;
import io.pushgate.gateway.security.SecurityStore;
import io.pushgate.gateway.timeseries.EventHistory;
import io.pushgate.gateway.topics.TopicStore;
import io.pushgate.gateway.views.ViewStore;

/**
 * One whole set of the gateway's ports to shared state, of one kind: {@code memory.MemoryStores}
 * (one node, no Redis: {@code gateway.store=memory}) or the Redis adapters (package {@code redis}).
 * This package depends on the feature packages and none of them on it.
 */
public interface Stores {

    TopicStore topics();

    ChangeStream changes();

    EventHistory history();

    ViewStore views();

    SecurityStore security();

    PresenceStore presence();

    SessionDirectory sessions();

    Messaging.Router messages();
}
