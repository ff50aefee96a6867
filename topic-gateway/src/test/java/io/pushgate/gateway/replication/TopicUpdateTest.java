package io.pushgate.gateway.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushgate.gateway.topics.Topic;
import io.pushgate.gateway.topics.TopicSpec;
import io.pushgate.gateway.topics.TopicTree;
import io.pushgate.gateway.topics.TopicValue;
import io.pushgate.protocol.TopicType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** An update's encodings: each made once, whoever asks first and however many ask at once. */
class TopicUpdateTest {

    private final Topic topic = new TopicTree().add("t", TopicSpec.of(TopicType.JSON), Topic.State.EMPTY);
    private final TopicUpdate update = new TopicUpdate(topic, 2, TopicValue.fromText(TopicType.JSON, "1"),
            TopicValue.fromText(TopicType.JSON, "2"));
    private final AtomicInteger made = new AtomicInteger();

    @Test
    void anEncodingIsMadeOnceAndSharedAndEachSlotApart() {
        String first = update.encoded(0, u -> "value " + u.seq() + " #" + made.incrementAndGet());
        String again = update.encoded(0, u -> "value " + u.seq() + " #" + made.incrementAndGet());
        assertThat(again).isSameAs(first).isEqualTo("value 2 #1");

        String other = update.encoded(1, u -> "delta #" + made.incrementAndGet());
        assertThat(other).isEqualTo("delta #2");
        assertThat(made).hasValue(2);
    }

    @Test
    void anEncodingFoundNotWorthHavingIsNotMadeAgain() {
        String first = update.encoded(3, u -> nothing());
        String again = update.encoded(3, u -> nothing());
        assertThat(first).isNull();
        assertThat(again).isNull();
        assertThat(made).hasValue(1);
    }

    @Test
    void manyLoopsAskingAtOnceGetTheSameEncoding() throws Exception {
        int loops = 8;
        ExecutorService pool = Executors.newFixedThreadPool(loops);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> answers = new ArrayList<>();
            for (int i = 0; i < loops; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return update.encoded(4, u -> new Object[] {made.incrementAndGet()});
                }));
            }
            start.countDown();
            Object first = answers.get(0).get(10, TimeUnit.SECONDS);
            for (Future<?> answer : answers) {
                assertThat(answer.get(10, TimeUnit.SECONDS)).isSameAs(first);
            }
            assertThat(made).hasValue(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void whatTheUpdateSays() {
        assertThat(update.previous().text()).isEqualTo("1");
        assertThat(update.value().text()).isEqualTo("2");
        assertThat(update.isEvent()).isFalse();
        assertThat(update.isResync()).isFalse();
        TopicUpdate resync = TopicUpdate.resync(topic, 9);
        assertThat(resync.isResync()).isTrue();
        assertThat(resync.seq()).isEqualTo(9);
        assertThat(resync.value()).isNull();
    }

    private String nothing() {
        made.incrementAndGet();
        return null;
    }
}
