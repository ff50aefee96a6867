package io.pushgate.feeder.feed;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pushgate.feeder.sources.PriceDocument;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the feed has done, kept once and read both by {@code GET /v1/feed} and by the
 * {@code feeder_*} meters, so the endpoint and the metrics cannot disagree.
 */
@ApplicationScoped
public class FeedStats {

    private final MeterRegistry registry;
    private final AtomicLong polls = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong unchanged = new AtomicLong();
    private final Map<FailureReason, AtomicLong> failures = new EnumMap<>(FailureReason.class);
    private final Map<String, Double> lastPrices = new ConcurrentHashMap<>();
    private volatile Instant lastSuccess;
    private volatile String lastError;

    public FeedStats(MeterRegistry registry) {
        this.registry = registry;
        FunctionCounter.builder("feeder.polls", polls, AtomicLong::get)
                .description("Polls of the price source, each with its retries").register(registry);
        FunctionCounter.builder("feeder.published", published, AtomicLong::get)
                .description("Documents published to the Redis channel and stream").register(registry);
        FunctionCounter.builder("feeder.unchanged", unchanged, AtomicLong::get)
                .description("Polls whose prices equalled the last published ones, so nothing was published").register(registry);
        for (FailureReason reason : FailureReason.values()) {
            AtomicLong count = new AtomicLong();
            failures.put(reason, count);
            FunctionCounter.builder("feeder.failures", count, AtomicLong::get)
                    .tag("reason", reason.tag())
                    .description("Polls that ended without a document in Redis").register(registry);
        }
        Gauge.builder("feeder.last.success.time", this, stats -> stats.lastSuccess == null ? Double.NaN
                        : stats.lastSuccess.toEpochMilli() / 1000.0)
                .baseUnit("seconds")
                .description("When a poll last fetched a document (Unix time)").register(registry);
    }

    void polled() {
        polls.incrementAndGet();
    }

    void failed(FailureReason reason, String error) {
        failures.get(reason).incrementAndGet();
        lastError = error;
    }

    /** A document was fetched at {@code at}: the last price and success time move, whether or not it is new. */
    void fetched(PriceDocument document, Instant at) {
        document.prices().forEach((code, price) -> {
            if (lastPrices.put(code, price) == null) {
                // A gauge per currency the first time it is seen; a CoinDesk URL may list others.
                Gauge.builder("feeder.last.price", lastPrices, prices -> prices.getOrDefault(code, Double.NaN))
                        .tag("currency", code)
                        .description("Last fetched BTC price in the currency").register(registry);
            }
        });
        lastSuccess = at;
    }

    void published() {
        published.incrementAndGet();
    }

    void unchanged() {
        unchanged.incrementAndGet();
    }

    public long polls() {
        return polls.get();
    }

    public long failures() {
        return failures.values().stream().mapToLong(AtomicLong::get).sum();
    }

    public long failures(FailureReason reason) {
        return failures.get(reason).get();
    }

    public long publishedCount() {
        return published.get();
    }

    public long unchangedCount() {
        return unchanged.get();
    }

    public Map<String, Double> lastPrices() {
        return Map.copyOf(lastPrices);
    }

    public Instant lastSuccess() {
        return lastSuccess;
    }

    public String lastError() {
        return lastError;
    }
}
