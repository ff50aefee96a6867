package io.pushgate.bridge.support;

import io.pushgate.testsupport.RedisServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * A real {@code redis-server} that a test may stop and start again on the same port (test-support's
 * {@link RedisServer}), for the reconnect tests; the other tests use {@code RedisTestResource}.
 */
public class RestartableRedisResource implements QuarkusTestResourceLifecycleManager {

    private static volatile RedisServer current;

    @Override
    public Map<String, String> start() {
        current = new RedisServer().start();
        return Map.of("quarkus.redis.hosts", current.uri());
    }

    @Override
    public void stop() {
        if (current != null) {
            current.stop();
            current = null;
        }
    }

    public static RedisServer current() {
        return current;
    }
}
