package io.pushgate.bridge.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pushgate.bridge.config.BridgeConfig;
import io.pushgate.bridge.redis.ChannelName;
import io.pushgate.bridge.redis.RedisMessage;
import io.pushgate.bridge.redis.RedisSubscriptions;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * {@code bridge.gateway-mappings}: subscribes each mapped channel or pattern and sets the gateway
 * topic its template names with every message (at most once, like any pub/sub consumer).
 */
@ApplicationScoped
public class GatewayMappings {

    private static final Logger LOG = Logger.getLogger(GatewayMappings.class);

    private final RedisSubscriptions subscriptions;
    private final GatewayPublisher publisher;
    private final PayloadClassifier classifier;
    private final Map<String, String> mappings;

    public GatewayMappings(RedisSubscriptions subscriptions, GatewayPublisher publisher, ObjectMapper mapper, BridgeConfig config) {
        this.subscriptions = subscriptions;
        this.publisher = publisher;
        this.classifier = new PayloadClassifier(mapper);
        this.mappings = config.gatewayMappings();
    }

    void onStart(@Observes StartupEvent event) {
        mappings.forEach((source, template) -> {
            ChannelName channel = new ChannelName(source);
            TopicTemplate topics = new TopicTemplate(template);
            subscriptions.subscribe(channel.subscriptionKey(), message -> map(topics, message));
            LOG.infof("mapping Redis %s to gateway topics %s", channel.subscriptionKey(), template);
        });
    }

    private void map(TopicTemplate topics, RedisMessage message) {
        Optional<String> topic = topics.expand(message.channel());
        if (topic.isEmpty()) {
            publisher.countUnmappable();
            return;
        }
        publisher.submit(new GatewayUpdate(topic.get(), classifier.classify(message.payload()), message.payload()));
    }
}
