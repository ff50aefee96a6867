package io.pushgate.bridge.passthrough;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one passthrough channel, registered while the channel has clients and removed with
 * its last client (so client-chosen names cannot grow the registry without bound; a channel that
 * gets clients again counts from zero, which Prometheus' {@code rate} treats as a counter reset).
 *
 * <p>{@code direction}: {@code in} what Redis delivered (once per message), {@code out} what was
 * written to clients (once per client), {@code publish} what clients published.
 */
final class ChannelMeters {

    final LongAdder inMessages = new LongAdder();
    final LongAdder inBytes = new LongAdder();
    final LongAdder outMessages = new LongAdder();
    final LongAdder outBytes = new LongAdder();
    final LongAdder publishedMessages = new LongAdder();
    final LongAdder publishedBytes = new LongAdder();
    final LongAdder dropped = new LongAdder();

    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();

    ChannelMeters(MeterRegistry registry, String channel) {
        this.registry = registry;
        Tags tags = Tags.of("channel", channel);
        counter("bridge.passthrough.messages", tags.and("direction", "in"), inMessages, "Messages on a passthrough channel");
        counter("bridge.passthrough.messages", tags.and("direction", "out"), outMessages, "Messages on a passthrough channel");
        counter("bridge.passthrough.messages", tags.and("direction", "publish"), publishedMessages, "Messages on a passthrough channel");
        counter("bridge.passthrough.bytes", tags.and("direction", "in"), inBytes, "Payload bytes on a passthrough channel");
        counter("bridge.passthrough.bytes", tags.and("direction", "out"), outBytes, "Payload bytes on a passthrough channel");
        counter("bridge.passthrough.bytes", tags.and("direction", "publish"), publishedBytes, "Payload bytes on a passthrough channel");
        counter("bridge.passthrough.dropped", tags, dropped, "Messages not sent to a slow client of a passthrough channel");
    }

    void remove() {
        meters.forEach(registry::remove);
        meters.clear();
    }

    private void counter(String name, Tags tags, LongAdder adder, String description) {
        meters.add(FunctionCounter.builder(name, adder, LongAdder::doubleValue).tags(tags).description(description).register(registry));
    }
}
