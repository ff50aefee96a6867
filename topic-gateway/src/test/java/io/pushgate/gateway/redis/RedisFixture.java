package io.pushgate.gateway.redis;

import io.pushgate.gateway.control.SessionDirectory;
import io.pushgate.gateway.messaging.Messaging;
import io.pushgate.gateway.presence.PresenceStore;
import io.pushgate.gateway.security.SecurityService;
import io.pushgate.gateway.security.SecurityStore;
import io.pushgate.gateway.store.ChangeStream;
import io.pushgate.gateway.store.StoresFixture;
import io.pushgate.gateway.timeseries.EventHistory;
import io.pushgate.gateway.topics.TopicStore;
import io.pushgate.gateway.topics.TopicTree;
import io.pushgate.gateway.views.ViewStore;
import io.pushgate.testsupport.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;

/** The Redis adapters against a real redis-server of their own (test-support {@link RedisServer}), for the contract tests. */
public final class RedisFixture implements StoresFixture {

    private static final String PREFIX = "t";
    private final RedisServer server = new RedisServer().start();
    private final Vertx vertx = Vertx.vertx();
    private final Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(server.uri()).setMaxPoolSize(8));
    private final RedisTopicStore topics = new RedisTopicStore(vertx, redis, PREFIX, server.uri(),
            RedisTopicStore.laneLimits(512, 1 << 20, 2, 65_536, 2_000, 4_096));
    private final RedisEventHistory history = new RedisEventHistory(redis, PREFIX, 0, new TopicTree());
    private final RedisViews views = new RedisViews(vertx, redis, PREFIX, 0);
    private final RedisSecurityStore security = new RedisSecurityStore(redis, PREFIX, 0, new SecurityService(java.util.List.of()));
    private final RedisPresenceStore presence = new RedisPresenceStore(redis, PREFIX, 0);

    @Override
    public TopicStore topics() {
        return topics;
    }

    @Override
    public ChangeStream changes() {
        return topics;
    }

    @Override
    public EventHistory history() {
        return history;
    }

    @Override
    public ViewStore views() {
        return views;
    }

    @Override
    public SecurityStore security() {
        return security;
    }

    @Override
    public PresenceStore presence() {
        return presence;
    }

    @Override
    public SessionDirectory directory() {
        RedisSessionDirectory directory = new RedisSessionDirectory(vertx, redis,
                new RedisSessionDirectory.Settings(PREFIX, 0, false, server.uri(), Duration.ofMillis(1500), Duration.ofMillis(300)));
        directory.start();
        return directory;
    }

    @Override
    public Messaging.Router router(String replica, Consumer<String> inbox) {
        RedisMessageRouter router = new RedisMessageRouter(vertx, redis, PREFIX, 0, false, server.uri(), replica, 10_000, 1_000);
        router.start(inbox, Set::of);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(router::isFollowing);
        return router;
    }

    @Override
    public boolean hasReplicas() {
        return true;
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
        server.stop();
    }
}
