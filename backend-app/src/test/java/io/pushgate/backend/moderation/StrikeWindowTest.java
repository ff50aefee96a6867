package io.pushgate.backend.moderation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushgate.backend.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StrikeWindowTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T20:00:00Z"));
    private final StrikeWindow window = new StrikeWindow(Duration.ofMinutes(10), clock);

    @Test
    void countsStrikesPerAuthorPerRoom() {
        assertThat(window.strike("chat/lobby", "alice")).isEqualTo(1);
        assertThat(window.strike("chat/lobby", "alice")).isEqualTo(2);
        assertThat(window.strike("chat/lobby", "bob")).isEqualTo(1);
        assertThat(window.strike("chat/games", "alice")).isEqualTo(1);
        assertThat(window.count("chat/lobby", "alice")).isEqualTo(2);
    }

    @Test
    void slidesStrikesOlderThanTheWindowOut() {
        window.strike("chat/lobby", "alice");            // 20:00
        clock.advance(Duration.ofMinutes(5));
        window.strike("chat/lobby", "alice");            // 20:05
        clock.advance(Duration.ofMinutes(4).plusSeconds(59));
        assertThat(window.strike("chat/lobby", "alice")).isEqualTo(3);   // 20:09:59: all three inside
        clock.advance(Duration.ofSeconds(1));
        assertThat(window.count("chat/lobby", "alice")).isEqualTo(2);    // 20:10:00: the first is exactly 10 minutes old: out
        clock.advance(Duration.ofMinutes(10));
        assertThat(window.count("chat/lobby", "alice")).isZero();
    }

    @Test
    void clearingStartsTheCountAgain() {
        window.strike("chat/lobby", "alice");
        window.strike("chat/lobby", "alice");
        window.clear("chat/lobby", "alice");
        assertThat(window.strike("chat/lobby", "alice")).isEqualTo(1);
    }

    @Test
    void forgetsAuthorsWhoseStrikesHaveAllExpired() {
        for (int i = 0; i < 100; i++) {
            window.strike("chat/lobby", "user" + i);
        }
        assertThat(window.tracked()).isEqualTo(100);
        clock.advance(Duration.ofMinutes(11));
        assertThat(window.tracked()).isZero();
    }

    @Test
    void needsAPositiveWindow() {
        assertThatThrownBy(() -> new StrikeWindow(Duration.ZERO, clock)).isInstanceOf(IllegalArgumentException.class);
    }
}
