package io.pushgate.gateway.wiring;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * With {@code gateway.store=memory}, turns off the Redis client's readiness check: the gateway
 * makes no Redis connection then, and that check (which pings Redis) would keep it not-ready for
 * ever. Quarkus fixes which checks exist when it builds, so the one way to drop it for one
 * start is its runtime switch, set here from {@code gateway.store} (registered in
 * {@code META-INF/services/io.smallrye.config.ConfigSourceFactory}). Below the environment and
 * system properties, so either can still set the switch.
 */
public final class MemoryStoreConfig implements ConfigSourceFactory {

    static final String REDIS_CHECK = "quarkus.smallrye-health.check.\"io.quarkus.redis.runtime.client.health.RedisHealthCheck\".enabled";
    /** Above application.properties (250), below the environment (300) and system properties (400). */
    static final int ORDINAL = 275;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue store = context.getValue("gateway.store");
        if (store == null || store.getValue() == null || !"memory".equalsIgnoreCase(store.getValue().trim())) {
            return List.of();
        }
        return List.of(new PropertiesConfigSource(Map.of(REDIS_CHECK, "false"), "gateway.store=memory", ORDINAL));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }
}
