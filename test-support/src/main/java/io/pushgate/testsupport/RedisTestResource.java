package io.pushgate.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts a real Redis for a {@code @QuarkusTest} and points {@code quarkus.redis.hosts} at it.
 * Where a Docker engine runs it uses a Testcontainers Redis instead of a local
 * {@code redis-server}; on machines without Docker (this project's CI) it runs the binary.
 *
 * <p>The running server is published in {@link #current()} so that a test can stop and
 * restart it or run commands against it.
 */
public class RedisTestResource implements QuarkusTestResourceLifecycleManager {

    private static volatile RedisHandle current;

    private RedisHandle redis;

    @Override
    public Map<String, String> start() {
        redis = DockerRedis.available() ? DockerRedis.start() : RedisHandle.of(new RedisServer().start());
        current = redis;
        return Map.of("quarkus.redis.hosts", redis.uri());
    }

    @Override
    public void stop() {
        if (redis != null) {
            redis.close();
        }
        current = null;
    }

    /** The Redis of the running test, if one was started by this resource. */
    public static RedisHandle current() {
        return current;
    }
}
