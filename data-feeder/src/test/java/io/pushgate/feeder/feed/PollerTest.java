package io.pushgate.feeder.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pushgate.feeder.publish.ChangeDetector;
import io.pushgate.feeder.publish.PricePublisher;
import io.pushgate.feeder.sources.BpiCurrency;
import io.pushgate.feeder.sources.CoinbaseNormaliser;
import io.pushgate.feeder.sources.PriceDocument;
import io.pushgate.feeder.sources.PriceSource;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.junit.jupiter.api.Test;

class PollerTest {

    private static final Instant NOW = Instant.parse("2026-11-22T20:15:00Z");

    private final Deque<Object> answers = new ArrayDeque<>();
    private final List<PriceDocument> published = new ArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final FeedStats stats = new FeedStats(registry);
    private boolean redisDown;
    private final PricePublisher publisher = doc -> {
        if (redisDown) {
            throw new IllegalStateException("Redis is down");
        }
        published.add(doc);
    };
    private final PriceSource source = new PriceSource() {
        @Override
        public String name() {
            return "test";
        }

        @Override
        public PriceDocument fetch() throws Exception {
            Object next = answers.removeFirst();
            if (next instanceof Exception e) {
                throw e;
            }
            return (PriceDocument) next;
        }
    };
    private final Poller poller = new Poller(source, new ChangeDetector(), publisher, stats, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void publishesNewPricesAndSkipsUnchangedOnes() {
        answers.add(doc("43123.45"));
        answers.add(doc("43123.45"));
        answers.add(doc("43130.00"));

        poller.poll();
        poller.poll();
        poller.poll();

        assertThat(published).extracting(d -> d.prices().get("USD")).containsExactly(43123.45, 43130.00);
        assertThat(stats.polls()).isEqualTo(3);
        assertThat(stats.unchangedCount()).isEqualTo(1);
        assertThat(stats.publishedCount()).isEqualTo(2);
        assertThat(stats.lastPrices()).containsEntry("USD", 43130.00);
        assertThat(stats.lastSuccess()).isEqualTo(NOW);
    }

    @Test
    void aDocumentRedisRefusedIsPublishedOnTheNextPoll() {
        answers.add(doc("43123.45"));
        answers.add(doc("43123.45"));
        redisDown = true;
        poller.poll();
        redisDown = false;
        poller.poll();

        assertThat(published).hasSize(1);
        assertThat(stats.failures(FailureReason.PUBLISH)).isEqualTo(1);
    }

    @Test
    void countsFailuresByReasonAndKeepsTheLastPrice() {
        answers.add(doc("43123.45"));
        answers.add(new IOException("connection refused"));
        answers.add(new CircuitBreakerOpenException("open"));

        poller.poll();
        poller.poll();
        poller.poll();

        assertThat(stats.failures(FailureReason.FETCH)).isEqualTo(1);
        assertThat(stats.failures(FailureReason.CIRCUIT_OPEN)).isEqualTo(1);
        assertThat(stats.failures()).isEqualTo(2);
        assertThat(stats.lastError()).isEqualTo("circuit open");
        assertThat(stats.lastPrices()).containsEntry("USD", 43123.45);
        assertThat(registry.get("feeder.failures").tag("reason", "fetch").functionCounter().count()).isEqualTo(1.0);
        assertThat(registry.get("feeder.last.price").tag("currency", "USD").gauge().value()).isEqualTo(43123.45);
        assertThat(registry.get("feeder.last.success.time").gauge().value()).isEqualTo(NOW.getEpochSecond());
    }

    @Test
    void interruptingStopsAFetchWithoutCountingAFailure() throws Exception {
        CountDownLatch fetching = new CountDownLatch(1);
        PriceSource hanging = new PriceSource() {
            @Override
            public String name() {
                return "hanging";
            }

            @Override
            public PriceDocument fetch() throws Exception {
                fetching.countDown();
                new CountDownLatch(1).await();
                throw new AssertionError("not interrupted");
            }
        };
        Poller hangingPoller = new Poller(hanging, new ChangeDetector(), publisher, stats, Clock.fixed(NOW, ZoneOffset.UTC));
        Thread poll = new Thread(hangingPoller::poll);
        poll.start();
        assertThat(fetching.await(5, TimeUnit.SECONDS)).isTrue();

        hangingPoller.interruptFetch();
        poll.join(5000);

        assertThat(poll.isAlive()).isFalse();
        assertThat(stats.failures()).isZero();
        assertThat(published).isEmpty();
    }

    @Test
    void aPublishIsNeverInterrupted() throws Exception {
        CountDownLatch publishing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        PricePublisher slow = doc -> {
            publishing.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
            published.add(doc);
        };
        answers.add(doc("43123.45"));
        Poller slowPoller = new Poller(source, new ChangeDetector(), slow, stats, Clock.fixed(NOW, ZoneOffset.UTC));
        Thread poll = new Thread(slowPoller::poll);
        poll.start();
        assertThat(publishing.await(5, TimeUnit.SECONDS)).isTrue();

        slowPoller.interruptFetch();
        release.countDown();
        poll.join(5000);

        assertThat(interrupted).isFalse();
        assertThat(published).hasSize(1);
        assertThat(stats.publishedCount()).isEqualTo(1);
    }

    private static PriceDocument doc(String usd) {
        return PriceDocument.of(CoinbaseNormaliser.normalise(Map.of(
                BpiCurrency.USD, new BigDecimal(usd),
                BpiCurrency.GBP, new BigDecimal("34084.79"),
                BpiCurrency.EUR, new BigDecimal("39608.89")), NOW));
    }
}
