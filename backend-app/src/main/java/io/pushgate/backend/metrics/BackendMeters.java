package io.pushgate.backend.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pushgate.backend.write.GatewayWriter;
import io.pushgate.backend.write.WriteOp;
import io.pushgate.backend.gateway.GatewayException;
import java.math.BigDecimal;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/** The {@code backend_*} meters at {@code /q/metrics}. */
public final class BackendMeters implements GatewayWriter.Listener {

    private final MeterRegistry registry;
    private final Counter entriesRead;
    private final Counter entriesAcked;
    private final Counter entriesIgnored;
    private final Counter bufferDropped;
    private final Counter retries;
    private final ConcurrentHashMap<String, Counter> prices = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> actions = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> failures = new ConcurrentHashMap<>();
    private final AtomicReference<Double> lastPrice = new AtomicReference<>(Double.NaN);
    private Supplier<Number> buffered = () -> 0;
    private Supplier<Boolean> connected = () -> false;

    public BackendMeters(MeterRegistry registry) {
        this.registry = registry;
        this.entriesRead = Counter.builder("backend_stream_entries_read").description("Entries read from the pipeline stream (re-reads included)").register(registry);
        this.entriesAcked = Counter.builder("backend_stream_entries_acked").description("Entries acknowledged (XACK) after the gateway accepted them, or as not for this service").register(registry);
        this.entriesIgnored = Counter.builder("backend_stream_entries_ignored").description("Entries of channels that are not prices, or not the bridge's format").register(registry);
        this.bufferDropped = Counter.builder("backend_buffer_dropped").description("Prices dropped because the buffer for the gateway was full (left unacknowledged)")
                .tag("kind", "price").register(registry);
        this.retries = Counter.builder("backend_gateway_retries").description("Writes tried again after the gateway did not accept them").register(registry);
        Gauge.builder("backend_last_price", lastPrice, r -> r.get()).description("The last price published, in the history's currency").register(registry);
    }

    /** The number of writes waiting, and whether the gateway is connected (held here: gauges only keep weak references). */
    public void gauges(Supplier<Number> buffered, Supplier<Boolean> connected) {
        this.buffered = buffered;
        this.connected = connected;
        Gauge.builder("backend_buffered", this, m -> m.buffered.get().doubleValue()).description("Writes waiting for the gateway").register(registry);
        Gauge.builder("backend_gateway_connected", this, m -> m.connected.get() ? 1 : 0)
                .description("1 while the client library's connection is up").register(registry);
    }

    public void entryRead() {
        entriesRead.increment();
    }

    public void entryAcked() {
        entriesAcked.increment();
    }

    public void entryIgnored() {
        entriesIgnored.increment();
    }

    /** A price ended: {@code published}, {@code duplicate}, {@code stale}, {@code invalid} (unreadable document) or {@code rejected} (by the gateway). */
    public void price(String outcome) {
        prices.computeIfAbsent(outcome, o -> Counter.builder("backend_prices").description("Prices by what became of them")
                .tag("outcome", o).register(registry)).increment();
    }

    public void lastPrice(BigDecimal price) {
        lastPrice.set(price.doubleValue());
    }

    /** A moderation action done: {@code bleep}, {@code strike}, {@code revoke}. */
    public void action(String action) {
        actions.computeIfAbsent(action, a -> Counter.builder("backend_moderation_actions").description("Moderation actions the gateway accepted")
                .tag("action", a).register(registry)).increment();
    }

    @Override
    public void retried(WriteOp op, GatewayException failure) {
        retries.increment();
    }

    @Override
    public void dropped(WriteOp op) {
        bufferDropped.increment();
    }

    @Override
    public void failed(WriteOp op, GatewayException failure) {
        failures.computeIfAbsent(failure.code().name(), c -> Counter.builder("backend_gateway_refused")
                .description("Writes given up because the gateway refused them, by error code").tag("code", c).register(registry)).increment();
    }
}
