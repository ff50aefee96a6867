package io.pushgate.gateway.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A session's limits on what it asks: the token bucket, topics added, idleness. */
class RequestLimiterTest {

    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong clock = new AtomicLong(5 * SECOND);

    private RequestLimiter limiter(int requestsPerSecond, int burst, int maxTopicsAdded, long idleTimeoutNanos) {
        return new RequestLimiter(new Session.Limits(SECOND, 10, 100, maxTopicsAdded, requestsPerSecond, burst, idleTimeoutNanos), clock::get);
    }

    @Test
    void aBurstPassesThenRequestsPassAtTheAverageRate() {
        RequestLimiter limiter = limiter(10, 3, 0, 0);
        assertThat(limiter.allowRequest()).isTrue();
        assertThat(limiter.allowRequest()).isTrue();
        assertThat(limiter.allowRequest()).isTrue();
        assertThat(limiter.allowRequest()).as("the burst is spent").isFalse();

        clock.addAndGet(SECOND / 10);
        assertThat(limiter.allowRequest()).as("one token back after a tenth of a second").isTrue();
        assertThat(limiter.allowRequest()).isFalse();

        clock.addAndGet(60 * SECOND);
        int passed = 0;
        while (limiter.allowRequest()) {
            passed++;
        }
        assertThat(passed).as("a long pause refills the bucket up to the burst, no more").isEqualTo(3);
    }

    @Test
    void topicsAddedStopAtTheLimit() {
        RequestLimiter limiter = limiter(10, 10, 2, 0);
        assertThat(limiter.mayAddTopic()).isTrue();
        limiter.topicAdded();
        limiter.topicAdded();
        assertThat(limiter.mayAddTopic()).isFalse();
    }

    @Test
    void idleMeansNoRequestForLongerThanTheTimeoutAndARequestIsActivity() {
        RequestLimiter limiter = limiter(10, 10, 0, 30 * SECOND);
        clock.addAndGet(30 * SECOND);
        assertThat(limiter.idleTooLong()).isFalse();
        clock.addAndGet(1);
        assertThat(limiter.idleTooLong()).isTrue();

        limiter.allowRequest();
        assertThat(limiter.idleTooLong()).isFalse();
        assertThat(limiter(10, 0, 0, 30 * SECOND).allowRequest()).as("a refused request is activity too").isFalse();
    }

    @Test
    void noIdleTimeoutMeansNeverIdle() {
        RequestLimiter limiter = limiter(10, 10, 0, 0);
        clock.addAndGet(3600 * SECOND);
        assertThat(limiter.idleTooLong()).isFalse();
    }
}
