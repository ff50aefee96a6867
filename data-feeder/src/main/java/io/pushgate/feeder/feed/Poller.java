package io.pushgate.feeder.feed;

import io.pushgate.feeder.publish.ChangeDetector;
import io.pushgate.feeder.publish.PricePublisher;
import io.pushgate.feeder.sources.PriceDocument;
import io.pushgate.feeder.sources.PriceSource;
import java.time.Clock;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

/**
 * One poll: fetch (through the guard), skip if the prices are unchanged, publish. Never
 * throws, because an exception escaping a scheduled task would silently end the schedule.
 *
 * <p>A stop may interrupt the fetch (a hung API, a backoff wait of seconds) but never the
 * publish: an interrupted Redis transaction can leave its pooled connection inside
 * {@code MULTI}, and every later transaction on it then fails.
 */
public class Poller {

    private static final Logger LOG = Logger.getLogger(Poller.class);

    private final PriceSource source;
    private final ChangeDetector changes;
    private final PricePublisher publisher;
    private final FeedStats stats;
    private final Clock clock;
    private final Object fetchLock = new Object();
    private Thread fetching;
    private boolean interruptedByStop;

    public Poller(PriceSource source, ChangeDetector changes, PricePublisher publisher, FeedStats stats, Clock clock) {
        this.source = source;
        this.changes = changes;
        this.publisher = publisher;
        this.stats = stats;
        this.clock = clock;
    }

    public void poll() {
        stats.polled();
        PriceDocument document;
        try {
            document = fetch();
        } catch (CircuitBreakerOpenException e) {
            // Expected while the API is down; the breaker's state change was logged once already.
            LOG.debug("circuit open, price source not called");
            stats.failed(FailureReason.CIRCUIT_OPEN, "circuit open");
            return;
        } catch (Exception e) {
            if (interruptedByStop()) {
                // The feed is stopping: not a failure of the API.
                return;
            }
            LOG.warnf("fetching prices from %s failed after retries: %s", source.name(), e.toString());
            stats.failed(FailureReason.FETCH, e.toString());
            return;
        }
        stats.fetched(document, clock.instant());
        if (!changes.isNew(document)) {
            stats.unchanged();
            return;
        }
        try {
            publisher.publish(document);
        } catch (RuntimeException e) {
            LOG.warnf("publishing to Redis failed, will try again on the next poll: %s", e.toString());
            stats.failed(FailureReason.PUBLISH, e.toString());
            return;
        }
        changes.published(document);
        stats.published();
        LOG.debugf("published %s", document.prices());
    }

    /** Interrupts the poll in progress if it is fetching; does nothing while it publishes or between polls. */
    public void interruptFetch() {
        synchronized (fetchLock) {
            if (fetching != null) {
                interruptedByStop = true;
                fetching.interrupt();
            }
        }
    }

    private PriceDocument fetch() throws Exception {
        synchronized (fetchLock) {
            fetching = Thread.currentThread();
            interruptedByStop = false;
        }
        try {
            return source.fetch();
        } finally {
            synchronized (fetchLock) {
                fetching = null;
                // An interrupt that came as the fetch ended must not reach the Redis call that follows.
                Thread.interrupted();
            }
        }
    }

    private boolean interruptedByStop() {
        synchronized (fetchLock) {
            return interruptedByStop;
        }
    }
}
