package io.pushgate.bench.load;

import io.pushgate.bench.stats.LatencyHistogram;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where every subscriber of a scenario hands the payloads it receives. A step publishes
 * warm-up messages (key {@code 2s}) and then measured ones (key {@code 2s + 1}); only measured
 * messages that arrive before the step's deadline count as delivered, and their latency
 * (receive nanoTime minus send nanoTime) is recorded. Messages of earlier steps and initial
 * values are ignored. Called from the load generator's event loops.
 */
public final class Probe {

    private volatile int measuredKey = Integer.MIN_VALUE;
    private volatile long deadline = Long.MAX_VALUE;
    private volatile LatencyHistogram histogram = new LatencyHistogram();
    private final LongAdder onTime = new LongAdder();
    private final LongAdder late = new LongAdder();
    private final LongAdder warm = new LongAdder();
    private final LongAdder all = new LongAdder();

    /** Starts counting for a step: messages with key {@code measuredKey} count. */
    public void reset(int measuredKey) {
        this.histogram = new LatencyHistogram();
        onTime.reset();
        late.reset();
        warm.reset();
        this.deadline = Long.MAX_VALUE;
        this.measuredKey = measuredKey;
    }

    /** Measured messages arriving after this nanoTime count as late, not delivered. */
    public void deadline(long nanoTime) {
        this.deadline = nanoTime;
    }

    /** One message whose payload (possibly wrapped in an envelope) is {@code buf[from, to)}. */
    public void received(Buffer buf, int from, int to) {
        long now = System.nanoTime();
        all.increment();
        // The envelope is scanned once: both fields are read from where the payload starts.
        int at = Payloads.payloadAt(buf, from, to);
        if (at < 0) {
            return;
        }
        long k = Payloads.stepKey(buf, at, to);
        if (k != measuredKey) {
            if (k == measuredKey - 1) {
                warm.increment();
            }
            return;
        }
        if (now > deadline) {
            late.increment();
            return;
        }
        long t = Payloads.sendTime(buf, at, to);
        if (t != Long.MIN_VALUE) {
            histogram.record(now - t);
        }
        onTime.increment();
    }

    public long onTime() {
        return onTime.sum();
    }

    public long late() {
        return late.sum();
    }

    public long warm() {
        return warm.sum();
    }

    /** Every payload received since the probe was made, of any step. */
    public long total() {
        return all.sum();
    }

    public LatencyHistogram histogram() {
        return histogram;
    }
}
