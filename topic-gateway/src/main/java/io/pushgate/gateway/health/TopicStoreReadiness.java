package io.pushgate.gateway.health;

import io.pushgate.gateway.replication.TopicMirror;
import io.pushgate.gateway.topics.TopicTree;
import io.pushgate.gateway.transport.Draining;
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

    private final TopicMirror mirror;
    private final StoreHealth store;
    private final TopicTree tree;
    private final Draining draining;

    public TopicStoreReadiness(TopicMirror mirror, StoreHealth store, TopicTree tree, Draining draining) {
        this.mirror = mirror;
        this.store = store;
        this.tree = tree;
        this.draining = draining;
    }

    @Override
    public HealthCheckResponse call() {
        boolean loaded = mirror.isReady();
        boolean following = store.isFollowingChanges();
        return HealthCheckResponse.named("topic-store")
                .status(loaded && following && !draining.isDraining())
                .withData("draining", draining.isDraining())
                .withData("loaded", loaded)
                .withData("followingChanges", following)
                .withData("topics", tree.size())
                .withData("shards", store.shards())
                .withData("layout", store.layoutProblem() == null ? "ok" : store.layoutProblem())
                .build();
    }
}
