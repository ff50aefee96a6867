package io.pushgate.bench.load;

import io.pushgate.bench.stats.LatencyHistogram;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The ingest scenario's subscriber side: for every topic the send time of the last payload
 * received (the payload names its topic, {@link Payloads#ingest}), so that the scenario can
 * check that the subscriber ends on every topic's last acknowledged value; and the publish-to-
 * delivery latency of the measured messages.
 */
public final class IngestProbe {

    private final AtomicLongArray last;
    private volatile int measuredKey = Integer.MIN_VALUE;
    private volatile LatencyHistogram histogram = new LatencyHistogram();
    private final LongAdder received = new LongAdder();
    private final LongAdder foreign = new LongAdder();

    public IngestProbe(int topics) {
        this.last = new AtomicLongArray(topics);
    }

    /** Starts recording latency for messages with key {@code key}. */
    public void reset(int key) {
        histogram = new LatencyHistogram();
        measuredKey = key;
    }

    /** One message whose payload (possibly inside an envelope) is {@code buf[from, to)}. */
    public void received(Buffer buf, int from, int to) {
        long now = System.nanoTime();
        int at = Payloads.payloadAt(buf, from, to);
        if (at < 0) {
            return;
        }
        long t = Payloads.sendTime(buf, at, to);
        long topic = Payloads.topicOf(buf, at, to);
        if (t == Long.MIN_VALUE || topic < 0 || topic >= last.length()) {
            foreign.increment();
            return;
        }
        received.increment();
        // One connection delivers a topic's messages in order: the last one wins.
        last.set((int) topic, t);
        if (Payloads.stepKey(buf, at, to) == measuredKey) {
            histogram.record(now - t);
        }
    }

    /** The send time of the last payload received on {@code topic}, 0 if none. */
    public long last(int topic) {
        return last.get(topic);
    }

    public int topics() {
        return last.length();
    }

    public long received() {
        return received.sum();
    }

    /** Messages that carried no ingest payload of this run (initial values, other scenarios). */
    public long foreign() {
        return foreign.sum();
    }

    public LatencyHistogram histogram() {
        return histogram;
    }
}
