package io.pushgate.bridge.gateway;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pushgate.bridge.config.BridgeConfig;
import io.pushgate.support.backoff.Backoff;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Sends the gateway mappings' updates to the gateway, one at a time on a thread of its own, oldest
 * first, so the updates of a topic arrive in order. An update that fails for a reason worth
 * retrying is tried again with exponential backoff, up to {@code bridge.gateway.max-attempts}
 * attempts, unless a newer value of its topic arrives meanwhile, which then replaces it. While the
 * gateway is away, updates wait in the bounded {@link GatewayBuffer}.
 */
@Startup // so that its meters exist from the start, even with no mapping
@ApplicationScoped
public class GatewayPublisher implements Runnable {

    private static final Logger LOG = Logger.getLogger(GatewayPublisher.class);
    private static final Duration IDLE_POLL = Duration.ofSeconds(1);

    private final GatewayClient client;
    private final BridgeConfig.Gateway config;
    private final GatewayBuffer buffer;
    private final GatewayMeters meters;
    private Thread thread; // guarded by this
    private volatile boolean running;
    private boolean failing;

    public GatewayPublisher(BridgeConfig config, MeterRegistry registry) {
        this.client = new GatewayClient(config);
        this.config = config.gateway();
        this.buffer = new GatewayBuffer(config.gateway().bufferSize());
        this.meters = new GatewayMeters(registry);
        Gauge.builder("bridge.gateway.buffered", buffer, GatewayBuffer::size)
                .description("Gateway topic updates waiting to be sent").register(registry);
    }

    /** Queues an update, starting the sending thread on first use. */
    public void submit(GatewayUpdate update) {
        ensureStarted();
        switch (buffer.offer(update)) {
            case REPLACED -> meters.replaced.increment();
            case QUEUED_DROPPING_OLDEST -> meters.dropped.increment();
            case QUEUED -> { }
        }
    }

    /** Counts a message whose channel gives no valid topic path. */
    void countUnmappable() {
        meters.unmappable.increment();
    }

    synchronized void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join(config.requestTimeout().toMillis() + 1000);
        }
    }

    @Override
    public void run() {
        while (running) {
            try {
                GatewayUpdate update = buffer.take(IDLE_POLL);
                if (update != null) {
                    deliver(update);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void deliver(GatewayUpdate update) throws InterruptedException {
        Backoff backoff = Backoff.exponential(config.retry().initialDelay(), config.retry().maxDelay());
        for (int attempt = 1; ; attempt++) {
            GatewayClient.Outcome outcome = client.put(update);
            switch (outcome.result()) {
                case OK -> {
                    meters.sent.increment();
                    recovered();
                    return;
                }
                case REJECTED -> {
                    meters.rejected.increment();
                    LOG.warnf("gateway refused topic %s with %d: %s", update.topic(), outcome.status(), outcome.detail());
                    return;
                }
                case RETRY -> {
                    failing(update, outcome);
                    if (attempt >= config.maxAttempts()) {
                        meters.failed.increment();
                        return;
                    }
                    if (buffer.awaitNewer(update.topic(), backoff.next())) {
                        meters.replaced.increment();
                        return;
                    }
                    meters.retries.increment();
                }
            }
        }
    }

    private synchronized void ensureStarted() {
        if (thread == null) {
            running = true;
            thread = new Thread(this, "bridge-gateway");
            thread.setDaemon(true);
            thread.start();
        }
    }

    private void failing(GatewayUpdate update, GatewayClient.Outcome outcome) {
        if (!failing) {
            failing = true;
            LOG.warnf("cannot set gateway topic %s (%s %s); retrying with backoff", update.topic(),
                    outcome.status() == 0 ? "no answer:" : "status " + outcome.status(), outcome.detail());
        }
    }

    private void recovered() {
        if (failing) {
            failing = false;
            LOG.info("the gateway takes updates again");
        }
    }
}
