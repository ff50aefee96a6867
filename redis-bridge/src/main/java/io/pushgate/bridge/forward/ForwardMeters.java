package io.pushgate.bridge.forward;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Forwarding meters, tagged by {@code source} ({@code channel}, {@code pattern}, {@code stream}) and
 * {@code name} (the configured channel, pattern or stream, so the tags are bounded by configuration).
 */
@ApplicationScoped
public class ForwardMeters {

    private final MeterRegistry registry;

    public ForwardMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A message read from Redis for forwarding. */
    void received(ForwardRecord.Source source, String name, int bytes) {
        registry.counter("bridge.forward.messages", "source", source.wireName(), "name", name, "direction", "in").increment();
        registry.counter("bridge.forward.bytes", "source", source.wireName(), "name", name, "direction", "in").increment(bytes);
    }

    /** A message appended to the pipeline stream. */
    void forwarded(ForwardRecord record) {
        String source = record.source().wireName();
        registry.counter("bridge.forward.messages", "source", source, "name", record.name(), "direction", "out").increment();
        registry.counter("bridge.forward.bytes", "source", source, "name", record.name(), "direction", "out").increment(record.data().length);
    }

    /** A message that was not forwarded: {@code reason} is {@code write}, {@code overflow} or {@code timeout}. */
    void failed(ForwardRecord.Source source, String name, String reason) {
        registry.counter("bridge.forward.failures", "source", source.wireName(), "name", name, "reason", reason).increment();
    }

    /** A stream entry acknowledged (XACK) after its forward. */
    void acked(String stream) {
        registry.counter("bridge.forward.acked", "name", stream).increment();
    }
}
