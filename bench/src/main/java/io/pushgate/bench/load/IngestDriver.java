package io.pushgate.bench.load;

import io.pushgate.bench.peers.AckedPublisher;
import io.pushgate.bench.stats.LatencyHistogram;
import io.vertx.core.Context;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One acknowledged publisher of the ingest scenario, driven on its own event loop: either
 * closed-loop (it keeps {@code window} messages in flight, sending the next one as each is
 * acknowledged) or paced (a fixed rate, at most {@link #MAX_IN_FLIGHT} unacknowledged). Publisher
 * {@code index} of {@code n} writes the topics {@code index, index + n, ...}, round-robin, so that
 * each topic has one writer and its last acknowledged value is the one the store must end on.
 */
public final class IngestDriver implements AckedPublisher.AckHandler {

    /** Unacknowledged messages a paced publisher allows before it waits (and counts a stall). */
    public static final int MAX_IN_FLIGHT = 8192;
    private static final int SLOTS = 1 << 15;

    /** What one step of one publisher measured. */
    public record StepResult(long sent, long ackedInWindow, long errors, String lastError, LatencyHistogram ackLatency,
                             long stalledTicks, int inFlightAtEnd) {
    }

    private final int[] topics;
    private final AtomicLongArray lastAcked;
    private final long[] sendTime = new long[SLOTS];
    private final int[] topicOf = new int[SLOTS];
    private AckedPublisher publisher;
    private long nextToken;
    private int inFlight;
    private int next;
    // the current step; touched only on the publisher's event loop
    private boolean closedLoop;
    private boolean running;
    private int window;
    private int key;
    private long from;
    private long to;
    private long sent;
    private long ackedInWindow;
    private long errors;
    private String lastError;
    private long stalled;
    private LatencyHistogram histogram = new LatencyHistogram();

    public IngestDriver(int index, int publishers, int topicCount, AtomicLongArray lastAcked) {
        int count = 0;
        for (int t = index; t < topicCount; t += publishers) {
            count++;
        }
        this.topics = new int[count];
        for (int i = 0, t = index; t < topicCount; t += publishers) {
            topics[i++] = t;
        }
        this.lastAcked = lastAcked;
    }

    public void attach(AckedPublisher publisher) {
        this.publisher = publisher;
    }

    public AckedPublisher publisher() {
        return publisher;
    }

    private Context context() {
        return publisher.context();
    }

    /**
     * Keeps {@code window} messages in flight from now until {@code measureTo}; acknowledgements
     * arriving in {@code [measureFrom, measureTo)} count, and the latency of messages sent then.
     */
    public void startClosedLoop(int window, int measuredKey, long measureFrom, long measureTo) {
        context().runOnContext(v -> {
            begin(true, window, measuredKey, measureFrom, measureTo);
            fill();
        });
    }

    /** Publishes {@code rate} messages per second from now until {@code measureTo}. */
    public void startPaced(double rate, int measuredKey, long measureFrom, long measureTo) {
        context().runOnContext(v -> {
            begin(false, MAX_IN_FLIGHT, measuredKey, measureFrom, measureTo);
            long start = System.nanoTime();
            long[] timer = new long[1];
            timer[0] = context().owner().setPeriodic(1, id -> {
                long now = System.nanoTime();
                if (!running || now >= to || !publisher.isOpen()) {
                    running = false;
                    context().owner().cancelTimer(timer[0]);
                    return;
                }
                long due = (long) ((now - start) * rate / 1e9) + 1;
                while (sent < due) {
                    if (inFlight >= MAX_IN_FLIGHT || publisher.writeQueueFull()) {
                        stalled++;
                        break;
                    }
                    send();
                }
            });
        });
    }

    private void begin(boolean closed, int window, int measuredKey, long measureFrom, long measureTo) {
        this.closedLoop = closed;
        this.running = true;
        this.window = window;
        this.key = measuredKey;
        this.from = measureFrom;
        this.to = measureTo;
        this.sent = 0;
        this.ackedInWindow = 0;
        this.errors = 0;
        this.lastError = null;
        this.stalled = 0;
        this.histogram = new LatencyHistogram();
    }

    private void fill() {
        while (running && inFlight < window && publisher.isOpen()) {
            if (System.nanoTime() >= to) {
                running = false;
                return;
            }
            send();
        }
    }

    private void send() {
        if (inFlight >= SLOTS) {
            stalled++;
            return;
        }
        long token = nextToken++;
        int slot = (int) (token & (SLOTS - 1));
        int topic = topics[next];
        next = next + 1 == topics.length ? 0 : next + 1;
        long t = System.nanoTime();
        sendTime[slot] = t;
        topicOf[slot] = topic;
        inFlight++;
        sent++;
        publisher.publish(topic, Payloads.ingest(t, t >= from ? key : key - 1, topic, Payloads.SIZE), token);
    }

    @Override
    public void acked(long token, String error) {
        long now = System.nanoTime();
        if (token < 0 || token >= nextToken || nextToken - token > SLOTS) {
            return;
        }
        int slot = (int) (token & (SLOTS - 1));
        inFlight--;
        long t = sendTime[slot];
        if (error != null) {
            errors++;
            lastError = error;
        } else {
            lastAcked.set(topicOf[slot], t);
        }
        if (now >= from && now < to) {
            ackedInWindow++;
        }
        if (t >= from && t < to && error == null) {
            histogram.record(now - t);
        }
        if (closedLoop && running) {
            fill();
        }
    }

    /** Stops the step and reports it (run on the publisher's loop); messages in flight still get their acknowledgement. */
    public CompletableFuture<StepResult> finish() {
        CompletableFuture<StepResult> result = new CompletableFuture<>();
        context().runOnContext(v -> {
            running = false;
            result.complete(new StepResult(sent, ackedInWindow, errors, lastError, histogram, stalled, inFlight));
        });
        return result;
    }

    /** Messages not yet acknowledged (read on the publisher's loop). */
    public CompletableFuture<Integer> inFlight() {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        context().runOnContext(v -> result.complete(inFlight));
        return result;
    }
}
