package io.pushgate.backend.prices;

import io.pushgate.backend.config.BackendConfig;
import io.pushgate.backend.metrics.BackendMeters;
import io.pushgate.support.backoff.Backoff;
import io.pushgate.support.redis.EntryNotHandledException;
import io.pushgate.support.redis.StreamConsumerLoop;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Reads the redis-bridge's pipeline stream with a consumer group ({@link StreamConsumerLoop}, on
 * a thread of its own) and emits each entry as a message on the {@code bridge-entries} channel
 * whose acknowledgement is the entry's {@code XACK}: an entry is acknowledged only once the
 * gateway accepted what it became (or it was not for this service), so whatever this consumer
 * read and did not finish stays in the group's pending list.
 *
 * <p>On start it first re-reads its own pending entries (from id 0), then new ones. It reads ahead
 * of the writes (the bounded buffer decides what waits); if the channel refuses an entry it goes
 * back to its pending entries, which is harmless, since an entry already written is recognised.
 */
@ApplicationScoped
public class StreamConsumer {

    private static final Logger LOG = Logger.getLogger(StreamConsumer.class);

    private final BackendConfig.Stream config;
    private final ReactiveRedisDataSource reactive;
    private final Emitter<BridgeEntry> emitter;
    private final BackendMeters meters;
    private final StreamConsumerLoop<String> loop;

    public StreamConsumer(BackendConfig config, RedisDataSource redis, ReactiveRedisDataSource reactive,
            @Channel("bridge-entries") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024) Emitter<BridgeEntry> emitter,
            BackendMeters meters) {
        this.config = config.stream();
        this.reactive = reactive;
        this.emitter = emitter;
        this.meters = meters;
        BackendConfig.Stream stream = config.stream();
        StreamConsumerLoop.Settings settings = new StreamConsumerLoop.Settings(stream.key(), stream.group(), stream.consumer(),
                stream.groupStartId(), stream.batchSize(), stream.block(), Duration.ZERO, "backend-stream-" + stream.key(),
                stream.block().plusSeconds(5));
        this.loop = new StreamConsumerLoop<>(settings, redis.stream(String.class, String.class, String.class),
                Backoff.exponential(config.retry().initialDelay(), config.retry().maxDelay()), Clock.systemUTC(), this::emit);
    }

    /** Starts reading: pending entries first, then new ones. */
    public void start() {
        loop.start();
    }

    /** Stops reading and waits for the thread (at most one XREADGROUP block). What was read and not written stays pending. */
    public void stop() throws InterruptedException {
        loop.stop();
    }

    public boolean running() {
        return loop.running();
    }

    private void emit(StreamMessage<String, String, String> m) throws EntryNotHandledException {
        meters.entryRead();
        BridgeEntry entry;
        try {
            entry = BridgeEntry.parse(m.id(), m.payload());
        } catch (IllegalArgumentException e) {
            LOG.warnf("acknowledging entry %s of %s without using it: %s", m.id(), config.key(), e.getMessage());
            meters.entryIgnored();
            ack(m.id());
            return;
        }
        try {
            emitter.send(Message.of(entry, () -> ack(m.id()), failure -> CompletableFuture.completedFuture(null)));
        } catch (RuntimeException e) {
            throw new EntryNotHandledException("the price flow did not take entry " + m.id() + " (" + e.getMessage()
                    + "); reading the pending entries again");
        }
    }

    private CompletableFuture<Void> ack(String id) {
        return reactive.stream(String.class, String.class, String.class).xack(config.key(), config.group(), id)
                .subscribeAsCompletionStage()
                .handle((count, failure) -> {
                    if (failure != null) {
                        LOG.warnf("XACK of %s failed (%s): it stays pending and will be recognised when read again", id, failure.getMessage());
                    } else {
                        meters.entryAcked();
                    }
                    return (Void) null;
                }).toCompletableFuture();
    }
}
