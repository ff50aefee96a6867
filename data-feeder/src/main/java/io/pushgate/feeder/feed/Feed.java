package io.pushgate.feeder.feed;

import io.pushgate.feeder.config.FeederConfig;
import io.pushgate.feeder.publish.ChangeDetector;
import io.pushgate.feeder.publish.PricePublisher;
import io.pushgate.feeder.sources.PriceSource;
import io.pushgate.feeder.sources.SourceFactory;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Runs the poller on its own thread, {@code feeder.period} after the end of the previous poll,
 * and starts and stops it. A fixed delay (not a fixed rate) because a poll that spent its time
 * in retries must not be followed by a burst of catch-up polls against a struggling API; and a
 * thread of its own because a poll blocks (backoff waits, HTTP, Redis).
 */
@ApplicationScoped
public class Feed {

    private static final Logger LOG = Logger.getLogger(Feed.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private final FeederConfig config;
    private final SourceFactory sources;
    private final SourceGuard guard;
    private final PricePublisher publisher;
    private final FeedStats stats;
    private ScheduledExecutorService executor;
    private PriceSource source;
    private Poller poller;
    private ScheduledFuture<?> schedule;

    public Feed(FeederConfig config, SourceFactory sources, SourceGuard guard, PricePublisher publisher, FeedStats stats) {
        this.config = config;
        this.sources = sources;
        this.guard = guard;
        this.publisher = publisher;
        this.stats = stats;
    }

    synchronized void onStart(@Observes StartupEvent event) {
        source = sources.create();
        poller = new Poller(guard.guard(source), new ChangeDetector(), publisher, stats, Clock.systemUTC());
        executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "feeder-poll");
            thread.setDaemon(true);
            return thread;
        });
        LOG.infof("price source %s, every %s, to channel %s and stream %s",
                source.name(), config.period(), config.channel(), config.stream());
        if (config.autostart()) {
            start();
        }
    }

    synchronized void onStop(@Observes ShutdownEvent event) {
        if (executor != null) {
            // Through stop(), so that a publish under way ends cleanly before Redis goes away.
            stop();
            executor.shutdown();
        }
    }

    /** Starts polling now; does nothing if it is running. */
    public synchronized FeedStatus start() {
        if (!isRunning()) {
            schedule = executor.scheduleWithFixedDelay(poller::poll, 0, config.period().toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("feed started");
        }
        return status();
    }

    /**
     * Stops polling. A poll that is fetching (perhaps waiting seconds in a backoff) is
     * interrupted; one that is publishing finishes. Returns once that poll has ended, so nothing
     * is published after it returns. Does nothing if stopped.
     */
    public synchronized FeedStatus stop() {
        if (isRunning()) {
            schedule.cancel(false);
            schedule = null;
            poller.interruptFetch();
            awaitIdle();
            LOG.info("feed stopped");
        }
        return status();
    }

    private void awaitIdle() {
        // The executor has one thread, so this no-op runs only once the poll in progress is over.
        try {
            executor.submit(() -> { }).get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warnf("a poll was still running %s after stop", STOP_WAIT);
        }
    }

    public synchronized FeedStatus status() {
        return new FeedStatus(
                isRunning(),
                config.source().name().toLowerCase(Locale.ROOT),
                source == null ? null : source.name(),
                guard.circuitState().name(),
                stats.lastPrices(),
                stats.lastSuccess(),
                stats.lastError(),
                stats.polls(),
                stats.failures(),
                stats.publishedCount(),
                stats.unchangedCount());
    }

    private boolean isRunning() {
        return schedule != null && !schedule.isDone();
    }
}
