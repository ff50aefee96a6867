package io.pushgate.bridge.redis;

import io.vertx.redis.client.Command;

/** One subscription on the pub/sub connection: a channel (SUBSCRIBE) or a glob pattern (PSUBSCRIBE). */
public record SubscriptionKey(String name, boolean pattern) {

    public static SubscriptionKey channel(String name) {
        return new SubscriptionKey(name, false);
    }

    public static SubscriptionKey pattern(String glob) {
        return new SubscriptionKey(glob, true);
    }

    Command subscribeCommand() {
        return pattern ? Command.PSUBSCRIBE : Command.SUBSCRIBE;
    }

    Command unsubscribeCommand() {
        return pattern ? Command.PUNSUBSCRIBE : Command.UNSUBSCRIBE;
    }

    @Override
    public String toString() {
        return (pattern ? "pattern " : "channel ") + name;
    }
}
