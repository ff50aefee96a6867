package io.pushgate.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void theNominalDelayDoublesUpToTheMaximum() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), () -> 1.0);
        assertThat(backoff.nominal(0)).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.nominal(1)).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.nominal(3)).isEqualTo(Duration.ofMillis(800));
        assertThat(backoff.nominal(4)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.nominal(1000)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void eachDelayIsBetweenHalfAndAllOfTheNominalOne() {
        assertThat(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), () -> 0.0).delay(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), () -> 0.5).delay(2)).isEqualTo(Duration.ofMillis(300));
        assertThat(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), () -> 0.999999).delay(2))
                .isBetween(Duration.ofMillis(399), Duration.ofMillis(400));
    }

    @Test
    void aZeroInitialDelayRetriesAtOnce() {
        assertThat(new Backoff(Duration.ZERO, Duration.ofSeconds(1), () -> 0.7).delay(5)).isEqualTo(Duration.ZERO);
    }

    @Test
    void aMaximumBelowTheInitialDelayIsRefused() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), () -> 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
