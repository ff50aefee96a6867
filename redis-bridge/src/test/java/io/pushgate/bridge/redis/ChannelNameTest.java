package io.pushgate.bridge.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChannelNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"prices.btc", "orders:eu-west_1", "prices.*", "*", "a"})
    void acceptsNamesOfTheAllowedCharacters(String name) {
        assertThat(ChannelName.parse(name)).map(ChannelName::value).contains(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "a/b", "bad$name", "prices.?", "[ab]", "é", "a\nb"})
    void refusesEverythingElse(String name) {
        assertThat(ChannelName.isValid(name)).isFalse();
        assertThatThrownBy(() -> new ChannelName(name)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesNullAndNamesLongerThan128() {
        assertThat(ChannelName.isValid(null)).isFalse();
        assertThat(ChannelName.isValid("x".repeat(128))).isTrue();
        assertThat(ChannelName.isValid("x".repeat(129))).isFalse();
    }

    @Test
    void aNameWithAStarIsAPatternSubscribedWithPsubscribe() {
        assertThat(new ChannelName("prices.*").subscriptionKey()).isEqualTo(SubscriptionKey.pattern("prices.*"));
        assertThat(new ChannelName("prices.btc").subscriptionKey()).isEqualTo(SubscriptionKey.channel("prices.btc"));
        assertThat(new ChannelName("prices.*").isPattern()).isTrue();
        assertThat(new ChannelName("prices.btc").isPattern()).isFalse();
    }
}
