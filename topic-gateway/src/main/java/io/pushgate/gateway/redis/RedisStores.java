package io.pushgate.gateway.redis;

import io.pushgate.gateway.security.SecurityService;
import io.pushgate.gateway.store.ChangeStream;
import io.pushgate.gateway.store.Stores;
import io.pushgate.gateway.topics.TopicTree;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.time.Duration;

/**
 * Every port to shared state on Redis, built from one set of settings: the counterpart of
 * {@code memory.MemoryStores} for {@code gateway.store=redis}. The topic store is also the change
 * stream (its change channels carry the view and security changes too).
 */
public final class RedisStores implements Stores {

    /**
     * @param prefix {@code gateway.redis.key-prefix}
     * @param redisUri the first of {@code quarkus.redis.hosts}
     * @param cluster {@code quarkus.redis.client-type=cluster}
     * @param shards {@code gateway.redis.shards} as resolved (0: unsharded; a cluster needs some)
     * @param lanes the write lanes' limits ({@link RedisTopicStore#laneLimits})
     * @param directoryTtl {@code gateway.sessions.directory-ttl}; {@code directoryHeartbeat} its renewal
     * @param registryTtl {@code gateway.messaging.registry-ttl}; {@code registryRefresh} its renewal
     */
    public record Settings(String prefix, String redisUri, boolean cluster, int shards, WriteLane.Limits lanes,
                           Duration directoryTtl, Duration directoryHeartbeat, Duration registryTtl, Duration registryRefresh) {
    }

    private final RedisTopicStore topics;
    private final RedisEventHistory history;
    private final RedisViews views;
    private final RedisSecurityStore security;
    private final RedisPresenceStore presence;
    private final RedisSessionDirectory sessions;
    private final RedisMessageRouter messages;

    /**
     * @param tree the gateway's tree: the event history reads a time series' event type there
     * @param securityService applied at once by the security store's writes (read your writes)
     */
    public RedisStores(Vertx vertx, Redis redis, Settings s, TopicTree tree, SecurityService securityService) {
        this.topics = new RedisTopicStore(vertx, redis, s.prefix(), s.redisUri(), s.lanes(), s.shards(), s.cluster());
        this.history = new RedisEventHistory(redis, s.prefix(), s.shards(), tree);
        this.views = new RedisViews(vertx, redis, s.prefix(), s.shards());
        this.security = new RedisSecurityStore(redis, s.prefix(), s.shards(), securityService);
        this.presence = new RedisPresenceStore(redis, s.prefix(), s.shards());
        this.sessions = new RedisSessionDirectory(vertx, redis, new RedisSessionDirectory.Settings(s.prefix(), s.shards(), s.cluster(),
                s.redisUri(), s.directoryTtl(), s.directoryHeartbeat()));
        this.messages = new RedisMessageRouter(vertx, redis, s.prefix(), s.shards(), s.cluster(), s.redisUri(), sessions.replicaId(),
                s.registryTtl().toMillis(), s.registryRefresh().toMillis());
    }

    @Override
    public RedisTopicStore topics() {
        return topics;
    }

    @Override
    public ChangeStream changes() {
        return topics;
    }

    @Override
    public RedisEventHistory history() {
        return history;
    }

    @Override
    public RedisViews views() {
        return views;
    }

    @Override
    public RedisSecurityStore security() {
        return security;
    }

    @Override
    public RedisPresenceStore presence() {
        return presence;
    }

    @Override
    public RedisSessionDirectory sessions() {
        return sessions;
    }

    @Override
    public RedisMessageRouter messages() {
        return messages;
    }
}
