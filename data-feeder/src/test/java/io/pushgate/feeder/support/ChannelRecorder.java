package io.pushgate.feeder.support;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.pubsub.PubSubCommands;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A real Redis subscriber (its own connection, SUBSCRIBE) that keeps what the channel delivered. */
public final class ChannelRecorder implements AutoCloseable {

    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final PubSubCommands.RedisSubscriber subscriber;

    private ChannelRecorder(RedisDataSource redis, String channel) {
        // Returns once Redis has confirmed the subscription, so nothing published after it is missed.
        this.subscriber = redis.pubsub(String.class).subscribe(channel, messages::add);
    }

    public static ChannelRecorder subscribe(RedisDataSource redis, String channel) {
        return new ChannelRecorder(redis, channel);
    }

    public List<String> messages() {
        return List.copyOf(messages);
    }

    @Override
    public void close() {
        subscriber.unsubscribe();
    }
}
