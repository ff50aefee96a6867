package io.pushgate.support.backoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    @Test
    void exponentialDoublesUpToTheMaximumAndStartsAgainAfterAReset() {
        Backoff backoff = Backoff.exponential(ms(100), ms(500));

        assertThat(backoff.next()).isEqualTo(ms(100));
        assertThat(backoff.next()).isEqualTo(ms(200));
        assertThat(backoff.next()).isEqualTo(ms(400));
        assertThat(backoff.next()).isEqualTo(ms(500));
        assertThat(backoff.next()).isEqualTo(ms(500));
        backoff.reset();
        assertThat(backoff.next()).isEqualTo(ms(100));
    }

    @Test
    void exponentialNeedsAPositiveFirstDelayNoLongerThanTheMaximum() {
        assertThatThrownBy(() -> Backoff.exponential(Duration.ZERO, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Backoff.exponential(Duration.ofSeconds(2), Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(Backoff.exponential(ms(5), ms(5)).next()).isEqualTo(ms(5));
    }

    @Test
    void theNominalDelayDoublesFromTheFirstAndIsCappedEvenAfterVeryManyAttempts() {
        Backoff backoff = Backoff.withEqualJitter(ms(250), Duration.ofSeconds(30), () -> 0.5);

        assertThat(backoff.nominal(0)).isEqualTo(ms(250));
        assertThat(backoff.nominal(1)).isEqualTo(ms(500));
        assertThat(backoff.nominal(3)).isEqualTo(ms(2000));
        assertThat(backoff.nominal(7)).isEqualTo(Duration.ofSeconds(30)); // 32 s capped
        assertThat(backoff.nominal(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void equalJitterWaitsBetweenHalfAndAllOfTheNominalDelay() {
        assertThat(Backoff.withEqualJitter(ms(1000), ms(8000), () -> 0.0).delay(2)).isEqualTo(ms(2000));
        assertThat(Backoff.withEqualJitter(ms(1000), ms(8000), () -> 0.5).delay(2)).isEqualTo(ms(3000));
        assertThat(Backoff.withEqualJitter(ms(1000), ms(8000), () -> 0.999_999).delay(2)).isBetween(ms(3999), ms(4000));

        Backoff random = Backoff.withEqualJitter(ms(100), ms(800));
        for (int i = 0; i < 1000; i++) {
            assertThat(random.delay(3)).isBetween(ms(400), ms(800));
        }
    }

    @Test
    void equalJitterAsACursorFollowsTheAttemptsAndResets() {
        Backoff backoff = Backoff.withEqualJitter(ms(100), ms(300), () -> 0.0);

        assertThat(backoff.next()).isEqualTo(ms(50));
        assertThat(backoff.next()).isEqualTo(ms(100));
        assertThat(backoff.next()).isEqualTo(ms(150));
        assertThat(backoff.next()).isEqualTo(ms(150));
        backoff.reset();
        assertThat(backoff.next()).isEqualTo(ms(50));
    }

    @Test
    void equalJitterAllowsAZeroFirstDelayButNotANegativeOneOrAMaximumBelowIt() {
        assertThat(Backoff.withEqualJitter(Duration.ZERO, ms(100), () -> 0.5).delay(5)).isZero();
        assertThatThrownBy(() -> Backoff.withEqualJitter(ms(-1), ms(100))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Backoff.withEqualJitter(ms(200), ms(100))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anotherFactorMultipliesByIt() {
        Backoff backoff = Backoff.exponential(ms(100), ms(5000)).factor(3);

        assertThat(backoff.next()).isEqualTo(ms(100));
        assertThat(backoff.next()).isEqualTo(ms(300));
        assertThat(backoff.next()).isEqualTo(ms(900));
        assertThat(backoff.next()).isEqualTo(ms(2700));
        assertThat(backoff.next()).isEqualTo(ms(5000));
        assertThatThrownBy(() -> Backoff.exponential(ms(100), ms(200)).factor(0.5)).isInstanceOf(IllegalArgumentException.class);
    }

    /** gateway-client's reconnection cases (its Backoff, once it uses this one). */
    @Test
    void theClientsReconnectionDelaysAreBetweenHalfAndAllOfADoublingNominalDelay() {
        Backoff backoff = Backoff.withEqualJitter(ms(100), Duration.ofSeconds(1), () -> 1.0);
        assertThat(backoff.nominal(0)).isEqualTo(ms(100));
        assertThat(backoff.nominal(1)).isEqualTo(ms(200));
        assertThat(backoff.nominal(3)).isEqualTo(ms(800));
        assertThat(backoff.nominal(4)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.nominal(1000)).isEqualTo(Duration.ofSeconds(1));

        assertThat(Backoff.withEqualJitter(ms(100), Duration.ofSeconds(1), () -> 0.0).delay(2)).isEqualTo(ms(200));
        assertThat(Backoff.withEqualJitter(ms(100), Duration.ofSeconds(1), () -> 0.5).delay(2)).isEqualTo(ms(300));
        assertThat(Backoff.withEqualJitter(ms(100), Duration.ofSeconds(1), () -> 0.999999).delay(2)).isBetween(ms(399), ms(400));
        assertThat(Backoff.withEqualJitter(Duration.ZERO, Duration.ofSeconds(1), () -> 0.7).delay(5)).isEqualTo(Duration.ZERO);
        assertThatThrownBy(() -> Backoff.withEqualJitter(Duration.ofSeconds(2), Duration.ofSeconds(1), () -> 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
