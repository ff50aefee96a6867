package io.pushgate.gateway.health;

import io.pushgate.gateway.core.GatewayCore;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the topic tree has been loaded from Redis and while the changes channel is
 * followed: a replica that misses changes must not take traffic. (The Redis client's own
 * check, which pings Redis, is in the same readiness group.)
 */
@Readiness
@ApplicationScoped
public class TopicStoreReadiness implements HealthCheck {

    private final GatewayCore core;

    public TopicStoreReadiness(GatewayCore core) {
        this.core = core;
    }

    @Override
    public HealthCheckResponse call() {
        boolean loaded = core.mirror().isReady();
        boolean following = core.store().isFollowingChanges();
        return HealthCheckResponse.named("topic-store")
                .status(loaded && following && !core.isDraining())
                .withData("draining", core.isDraining())
                .withData("loaded", loaded)
                .withData("followingChanges", following)
                .withData("topics", core.tree().size())
                .withData("shards", core.store().shards())
                .withData("layout", core.store().layoutProblem() == null ? "ok" : core.store().layoutProblem())
                .build();
    }
}
