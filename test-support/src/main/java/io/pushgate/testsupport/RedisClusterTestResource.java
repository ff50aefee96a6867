package io.pushgate.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts a real six-node {@link RedisCluster} for a {@code @QuarkusTest} and points the service
 * at it with Quarkus' standard settings ({@code quarkus.redis.client-type=cluster},
 * {@code quarkus.redis.hosts} listing every node). {@link #current()} gives the running cluster
 * to the test, to kill a master or count keys per node.
 */
public class RedisClusterTestResource implements QuarkusTestResourceLifecycleManager {

    private static volatile RedisCluster current;

    private RedisCluster cluster;

    @Override
    public Map<String, String> start() {
        cluster = new RedisCluster().start();
        current = cluster;
        return cluster.quarkusConfig();
    }

    @Override
    public void stop() {
        if (cluster != null) {
            cluster.close();
        }
        current = null;
    }

    public static RedisCluster current() {
        return current;
    }
}
