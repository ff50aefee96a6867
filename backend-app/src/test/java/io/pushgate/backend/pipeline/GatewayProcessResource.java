package io.pushgate.backend.pipeline;

import io.pushgate.testsupport.RedisHandle;
import io.pushgate.testsupport.RedisServer;
import io.pushgate.testsupport.RedisTestResource;
import io.pushgate.testsupport.ServiceProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * A real gateway for a {@code @QuarkusTest}: the packaged {@code topic-gateway} as a process on a free
 * port, on the Redis that {@link RedisTestResource} started (so it runs after it), and
 * {@code backend.gateway-url} pointed at it. No auth-service here: the gateway's anonymous role is
 * given {@code TOPIC_CONTROL}, the role backend-app's token would carry.
 */
public class GatewayProcessResource implements QuarkusTestResourceLifecycleManager {

    private static volatile ServiceProcess current;

    @Override
    public int order() {
        return 10; // after RedisTestResource (0)
    }

    @Override
    public Map<String, String> start() {
        RedisHandle redis = RedisTestResource.current();
        if (redis == null) {
            throw new IllegalStateException("GatewayProcessResource needs RedisTestResource first");
        }
        current = new ServiceProcess("topic-gateway", ServiceProcess.jarOf("topic-gateway"), RedisServer.freePort(), Map.of(
                "quarkus.redis.hosts", redis.uri(),
                "gateway.security.anonymous-roles", "TOPIC_CONTROL")).start();
        return Map.of("backend.gateway-url", current.httpUrl());
    }

    @Override
    public void stop() {
        if (current != null) {
            current.stop();
            current = null;
        }
    }

    /** The running gateway. */
    public static ServiceProcess gateway() {
        return current;
    }
}
