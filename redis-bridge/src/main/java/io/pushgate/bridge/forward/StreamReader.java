package io.pushgate.bridge.forward;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.bridge.config.BridgeConfig;
import io.pushgate.support.backoff.Backoff;
import io.pushgate.support.redis.EntryNotHandledException;
import io.pushgate.support.redis.StreamConsumerLoop;
import io.quarkus.redis.datasource.stream.StreamCommands;
import io.quarkus.redis.datasource.stream.StreamMessage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads one input stream with a consumer group ({@link StreamConsumerLoop}, on a thread of its
 * own) and forwards each entry through the {@link ForwardQueue}, acknowledging it (XACK) only
 * once the forward succeeded.
 *
 * <p>It starts with its pending entries (XREADGROUP from id 0: what this consumer read before a
 * crash or restart and never acknowledged), then reads new ones ({@code >}). A failed forward
 * sends it back to its pending entries after a backoff, so the failed entry is retried first and
 * entries are forwarded in stream order. Entries left pending for longer than {@code claim-idle}
 * by another consumer of the group (a replica that went away) are claimed (XAUTOCLAIM) and
 * forwarded here. Delivery is at least once: an entry whose XACK is lost is forwarded again.
 */
final class StreamReader {

    private final String stream;
    private final ForwardQueue queue;
    private final ForwardMeters meters;
    private final BridgeConfig.Forward config;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final StreamConsumerLoop<byte[]> loop;

    StreamReader(String stream, StreamCommands<String, String, byte[]> commands, ForwardQueue queue, ForwardMeters meters,
            BridgeConfig.Forward config, ObjectMapper mapper, Clock clock) {
        this.stream = stream;
        this.queue = queue;
        this.meters = meters;
        this.config = config;
        this.mapper = mapper;
        this.clock = clock;
        StreamConsumerLoop.Settings settings = new StreamConsumerLoop.Settings(stream, config.group(), config.consumer(),
                config.groupStartId(), config.batchSize(), config.block(), config.claimIdle(), "bridge-stream-" + stream,
                config.block().plus(config.forwardTimeout()).plusSeconds(1));
        BridgeConfig.Backoff retry = config.retry();
        this.loop = new StreamConsumerLoop<>(settings, commands, Backoff.exponential(retry.initialDelay(), retry.maxDelay()),
                clock, this::forwardAndAck);
    }

    void start() {
        loop.start();
    }

    /** Stops reading and waits for the thread to end (at most one XREADGROUP block plus one forward). */
    void stop() throws InterruptedException {
        loop.stop();
    }

    private void forwardAndAck(StreamMessage<String, String, byte[]> entry) throws EntryNotHandledException {
        Map<String, byte[]> fields = entry.payload();
        if (fields == null || fields.isEmpty()) {
            // a pending entry the stream has since trimmed: nothing left to forward
            loop.ack(entry.id());
            return;
        }
        byte[] data = fields.containsKey(config.streamField()) ? fields.get(config.streamField()) : allFieldsAsJson(fields);
        meters.received(ForwardRecord.Source.STREAM, stream, data.length);
        ForwardRecord record = ForwardRecord.fromStream(stream, entry.id(), data, clock.instant());
        try {
            queue.submit(record).toCompletableFuture().get(config.forwardTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new EntryNotHandledException("forward of " + entry.id() + " failed: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            meters.failed(ForwardRecord.Source.STREAM, stream, "timeout");
            throw new EntryNotHandledException("forward of " + entry.id() + " timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EntryNotHandledException("interrupted while forwarding " + entry.id());
        }
        loop.ack(entry.id());
        meters.acked(stream);
    }

    private byte[] allFieldsAsJson(Map<String, byte[]> fields) {
        ObjectNode object = mapper.createObjectNode();
        fields.forEach((name, value) -> object.put(name, new String(value, StandardCharsets.UTF_8)));
        return object.toString().getBytes(StandardCharsets.UTF_8);
    }
}
