package io.pushgate.gateway.wiring;

import io.pushgate.gateway.config.GatewayConfig;
import io.pushgate.gateway.config.MessagingConfig;
import io.pushgate.gateway.control.SessionDirectory;
import io.pushgate.gateway.health.StoreHealth;
import io.pushgate.gateway.memory.MemoryStores;
import io.pushgate.gateway.messaging.Messaging;
import io.pushgate.gateway.presence.PresenceStore;
import io.pushgate.gateway.redis.RedisEventHistory;
import io.pushgate.gateway.redis.RedisMessageRouter;
import io.pushgate.gateway.redis.RedisPresenceStore;
import io.pushgate.gateway.redis.RedisSecurityStore;
import io.pushgate.gateway.redis.RedisSessionDirectory;
import io.pushgate.gateway.redis.RedisTopicStore;
import io.pushgate.gateway.redis.RedisViews;
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
 * set ({@code redis}: the Redis adapters; {@code memory}: {@link MemoryStores}, no Redis
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
        boolean cluster = connection.cluster();
        int shards = r.shards() > 0 ? r.shards() : cluster ? DEFAULT_CLUSTER_SHARDS : 0;
        RedisTopicStore topics = new RedisTopicStore(vertx, redis, r.keyPrefix(), connection.firstUri(),
                RedisTopicStore.laneLimits(r.writeBatchChanges(), r.writeBatchBytes(), r.writesInFlight(), r.maxQueuedWrites(),
                        r.applyWait().toMillis(), r.writeBacklog(), r.waitReplicas(), r.waitTimeout().toMillis()), shards, cluster);
        LOG.infof("topic store: %s, %s%s", cluster ? "a Redis Cluster" : "one Redis", shards == 0 ? "unsharded" : shards + " shards",
                r.waitReplicas() > 0 ? ", each write confirmed by " + r.waitReplicas() + " replica(s)" : "");
        GatewayConfig.Sessions sc = config.sessions();
        RedisSessionDirectory sessions = new RedisSessionDirectory(vertx, redis,
                new RedisSessionDirectory.Settings(r.keyPrefix(), shards, cluster, connection.firstUri(), sc.directoryTtl(),
                        sc.directoryHeartbeat()));
        // The session directory's replica id: a session's messaging id is its $SessionId.
        RedisMessageRouter router = new RedisMessageRouter(vertx, redis, r.keyPrefix(), topics.shards(), cluster, connection.firstUri(),
                sessions.replicaId(), messaging.registryTtl().toMillis(), messaging.registryRefresh().toMillis());
        StoreHealth health = StoreHealth.of(topics::isFollowingChanges, topics::shards, topics::layoutProblem);
        RedisPorts ports = new RedisPorts(topics, topics,
                new RedisEventHistory(redis, r.keyPrefix(), shards, tree),
                new RedisViews(vertx, redis, r.keyPrefix(), topics.shards()),
                new RedisSecurityStore(redis, r.keyPrefix(), shards, security),
                new RedisPresenceStore(redis, r.keyPrefix(), topics.shards()),
                sessions, router);
        return new StoreSet(ports, health, topics.writeStats(), router::start, router::stop, () -> {
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
