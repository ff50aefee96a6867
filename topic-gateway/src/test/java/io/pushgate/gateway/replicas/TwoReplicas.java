package io.pushgate.gateway.replicas;

import io.pushgate.testsupport.RedisServer;
import io.pushgate.testsupport.ServiceProcess;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Two gateway processes from the packaged jar on one real Redis, for the replica tests. These
 * tests exercise topics, not security: anonymous sessions act as administrators here.
 */
abstract class TwoReplicas {

    static RedisServer redis;
    static ServiceProcess a;
    static ServiceProcess b;

    @BeforeAll
    static void startReplicas() {
        redis = new RedisServer().start();
        a = gateway("gateway-a").start();
        b = gateway("gateway-b").start();
    }

    @AfterAll
    static void stopReplicas() {
        for (AutoCloseable c : new AutoCloseable[] {a, b, redis}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // best effort: the next test starts its own
            }
        }
    }

    static ServiceProcess gateway(String name) {
        return gateway(name, Map.of());
    }

    /** A replica with more (or other) properties than the default ones. */
    static ServiceProcess gateway(String name, Map<String, String> properties) {
        Map<String, String> all = new java.util.HashMap<>(Map.of("quarkus.redis.hosts", redis.uri(), "gateway.security.anonymous-roles", "ADMINISTRATOR"));
        all.putAll(properties);
        return new ServiceProcess(name, ServiceProcess.jarOf("topic-gateway"), RedisServer.freePort(), all);
    }
}
