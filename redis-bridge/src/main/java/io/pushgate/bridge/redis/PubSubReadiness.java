package io.pushgate.bridge.redis;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while the pub/sub connection is up. The Redis client's own readiness check (a PING on the
 * pooled connections) covers the commands; this one covers the subscriptions. On a Redis Cluster
 * its data names the node the pub/sub connection is on ({@code node}).
 */
@Readiness
@ApplicationScoped
public class PubSubReadiness implements HealthCheck {

    private final RedisSubscriptions subscriptions;

    public PubSubReadiness(RedisSubscriptions subscriptions) {
        this.subscriptions = subscriptions;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("redis-pubsub")
                .status(subscriptions.isConnected())
                .withData("subscriptions", subscriptions.subscriptionCount());
        subscriptions.node().ifPresent(node -> response.withData("node", node)); // on a Redis Cluster
        return response.build();
    }
}
