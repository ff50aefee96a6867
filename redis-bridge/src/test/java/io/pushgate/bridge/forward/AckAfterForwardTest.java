package io.pushgate.bridge.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pushgate.bridge.support.FakeGatewayResource;
import io.pushgate.bridge.support.TestRedis;
import io.pushgate.testsupport.RedisTestResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.PendingMessage;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A stream entry is acknowledged only after its forward succeeded. The forward is made to fail
 * for real: the pipeline stream's key holds a string, so XADD answers WRONGTYPE.
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
@WithTestResource(FakeGatewayResource.class)
class AckAfterForwardTest {

    private static final String STREAM = "ack.stream";

    @Inject
    RedisDataSource dataSource;

    @Inject
    StreamReaders readers;

    @AfterEach
    void repairThePipeline() {
        dataSource.key().del(TestRedis.PIPELINE);
        readers.start();
    }

    @Test
    void anEntryWhoseForwardFailedStaysPendingAndIsForwardedAfterTheConsumerRestarts() throws InterruptedException {
        TestRedis redis = new TestRedis(dataSource);
        await().atMost(Duration.ofSeconds(10)).until(() -> redis.groupExists(STREAM));
        dataSource.key().del(TestRedis.PIPELINE);
        dataSource.value(String.class).set(TestRedis.PIPELINE, "not a stream: every XADD fails");
        String payload = TestRedis.unique("{\"price\":\"ack") + "\"}";

        String id = redis.xadd(STREAM, Map.of("data", payload));

        // read, forward failed, read again from the pending list and failed again: never acknowledged
        await().until(() -> redis.pending(STREAM).stream().anyMatch(p -> p.getMessageId().equals(id) && p.getDeliveryCount() >= 2));

        readers.stop();
        assertThat(redis.pending(STREAM)).extracting(PendingMessage::getMessageId).containsExactly(id);

        dataSource.key().del(TestRedis.PIPELINE);
        readers.start();

        await().until(() -> redis.forwarded(payload).size() == 1);
        assertThat(redis.forwarded(payload).get(0)).containsEntry("id", id).containsEntry("source", "stream");
        await().until(() -> redis.pending(STREAM).isEmpty());
        assertThat(redis.forwarded(payload)).as("forwarded exactly once").hasSize(1);
    }
}
