package io.pushgate.bridge.forward;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.bridge.config.BridgeConfig;
import io.pushgate.bridge.support.Backoff;
import io.quarkus.redis.datasource.stream.StreamCommands;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.XGroupCreateArgs;
import io.quarkus.redis.datasource.stream.XReadGroupArgs;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Reads one input stream with a consumer group, on a thread of its own, and forwards each entry
 * through the {@link ForwardQueue}, acknowledging it (XACK) only once the forward succeeded.
 *
 * <p>It starts with its pending entries (XREADGROUP from id 0: what this consumer read before a
 * crash or restart and never acknowledged), then reads new ones ({@code >}). A failed forward
 * sends it back to its pending entries after a backoff, so the failed entry is retried first and
 * entries are forwarded in stream order. Entries left pending for longer than {@code claim-idle}
 * by another consumer of the group (a replica that went away) are claimed (XAUTOCLAIM) and
 * forwarded here. Delivery is at least once: an entry whose XACK is lost is forwarded again.
 */
final class StreamReader implements Runnable {

    private static final Logger LOG = Logger.getLogger(StreamReader.class);
    private static final String FIRST_PENDING = "0";

    private final String stream;
    private final StreamCommands<String, String, byte[]> commands;
    private final ForwardQueue queue;
    private final ForwardMeters meters;
    private final BridgeConfig.Forward config;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final Backoff backoff;
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final Thread thread;

    private volatile boolean running;
    private boolean groupReady;
    private boolean groupLost;
    private String pendingCursor = FIRST_PENDING; // null while reading new entries
    private Instant lastClaim = Instant.EPOCH;
    private boolean failing;

    StreamReader(String stream, StreamCommands<String, String, byte[]> commands, ForwardQueue queue, ForwardMeters meters,
            BridgeConfig.Forward config, ObjectMapper mapper, Clock clock) {
        this.stream = stream;
        this.commands = commands;
        this.queue = queue;
        this.meters = meters;
        this.config = config;
        this.mapper = mapper;
        this.clock = clock;
        this.backoff = Backoff.of(config.retry());
        this.thread = new Thread(this, "bridge-stream-" + stream);
        this.thread.setDaemon(true);
    }

    void start() {
        running = true;
        thread.start();
    }

    /** Stops reading and waits for the thread to end (at most one XREADGROUP block plus one forward). */
    void stop() throws InterruptedException {
        running = false;
        stopSignal.countDown();
        thread.join(config.block().plus(config.forwardTimeout()).toMillis() + 1000);
    }

    @Override
    public void run() {
        LOG.infof("forwarding stream %s as %s/%s", stream, config.group(), config.consumer());
        while (running) {
            try {
                step();
            } catch (RuntimeException e) {
                if (!running) {
                    break;
                }
                if (String.valueOf(e.getMessage()).contains("NOGROUP")) {
                    groupReady = false; // the stream or its group was deleted (or Redis lost its data): create them again
                    groupLost = true;
                }
                pendingCursor = FIRST_PENDING;
                failed("Redis error: " + e.getMessage());
                pause(backoff.next());
            }
        }
    }

    private void step() {
        if (!groupReady) {
            createGroup();
            groupReady = true;
        }
        claimAbandoned();
        boolean pending = pendingCursor != null;
        List<StreamMessage<String, String, byte[]>> batch = pending
                ? commands.xreadgroup(config.group(), config.consumer(), stream, pendingCursor, new XReadGroupArgs().count(config.batchSize()))
                : commands.xreadgroup(config.group(), config.consumer(), stream, ">", new XReadGroupArgs().count(config.batchSize()).block(config.block()));
        if (pending && batch.isEmpty()) {
            pendingCursor = null; // no more pending entries: read new ones
            return;
        }
        for (StreamMessage<String, String, byte[]> entry : batch) {
            if (!running) {
                return;
            }
            if (!forwardAndAck(entry)) {
                pendingCursor = FIRST_PENDING;
                pause(backoff.next());
                return;
            }
            if (pending) {
                pendingCursor = entry.id();
            }
        }
        if (!batch.isEmpty()) {
            recovered();
        }
    }

    private boolean forwardAndAck(StreamMessage<String, String, byte[]> entry) {
        Map<String, byte[]> fields = entry.payload();
        if (fields == null || fields.isEmpty()) {
            // a pending entry the stream has since trimmed: nothing left to forward
            commands.xack(stream, config.group(), entry.id());
            return true;
        }
        byte[] data = fields.containsKey(config.streamField()) ? fields.get(config.streamField()) : allFieldsAsJson(fields);
        meters.received(ForwardRecord.Source.STREAM, stream, data.length);
        ForwardRecord record = ForwardRecord.fromStream(stream, entry.id(), data, clock.instant());
        try {
            queue.submit(record).toCompletableFuture().get(config.forwardTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            failed("forward of " + entry.id() + " failed: " + e.getCause().getMessage());
            return false;
        } catch (TimeoutException e) {
            meters.failed(ForwardRecord.Source.STREAM, stream, "timeout");
            failed("forward of " + entry.id() + " timed out");
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        commands.xack(stream, config.group(), entry.id());
        meters.acked(stream);
        return true;
    }

    /**
     * Creates the group from the configured start; after the group was lost, from the beginning,
     * since everything in the stream then arrived after the loss and would otherwise be skipped.
     */
    private void createGroup() {
        String from = groupLost ? "0" : config.groupStartId();
        try {
            commands.xgroupCreate(stream, config.group(), from, new XGroupCreateArgs().mkstream());
            LOG.infof("created consumer group %s on %s from %s", config.group(), stream, from);
        } catch (RuntimeException e) {
            if (!String.valueOf(e.getMessage()).contains("BUSYGROUP")) {
                throw e;
            }
        }
    }

    /** Moves entries another consumer left pending too long into this consumer's pending list. */
    private void claimAbandoned() {
        Duration idle = config.claimIdle();
        Instant now = clock.instant();
        if (idle.isZero() || now.isBefore(lastClaim.plus(idle))) {
            return;
        }
        lastClaim = now;
        int claimed = commands.xautoclaim(stream, config.group(), config.consumer(), idle, "0-0", config.batchSize(), true)
                .getMessages().size();
        if (claimed > 0) {
            LOG.infof("claimed %d entries of %s left pending by another consumer", claimed, stream);
            pendingCursor = FIRST_PENDING;
        }
    }

    private byte[] allFieldsAsJson(Map<String, byte[]> fields) {
        ObjectNode object = mapper.createObjectNode();
        fields.forEach((name, value) -> object.put(name, new String(value, StandardCharsets.UTF_8)));
        return object.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void failed(String what) {
        if (!failing) {
            failing = true;
            LOG.warnf("stream %s: %s; retrying with backoff", stream, what);
        } else {
            LOG.debugf("stream %s: %s", stream, what);
        }
    }

    private void recovered() {
        backoff.reset();
        if (failing) {
            failing = false;
            LOG.infof("stream %s: forwarding again", stream);
        }
    }

    private void pause(Duration delay) {
        try {
            stopSignal.await(delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
