package io.pushgate.bridge.passthrough;

import io.smallrye.mutiny.Uni;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;

/** PUBLISH with the exact payload bytes, on the pooled Redis client. */
@ApplicationScoped
public class RedisPublisher {

    private final Redis redis;

    public RedisPublisher(Redis redis) {
        this.redis = redis;
    }

    /** Completes once Redis accepted the message (with the number of its subscribers). */
    public Uni<Integer> publish(String channel, byte[] payload) {
        return Uni.createFrom().completionStage(() -> redis.send(Request.cmd(Command.PUBLISH).arg(channel).arg(payload))
                .map(response -> response.toInteger())
                .toCompletionStage());
    }
}
