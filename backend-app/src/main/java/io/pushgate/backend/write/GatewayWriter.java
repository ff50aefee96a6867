package io.pushgate.backend.write;

import io.pushgate.backend.gateway.GatewayException;
import io.pushgate.backend.gateway.GatewayPort;
import io.pushgate.support.backoff.Backoff;
import io.pushgate.support.thread.LoopThread;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Runs the ops of a {@link WriteQueue} against the gateway, one at a time, in the order they were
 * submitted, on a thread of its own. An op the gateway does not accept is tried again after a
 * backoff (doubling up to the maximum) until it succeeds, unless the op gives up on that failure;
 * meanwhile later ops wait, so the gateway sees every write in order.
 *
 * <p>Guarantees: an op ends with {@link WriteOp#done()} only after the gateway accepted all its
 * steps; an op dropped by the full buffer ends with {@link WriteOp#dropped()} and never runs.
 */
public final class GatewayWriter {

    /** What the writer reports, for metrics. */
    public interface Listener {
        default void retried(WriteOp op, GatewayException failure) {
        }

        default void dropped(WriteOp op) {
        }

        default void failed(WriteOp op, GatewayException failure) {
        }
    }

    private static final Logger LOG = Logger.getLogger(GatewayWriter.class);

    private final GatewayPort gateway;
    private final WriteQueue queue;
    private final Backoff backoff;
    private final Listener listener;
    private final LoopThread thread = new LoopThread("backend-gateway-writer", Duration.ofSeconds(30), this::loop);
    private boolean failing;

    public GatewayWriter(GatewayPort gateway, WriteQueue queue, Duration initialDelay, Duration maxDelay, Listener listener) {
        this.gateway = gateway;
        this.queue = queue;
        this.backoff = Backoff.exponential(initialDelay, maxDelay);
        this.listener = listener;
    }

    public void start() {
        thread.start();
    }

    /** Stops after the op in progress (if it is between attempts, at once); waiting ops stay queued. */
    public void stop() throws InterruptedException {
        thread.stop();
    }

    /** Submits an op; a droppable op may push out the oldest droppable one waiting. */
    public void submit(WriteOp op) {
        WriteOp dropped = queue.offer(op);
        if (dropped != null) {
            LOG.debugf("buffer full (%d): dropped %s", queue.capacity(), dropped.describe());
            listener.dropped(dropped);
            dropped.dropped();
        }
    }

    /**
     * Removes the waiting ops that match and returns them; they end with none of the callbacks (their
     * owner abandons them). An op in progress is not affected.
     */
    public List<WriteOp> withdraw(Predicate<WriteOp> match) {
        return queue.removeIf(match);
    }

    /** Ops waiting, not counting the one in progress. */
    public int buffered() {
        return queue.size();
    }

    private void loop() {
        while (thread.running()) {
            WriteOp op;
            try {
                op = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (op == null) {
                continue;
            }
            runToEnd(op);
        }
    }

    private void runToEnd(WriteOp op) {
        while (true) {
            try {
                op.run(gateway);
                if (failing) {
                    failing = false;
                    LOG.info("the gateway accepts writes again");
                }
                backoff.reset();
                op.done();
                return;
            } catch (GatewayException e) {
                if (op.givesUpOn(e)) {
                    LOG.warnf("gave up on %s: %s", op.describe(), e);
                    listener.failed(op, e);
                    op.failed(e);
                    return;
                }
                listener.retried(op, e);
                Duration wait = backoff.next();
                if (!failing) {
                    failing = true;
                    LOG.warnf("%s failed (%s); retrying with backoff, %d writes waiting", op.describe(), e, queue.size());
                } else {
                    LOG.debugf("retrying %s in %s: %s", op.describe(), wait, e);
                }
                if (!thread.pause(wait)) {
                    return; // stopped: the op is abandoned (a price stays unacknowledged upstream)
                }
            } catch (RuntimeException e) {
                LOG.errorf(e, "%s failed unexpectedly; retrying", op.describe());
                if (!thread.pause(backoff.next())) {
                    return;
                }
            }
        }
    }
}
