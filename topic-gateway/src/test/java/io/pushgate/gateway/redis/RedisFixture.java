package io.pushgate.gateway.redis;

import io.pushgate.gateway.control.SessionDirectory;
import io.pushgate.gateway.messaging.Messaging;
import io.pushgate.gateway.security.SecurityService;
import io.pushgate.gateway.store.StoresFixture;
import io.pushgate.gateway.topics.TopicTree;
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
    /** The set as the wiring builds it, on a single Redis, unsharded. */
    private final RedisStores stores = new RedisStores(vertx, redis, new RedisStores.Settings(PREFIX, server.uri(), false, 0,
            RedisTopicStore.laneLimits(512, 1 << 20, 2, 65_536, 2_000, 4_096), Duration.ofMillis(1500), Duration.ofMillis(300),
            Duration.ofSeconds(10), Duration.ofSeconds(1)), new TopicTree(), new SecurityService(java.util.List.of()));

    @Override
    public RedisStores stores() {
        return stores;
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
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
        server.stop();
    }
}
