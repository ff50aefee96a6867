package io.pushgate.bridge.forward;

import io.pushgate.bridge.config.BridgeConfig;
import io.pushgate.bridge.redis.ChannelName;
import io.pushgate.bridge.redis.RedisMessage;
import io.pushgate.bridge.redis.RedisSubscriptions;
import io.pushgate.bridge.redis.SubscriptionKey;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.List;

/**
 * Forwards the configured channels (SUBSCRIBE) and patterns (PSUBSCRIBE) at most once: a message
 * that arrives while the forward queue is full is dropped and counted ({@code reason="overflow"}).
 */
@ApplicationScoped
public class ChannelForwarding {

    private final RedisSubscriptions subscriptions;
    private final ForwardQueue queue;
    private final ForwardMeters meters;
    private final BridgeConfig.Forward config;
    private final Clock clock = Clock.systemUTC();

    public ChannelForwarding(RedisSubscriptions subscriptions, ForwardQueue queue, ForwardMeters meters, BridgeConfig config) {
        this.subscriptions = subscriptions;
        this.queue = queue;
        this.meters = meters;
        this.config = config.forward();
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        for (String channel : config.channels().orElse(List.of())) {
            if (new ChannelName(channel).isPattern()) {
                throw new IllegalArgumentException("bridge.forward.channels: " + channel + " has a '*'; list patterns in bridge.forward.patterns");
            }
            subscriptions.subscribe(SubscriptionKey.channel(channel), this::forward);
        }
        for (String pattern : config.patterns().orElse(List.of())) {
            subscriptions.subscribe(SubscriptionKey.pattern(new ChannelName(pattern).value()), this::forward);
        }
    }

    private void forward(RedisMessage message) {
        ForwardRecord record = ForwardRecord.fromPubSub(message, clock.instant());
        meters.received(record.source(), record.name(), record.data().length);
        if (!queue.offer(record)) {
            meters.failed(record.source(), record.name(), "overflow");
        }
    }
}
