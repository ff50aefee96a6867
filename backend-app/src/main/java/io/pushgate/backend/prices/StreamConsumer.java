package io.pushgate.backend.prices;

import io.pushgate.backend.config.BackendConfig;
import io.pushgate.backend.metrics.BackendMeters;
import io.pushgate.backend.support.Backoff;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamCommands;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.XGroupCreateArgs;
import io.quarkus.redis.datasource.stream.XReadGroupArgs;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Reads the redis-bridge's pipeline stream with a consumer group, on a thread of its own, and
 * emits each entry as a message on the {@code bridge-entries} channel whose acknowledgement is the
 * entry's {@code XACK}: an entry is acknowledged only once the gateway accepted what it became (or
 * it was not for this service), so whatever this consumer read and did not finish stays in the
 * group's pending list.
 *
 * <p>On start it first re-reads its own pending entries (from id 0), then new ones. It reads ahead
 * of the writes (the bounded buffer decides what waits); if the channel refuses an entry it goes
 * back to its pending entries, which is harmless, since an entry already written is recognised.
 */
@ApplicationScoped
public class StreamConsumer {

    private static final Logger LOG = Logger.getLogger(StreamConsumer.class);
    private static final String FIRST_PENDING = "0";

    private final BackendConfig.Stream config;
    private final StreamCommands<String, String, String> commands;
    private final ReactiveRedisDataSource reactive;
    private final Emitter<BridgeEntry> emitter;
    private final BackendMeters meters;
    private final Backoff backoff;

    private volatile boolean running;
    private Thread thread;
    private CountDownLatch stopSignal = new CountDownLatch(1);
    private boolean groupReady;
    private boolean groupLost;
    private String pendingCursor;
    private boolean failing;

    public StreamConsumer(BackendConfig config, RedisDataSource redis, ReactiveRedisDataSource reactive,
            @Channel("bridge-entries") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024) Emitter<BridgeEntry> emitter,
            BackendMeters meters) {
        this.config = config.stream();
        this.commands = redis.stream(String.class, String.class, String.class);
        this.reactive = reactive;
        this.emitter = emitter;
        this.meters = meters;
        this.backoff = new Backoff(config.retry().initialDelay(), config.retry().maxDelay());
    }

    /** Starts reading: pending entries first, then new ones. */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        pendingCursor = FIRST_PENDING;
        stopSignal = new CountDownLatch(1);
        thread = new Thread(this::loop, "backend-stream-" + config.key());
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops reading and waits for the thread (at most one XREADGROUP block). What was read and not written stays pending. */
    public void stop() throws InterruptedException {
        Thread t;
        synchronized (this) {
            running = false;
            stopSignal.countDown();
            t = thread;
        }
        if (t != null) {
            t.join(config.block().toMillis() + 5000);
        }
    }

    public boolean running() {
        return running;
    }

    private void loop() {
        LOG.infof("consuming %s as %s/%s", config.key(), config.group(), config.consumer());
        while (running) {
            try {
                step();
            } catch (RuntimeException e) {
                if (!running) {
                    break;
                }
                if (String.valueOf(e.getMessage()).contains("NOGROUP")) {
                    groupReady = false;
                    groupLost = true;
                }
                pendingCursor = FIRST_PENDING;
                if (!failing) {
                    failing = true;
                    LOG.warnf("reading %s failed (%s); retrying with backoff", config.key(), e.getMessage());
                }
                pause(backoff.next());
            }
        }
    }

    private void step() {
        if (!groupReady) {
            createGroup();
            groupReady = true;
        }
        boolean pending = pendingCursor != null;
        List<StreamMessage<String, String, String>> batch = pending
                ? commands.xreadgroup(config.group(), config.consumer(), config.key(), pendingCursor, new XReadGroupArgs().count(config.batchSize()))
                : commands.xreadgroup(config.group(), config.consumer(), config.key(), ">",
                        new XReadGroupArgs().count(config.batchSize()).block(config.block()));
        if (pending && batch.isEmpty()) {
            pendingCursor = null;
            return;
        }
        for (StreamMessage<String, String, String> m : batch) {
            if (!running) {
                return;
            }
            meters.entryRead();
            if (pending) {
                pendingCursor = m.id();
            }
            if (!emit(m)) {
                pendingCursor = FIRST_PENDING;
                pause(backoff.next());
                return;
            }
        }
        if (failing) {
            failing = false;
            LOG.infof("reading %s again", config.key());
        }
        backoff.reset();
    }

    private boolean emit(StreamMessage<String, String, String> m) {
        BridgeEntry entry;
        try {
            entry = BridgeEntry.parse(m.id(), m.payload());
        } catch (IllegalArgumentException e) {
            LOG.warnf("acknowledging entry %s of %s without using it: %s", m.id(), config.key(), e.getMessage());
            meters.entryIgnored();
            ack(m.id());
            return true;
        }
        try {
            emitter.send(Message.of(entry, () -> ack(m.id()), failure -> CompletableFuture.completedFuture(null)));
            return true;
        } catch (RuntimeException e) {
            LOG.warnf("the price flow did not take entry %s (%s); reading the pending entries again", m.id(), e.getMessage());
            return false;
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

    private void createGroup() {
        String from = groupLost ? "0" : config.groupStartId();
        try {
            commands.xgroupCreate(config.key(), config.group(), from, new XGroupCreateArgs().mkstream());
            LOG.infof("created consumer group %s on %s from %s", config.group(), config.key(), from);
        } catch (RuntimeException e) {
            if (!String.valueOf(e.getMessage()).contains("BUSYGROUP")) {
                throw e;
            }
        }
    }

    private void pause(Duration wait) {
        try {
            stopSignal.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
