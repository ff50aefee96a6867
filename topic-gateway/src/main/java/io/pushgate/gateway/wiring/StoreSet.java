package io.pushgate.gateway.wiring;

import io.pushgate.gateway.health.StoreHealth;
import io.pushgate.gateway.redis.WriteStats;
import io.pushgate.gateway.store.Stores;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The store ports of one gateway as {@link StoreProducers} chose them ({@code gateway.store}),
 * with what the wiring needs of them beyond the ports: what readiness and the metrics report, and
 * how the messaging router and the set itself start and stop (not part of the ports, and not the
 * same for Redis and memory).
 *
 * @param ports       every port: topics, change stream, history, views, security, presence, sessions, messages
 * @param health      what readiness reports of the store
 * @param writeStats  the write path's counters (metrics; zero with memory)
 * @param routerStart starts the messaging router: the inbox for this replica's messages, its handler paths
 * @param routerStop  stops the messaging router
 * @param close       releases what the set holds (threads, connections), last at shutdown
 */
record StoreSet(Stores ports, StoreHealth health, WriteStats writeStats, RouterStart routerStart, Runnable routerStop,
                Runnable close) {

    /** Starts a messaging router: where received messages go, and this replica's handler paths. */
    interface RouterStart {
        void start(Consumer<String> inbox, Supplier<Set<String>> handlerPaths);
    }
}
