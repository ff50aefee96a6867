package io.pushgate.bridge.passthrough;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushgate.bridge.redis.ChannelName;
import org.junit.jupiter.api.Test;

class PublishPolicyTest {

    @Test
    void aClientOnAChannelMayPublishWhenPublishingIsAllowed() {
        assertThat(new PublishPolicy(true).refusal(new ChannelName("prices.btc"))).isEmpty();
    }

    @Test
    void aPatternIsReadOnlyEvenWhenPublishingIsAllowed() {
        assertThat(new PublishPolicy(true).refusal(new ChannelName("prices.*"))).contains("a pattern is read-only");
    }

    @Test
    void nobodyPublishesWhenPublishingIsDisabled() {
        assertThat(new PublishPolicy(false).refusal(new ChannelName("prices.btc"))).contains("publishing is disabled");
    }
}
