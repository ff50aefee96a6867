package io.pushgate.gateway.wiring;

import io.pushgate.gateway.config.GatewayConfig;
import io.pushgate.gateway.config.MessagingConfig;
import io.pushgate.gateway.control.SessionDirectory;
import io.pushgate.gateway.health.StoreHealth;
import io.pushgate.gateway.memory.MemoryStores;
import io.pushgate.gateway.messaging.Messaging;
import io.pushgate.gateway.presence.PresenceStore;
import io.pushgate.gateway.redis.RedisMessageRouter;
import io.pushgate.gateway.redis.RedisStores;
import io.pushgate.gateway.redis.RedisTopicStore;
import io.pushgate.gateway.redis.WriteStats;
import io.pushgate.gateway.security.SecurityService;
import io.pushgate.gateway.security.SecurityStore;
import io.pushgate.gateway.store.Stores;
import io.pushgate.gateway.timeseries.EventHistory;
import io.pushgate.gateway.topics.TopicStore;
import io.pushgate.gateway.topics.TopicTree;
import io.pushgate.gateway.views.ViewStore;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The store ports, built in one place from {@code gateway.store}: {@link #storeSet} makes the whole
 * set ({@code redis}: {@link RedisStores}; {@code memory}: {@link MemoryStores}, no Redis
 * connection), and each port is produced from it once.
 */
@ApplicationScoped
public class StoreProducers {

    private static final Logger LOG = Logger.getLogger(StoreProducers.class);
    /** gateway.redis.shards when 0 (automatic) on a Redis Cluster: enough to spread over a few dozen masters. */
    static final int DEFAULT_CLUSTER_SHARDS = 16;

    @Produces
    @Singleton
    RedisConnection redisConnection(
            @ConfigProperty(name = "quarkus.redis.hosts", defaultValue = "redis://localhost:6379") String hosts,
            @ConfigProperty(name = "quarkus.redis.client-type", defaultValue = "standalone") String clientType) {
        return new RedisConnection(hosts, clientType);
    }

    @Produces
    @Singleton
    StoreSet storeSet(GatewayConfig config, MessagingConfig messaging, Vertx vertx, Redis redis, RedisConnection connection,
                      TopicTree tree, SecurityService security) {
        checkSettings(config, messaging);
        return switch (config.store()) {
            case REDIS -> redisStores(config, messaging, vertx, redis, connection, tree, security);
            case MEMORY -> memoryStores();
        };
    }

    /** The settings every store checks, whichever holds the state: a bad pair fails the start and names both. */
    private static void checkSettings(GatewayConfig config, MessagingConfig messaging) {
        GatewayConfig.Sessions sc = config.sessions();
        if (sc.directoryHeartbeat().compareTo(sc.directoryTtl()) >= 0) {
            throw new IllegalStateException("gateway.sessions.directory-heartbeat (" + sc.directoryHeartbeat()
                    + ") must be less than gateway.sessions.directory-ttl (" + sc.directoryTtl() + ")");
        }
        if (messaging.registryRefresh().compareTo(messaging.registryTtl()) >= 0) {
            throw new IllegalStateException("gateway.messaging.registry-refresh (" + messaging.registryRefresh()
                    + ") must be shorter than gateway.messaging.registry-ttl (" + messaging.registryTtl() + ")");
        }
    }

    /** One node on its own: every port in memory, no Redis connection (the Redis client is never asked for anything). */
    private static StoreSet memoryStores() {
        MemoryStores stores = new MemoryStores();
        LOG.info("topic store: in memory (gateway.store=memory): one gateway on its own, nothing kept when it stops");
        // One process: every change is seen, nothing is sharded.
        StoreHealth health = StoreHealth.of(() -> true, () -> 0, () -> null);
        return new StoreSet(stores, health, new WriteStats(), (inbox, handlerPaths) -> stores.messages().start(inbox), () -> {
        }, stores::close);
    }

    private static StoreSet redisStores(GatewayConfig config, MessagingConfig messaging, Vertx vertx, Redis redis,
                                        RedisConnection connection, TopicTree tree, SecurityService security) {
        GatewayConfig.Redis r = config.redis();
        GatewayConfig.Sessions sc = config.sessions();
        boolean cluster = connection.cluster();
        int shards = r.shards() > 0 ? r.shards() : cluster ? DEFAULT_CLUSTER_SHARDS : 0;
        RedisStores stores = new RedisStores(vertx, redis, new RedisStores.Settings(r.keyPrefix(), connection.firstUri(), cluster, shards,
                RedisTopicStore.laneLimits(r.writeBatchChanges(), r.writeBatchBytes(), r.writesInFlight(), r.maxQueuedWrites(),
                        r.applyWait().toMillis(), r.writeBacklog(), r.waitReplicas(), r.waitTimeout().toMillis()),
                sc.directoryTtl(), sc.directoryHeartbeat(), messaging.registryTtl(), messaging.registryRefresh()), tree, security);
        LOG.infof("topic store: %s, %s%s", cluster ? "a Redis Cluster" : "one Redis", shards == 0 ? "unsharded" : shards + " shards",
                r.waitReplicas() > 0 ? ", each write confirmed by " + r.waitReplicas() + " replica(s)" : "");
        RedisTopicStore topics = stores.topics();
        RedisMessageRouter router = stores.messages();
        return new StoreSet(stores, StoreHealth.of(topics::isFollowingChanges, topics::shards, topics::layoutProblem), topics.writeStats(),
                router::start, router::stop, () -> {
                });
    }

    @Produces
    @Singleton
    Stores stores(StoreSet set) {
        return set.ports();
    }

    @Produces
    @Singleton
    TopicStore topicStore(Stores stores) {
        return stores.topics();
    }

    @Produces
    @Singleton
    EventHistory eventHistory(Stores stores) {
        return stores.history();
    }

    @Produces
    @Singleton
    ViewStore viewStore(Stores stores) {
        return stores.views();
    }

    @Produces
    @Singleton
    SecurityStore securityStore(Stores stores) {
        return stores.security();
    }

    @Produces
    @Singleton
    PresenceStore presenceStore(Stores stores) {
        return stores.presence();
    }

    @Produces
    @Singleton
    SessionDirectory sessionDirectory(Stores stores) {
        return stores.sessions();
    }

    @Produces
    @Singleton
    Messaging.Router messageRouter(Stores stores) {
        return stores.messages();
    }

    @Produces
    @Singleton
    StoreHealth storeHealth(StoreSet set) {
        return set.health();
    }

    @Produces
    @Singleton
    WriteStats writeStats(StoreSet set) {
        return set.writeStats();
    }
}
