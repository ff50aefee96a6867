package io.pushgate.bridge.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code bridge_gateway_updates_total{result}}: {@code sent}, {@code rejected} (4xx),
 * {@code failed} (attempts exhausted), {@code dropped} (buffer full), {@code replaced} (a newer
 * value of the same topic took its place before it was sent), {@code unmappable} (no valid topic
 * path); {@code bridge_gateway_retries_total}.
 */
final class GatewayMeters {

    final Counter sent;
    final Counter rejected;
    final Counter failed;
    final Counter dropped;
    final Counter replaced;
    final Counter unmappable;
    final Counter retries;

    GatewayMeters(MeterRegistry registry) {
        sent = updates(registry, "sent");
        rejected = updates(registry, "rejected");
        failed = updates(registry, "failed");
        dropped = updates(registry, "dropped");
        replaced = updates(registry, "replaced");
        unmappable = updates(registry, "unmappable");
        retries = Counter.builder("bridge.gateway.retries").description("Attempts to set a gateway topic that were retries").register(registry);
    }

    private static Counter updates(MeterRegistry registry, String result) {
        return Counter.builder("bridge.gateway.updates").tag("result", result)
                .description("Gateway topic updates from the gateway mappings, by outcome").register(registry);
    }
}
