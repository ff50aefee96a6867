package io.pushgate.bridge.redis;

/**
 * A message Redis delivered on a subscription: {@code key} is what was subscribed (the channel, or
 * the pattern), {@code channel} the channel it was published on, {@code payload} its exact bytes
 * (shared, not copied: do not modify).
 */
public record RedisMessage(SubscriptionKey key, String channel, byte[] payload) {
}
