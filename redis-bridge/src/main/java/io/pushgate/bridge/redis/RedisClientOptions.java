package io.pushgate.bridge.redis;

import io.quarkus.redis.client.RedisOptionsCustomizer;
import io.quarkus.redis.runtime.client.VertxRedisClientFactory;
import io.vertx.redis.client.RedisOptions;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * Keeps the options Quarkus built for the default Redis client from {@code quarkus.redis.*}
 * (hosts, client type, password, TLS, protocol, timeouts), changing nothing, so that the pub/sub
 * connection can be made with the very same settings to one node of a cluster
 * ({@link PubSubConnector}). Quarkus calls every {@link RedisOptionsCustomizer} bean when it
 * creates its clients, at runtime initialisation, before any startup observer runs.
 */
@Singleton
public class RedisClientOptions implements RedisOptionsCustomizer {

    private volatile RedisOptions defaultClient;

    @Override
    public void customize(String clientName, RedisOptions options) {
        if (VertxRedisClientFactory.DEFAULT_CLIENT.equals(clientName)) {
            defaultClient = options;
        }
    }

    /** The default client's options as Quarkus made them; empty before the client was created. */
    public Optional<RedisOptions> defaultClient() {
        return Optional.ofNullable(defaultClient);
    }
}
