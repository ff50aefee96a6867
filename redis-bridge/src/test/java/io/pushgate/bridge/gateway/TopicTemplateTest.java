package io.pushgate.bridge.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopicTemplateTest {

    @Test
    void channelGoesWhereTheTemplateSays() {
        assertThat(new TopicTemplate("redis/<channel>").expand("prices.btc")).contains("redis/prices.btc");
        assertThat(new TopicTemplate("feeds/<channel>/latest").expand("prices.btc")).contains("feeds/prices.btc/latest");
        assertThat(new TopicTemplate("prices/btc").expand("prices.btc")).contains("prices/btc");
    }

    @Test
    void charactersATopicPathCannotHoldBecomeUnderscores() {
        assertThat(new TopicTemplate("redis/<channel>").expand("orders:eu")).contains("redis/orders_eu");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/redis/<channel>", "redis/<channel>/", "redis//<channel>", "redis/<chan>", "redis <channel>"})
    void refusesTemplatesThatGiveNoValidPath(String template) {
        assertThatThrownBy(() -> new TopicTemplate(template)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPathLongerThan1024IsNotExpanded() {
        assertThat(new TopicTemplate("<channel>").expand("x".repeat(1025))).isEmpty();
    }
}
