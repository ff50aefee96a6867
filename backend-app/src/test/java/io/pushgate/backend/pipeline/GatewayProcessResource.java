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
 *
 * <p>With the resource argument {@value #REDIS}{@code =}{@value #OWN_REDIS} the gateway runs on a
 * {@code redis-server} of its own instead, for a test whose service uses another Redis (a cluster)
 * for its streams.
 */
public class GatewayProcessResource implements QuarkusTestResourceLifecycleManager {

    /** Resource argument: which Redis the gateway uses. */
    public static final String REDIS = "redis";
    /** {@link #REDIS} value: a {@code redis-server} started for the gateway alone. */
    public static final String OWN_REDIS = "own";

    private static volatile ServiceProcess current;

    private boolean ownRedis;
    private RedisServer own;

    @Override
    public void init(Map<String, String> initArgs) {
        ownRedis = OWN_REDIS.equals(initArgs.get(REDIS));
    }

    @Override
    public int order() {
        return 10; // after RedisTestResource (0)
    }

    @Override
    public Map<String, String> start() {
        String uri;
        if (ownRedis) {
            own = new RedisServer().start();
            uri = own.uri();
        } else {
            RedisHandle redis = RedisTestResource.current();
            if (redis == null) {
                throw new IllegalStateException("GatewayProcessResource needs RedisTestResource first");
            }
            uri = redis.uri();
        }
        current = new ServiceProcess("topic-gateway", ServiceProcess.jarOf("topic-gateway"), RedisServer.freePort(), Map.of(
                "quarkus.redis.hosts", uri,
                "gateway.security.anonymous-roles", "TOPIC_CONTROL")).start();
        return Map.of("backend.gateway-url", current.httpUrl());
    }

    @Override
    public void stop() {
        if (current != null) {
            current.stop();
            current = null;
        }
        if (own != null) {
            own.stop();
            own = null;
        }
    }

    /** The running gateway. */
    public static ServiceProcess gateway() {
        return current;
    }
}
