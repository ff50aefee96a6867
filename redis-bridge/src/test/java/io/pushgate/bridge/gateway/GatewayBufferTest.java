package io.pushgate.bridge.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class GatewayBufferTest {

    private static GatewayUpdate update(String topic, String value) {
        return new GatewayUpdate(topic, GatewayUpdate.TopicType.STRING, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String value(GatewayUpdate update) {
        return new String(update.body(), StandardCharsets.UTF_8);
    }

    @Test
    void takesOldestFirst() throws InterruptedException {
        GatewayBuffer buffer = new GatewayBuffer(10);
        buffer.offer(update("a", "1"));
        buffer.offer(update("b", "1"));

        assertThat(buffer.take(Duration.ZERO).topic()).isEqualTo("a");
        assertThat(buffer.take(Duration.ZERO).topic()).isEqualTo("b");
        assertThat(buffer.take(Duration.ofMillis(1))).isNull();
    }

    @Test
    void aNewerValueOfAWaitingTopicReplacesItInItsPlace() throws InterruptedException {
        GatewayBuffer buffer = new GatewayBuffer(10);
        buffer.offer(update("a", "1"));
        buffer.offer(update("b", "1"));

        assertThat(buffer.offer(update("a", "2"))).isEqualTo(GatewayBuffer.Offer.REPLACED);

        assertThat(buffer.size()).isEqualTo(2);
        GatewayUpdate first = buffer.take(Duration.ZERO);
        assertThat(first.topic()).isEqualTo("a");
        assertThat(value(first)).isEqualTo("2");
    }

    @Test
    void whenFullTheTopicThatWaitedLongestIsDropped() throws InterruptedException {
        GatewayBuffer buffer = new GatewayBuffer(2);
        buffer.offer(update("a", "1"));
        buffer.offer(update("b", "1"));

        assertThat(buffer.offer(update("c", "1"))).isEqualTo(GatewayBuffer.Offer.QUEUED_DROPPING_OLDEST);

        assertThat(buffer.take(Duration.ZERO).topic()).isEqualTo("b");
        assertThat(buffer.take(Duration.ZERO).topic()).isEqualTo("c");
    }

    @Test
    void awaitNewerAnswersWhetherANewerValueOfTheTopicArrived() throws InterruptedException {
        GatewayBuffer buffer = new GatewayBuffer(10);
        buffer.offer(update("other", "1"));

        assertThat(buffer.awaitNewer("a", Duration.ofMillis(20))).isFalse();

        buffer.offer(update("a", "2"));
        assertThat(buffer.awaitNewer("a", Duration.ofSeconds(10))).isTrue();
    }
}
