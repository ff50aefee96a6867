package io.pushgate.bench.load;

import io.pushgate.bench.peers.Publisher;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.IntUnaryOperator;

/**
 * Publishes at a fixed rate on the publisher's event loop: every millisecond it sends the
 * messages that are due, each stamped with its own send time, round-robin over the topics.
 * Messages of the warm-up part carry {@code measuredKey - 1}, then {@code measuredKey}. When
 * the connection's write queue is full it sends nothing until it drains (the publisher does
 * not queue without bound), so the achieved rate can be lower than asked.
 */
public final class Pacer {

    /** What was sent: counts, the measured window, and how many deliveries the measured messages should give. */
    public record Sent(long warm, long measured, long expectedDeliveries, double measuredSeconds, long stalledTicks, long endNanos) {

        public double achievedRate() {
            return measuredSeconds <= 0 ? 0 : measured / measuredSeconds;
        }
    }

    private Pacer() {
    }

    /**
     * @param fanout how many deliveries one message to a topic should give (its subscribers)
     */
    public static Future<Sent> run(Publisher publisher, double rate, long warmupNanos, long measureNanos,
                                   int measuredKey, int topics, IntUnaryOperator fanout) {
        Promise<Sent> promise = Promise.promise();
        Vertx vertx = publisher.context().owner();
        publisher.context().runOnContext(v -> {
            long start = System.nanoTime();
            long[] s = new long[5]; // sent, warm, measured, expected, stalled
            int[] next = {0};
            long total = warmupNanos + measureNanos;
            long maxBurst = Math.max(50, (long) (rate * 0.05));
            long[] timer = new long[1];
            timer[0] = vertx.setPeriodic(1, id -> {
                long now = System.nanoTime();
                long elapsed = now - start;
                if (elapsed >= total || !publisher.isOpen()) {
                    vertx.cancelTimer(timer[0]);
                    promise.tryComplete(new Sent(s[1], s[2], s[3], Math.min(elapsed, total) - warmupNanos <= 0 ? 0
                            : (Math.min(elapsed, total) - warmupNanos) / 1e9, s[4], now));
                    return;
                }
                long due = (long) (elapsed * rate / 1e9) + 1;
                boolean measured = elapsed >= warmupNanos;
                int key = measured ? measuredKey : measuredKey - 1;
                long burst = 0;
                while (s[0] < due && burst < maxBurst) {
                    if (publisher.writeQueueFull()) {
                        s[4]++;
                        break;
                    }
                    int topic = next[0];
                    next[0] = topic + 1 == topics ? 0 : topic + 1;
                    publisher.publish(topic, Payloads.json(System.nanoTime(), key, Payloads.SIZE));
                    s[0]++;
                    burst++;
                    if (measured) {
                        s[2]++;
                        s[3] += fanout.applyAsInt(topic);
                    } else {
                        s[1]++;
                    }
                }
                if (s[0] < due - maxBurst * 4) {
                    // far behind (the load generator or the connection cannot keep up): do not
                    // burst to catch up later, which would measure bursts, not the rate
                    s[0] = due - maxBurst * 4;
                }
            });
        });
        return promise.future();
    }
}
