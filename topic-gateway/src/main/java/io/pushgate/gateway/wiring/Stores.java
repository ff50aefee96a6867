package io.pushgate.gateway.wiring;

import io.pushgate.gateway.control.SessionDirectory;
import io.pushgate.gateway.health.StoreHealth;
import io.pushgate.gateway.messaging.Messaging;
import io.pushgate.gateway.presence.PresenceStore;
import io.pushgate.gateway.redis.RedisSecurityStore;
import io.pushgate.gateway.redis.RedisViews;
import io.pushgate.gateway.redis.WriteStats;
import io.pushgate.gateway.store.TopicStore;
import io.pushgate.gateway.timeseries.EventHistory;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Every store port of one gateway, built together by {@link StoreProducers} from one choice
 * ({@code gateway.store}): the Redis implementations, or the memory ones. Each port is then
 * produced from here, so that nothing else chooses.
 *
 * <p>The views and security stores are still the Redis classes (they have no port yet); the
 * messaging router's start and stop are not part of its port, so they travel here as functions.
 *
 * @param topics          the topic store and its change stream
 * @param history         time-series events
 * @param views           view definitions and which replica evaluates each
 * @param security        roles and principals' overrides
 * @param presence        every replica's presence counts
 * @param sessions        every replica's sessions and their command channels
 * @param messageRouter   requests between replicas
 * @param routerStart     starts the router: the inbox for this replica's messages, its handler paths
 * @param routerStop      stops the router
 * @param health          what readiness reports of the store
 * @param writeStats      the write path's counters (metrics)
 */
record Stores(TopicStore topics, EventHistory history, RedisViews views, RedisSecurityStore security, PresenceStore presence,
              SessionDirectory sessions, Messaging.Router messageRouter, RouterStart routerStart, Runnable routerStop,
              StoreHealth health, WriteStats writeStats) {

    /** Starts a messaging router: where received messages go, and this replica's handler paths. */
    interface RouterStart {
        void start(Consumer<String> inbox, Supplier<java.util.Set<String>> handlerPaths);
    }
}
