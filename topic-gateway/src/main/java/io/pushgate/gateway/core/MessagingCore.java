package io.pushgate.gateway.core;

import io.pushgate.gateway.config.MessagingConfig;
import io.pushgate.gateway.messaging.Messaging;
import io.pushgate.gateway.messaging.MessagingRequests;
import io.pushgate.gateway.redis.RedisMessageRouter;
import io.pushgate.gateway.sessions.Hub;
import io.pushgate.gateway.sessions.Session;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.random.RandomGenerator;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Builds request/response messaging ({@link Messaging}, plain Java) wired to Redis
 * ({@link RedisMessageRouter}), the hub's sessions and the WebSocket's ops, and drives its
 * timeouts.
 */
@ApplicationScoped
public class MessagingCore {

    private static final Logger LOG = Logger.getLogger(MessagingCore.class);
    /** How often deadlines are checked: a request times out at most this long after its timeout. */
    static final long EXPIRY_CHECK_MILLIS = 50;

    private final Vertx vertx;
    private final Messaging messaging;
    private final RedisMessageRouter router;
    private long expiryTimer = -1;

    public MessagingCore(Vertx vertx, Redis redis, GatewayCore core, MessagingConfig config,
                         @ConfigProperty(name = "gateway.redis.key-prefix", defaultValue = "pushgate") String prefix,
                         @ConfigProperty(name = "quarkus.redis.hosts", defaultValue = "redis://localhost:6379") String redisHosts,
                         @ConfigProperty(name = "quarkus.redis.client-type", defaultValue = "standalone") String redisClientType) {
        this.vertx = vertx;
        // The session directory's replica id: a session's messaging id is its $SessionId.
        String replica = core.sessionDirectory().replicaId();
        boolean cluster = "cluster".equalsIgnoreCase(redisClientType.trim());
        if (config.registryRefresh().compareTo(config.registryTtl()) >= 0) {
            throw new IllegalStateException("gateway.messaging.registry-refresh (" + config.registryRefresh()
                    + ") must be shorter than gateway.messaging.registry-ttl (" + config.registryTtl() + ")");
        }
        this.router = new RedisMessageRouter(vertx, redis, prefix, core.store().shards(), cluster, redisHosts.split(",")[0].trim(), replica,
                config.registryTtl().toMillis(), config.registryRefresh().toMillis());
        this.messaging = new Messaging(replica, router, new Messaging.Limits(config.maxPendingPerSession(), config.maxUnansweredPerSession(),
                config.maxPending(), config.maxHandlersPerSession(), config.maxRequestBytes(), config.maxResponseBytes(),
                config.defaultTimeout().toMillis(), config.maxTimeout().toMillis(), config.maxFilterTargets()), System::currentTimeMillis,
                RandomGenerator.of("L64X128MixRandom"));
        // Requests to a session filter: the sessions the directory lists (every replica's) that the filter selects.
        io.pushgate.gateway.control.SessionControl control = core.sessionControl();
        messaging.sessionFinder((access, filter) -> control.list(access,
                        io.pushgate.gateway.sessions.filter.SessionFilter.parse(filter, control.limits().maxFilterDepth()))
                .thenApply(entries -> entries.stream().map(io.pushgate.gateway.control.SessionEntry::sessionId).toList()));
        core.hub().addSessionListener(new Hub.SessionListener() {
            @Override
            public void opened(Session session) {
                messaging.sessionOpened(session);
            }

            @Override
            public void closed(Session session) {
                messaging.sessionClosed(session);
            }
        });
        core.dispatcher().messaging(new MessagingRequests(messaging));
        LOG.infof("messaging: replica %s", replica);
    }

    void start(@Observes StartupEvent event) {
        router.start(messaging::received, messaging::handlerPaths);
        expiryTimer = vertx.setPeriodic(EXPIRY_CHECK_MILLIS, id -> messaging.expire());
    }

    void stop(@Observes ShutdownEvent event) {
        if (expiryTimer >= 0) {
            vertx.cancelTimer(expiryTimer);
        }
        router.stop();
    }

    public Messaging messaging() {
        return messaging;
    }
}
