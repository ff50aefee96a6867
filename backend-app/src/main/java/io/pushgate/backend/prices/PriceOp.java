package io.pushgate.backend.prices;

import io.pushgate.backend.gateway.GatewayException;
import io.pushgate.backend.gateway.GatewayPort;
import io.pushgate.backend.write.WriteOp;
import io.pushgate.protocol.ErrorCode;

/**
 * A price as a write: publishes it with the {@link PricePublisher}, retried until the gateway
 * accepts it. Given up only when the gateway says the document itself is wrong ({@code INVALID},
 * {@code TOO_LARGE}): every other failure (the gateway away, a token or permission problem being
 * fixed, a spec conflict) is retried, so that no price is acknowledged upstream without being written.
 * Droppable: the buffer drops the oldest prices when full.
 */
public final class PriceOp implements WriteOp {

    /** How a price ended. */
    public interface Outcomes {
        /** Published, or recognised as one already published: acknowledge it upstream. */
        void handled(PricePublisher.Outcome outcome);

        /** The gateway refused the document for good: acknowledge it upstream (nothing to retry) and count it. */
        void rejected(GatewayException failure);

        /** The full buffer dropped it before it was written: do not acknowledge it. */
        void dropped();
    }

    private final PricePublisher publisher;
    private final PriceUpdate update;
    private final Outcomes outcomes;
    private PricePublisher.Outcome outcome;

    public PriceOp(PricePublisher publisher, PriceUpdate update, Outcomes outcomes) {
        this.publisher = publisher;
        this.update = update;
        this.outcomes = outcomes;
    }

    public PriceUpdate update() {
        return update;
    }

    @Override
    public boolean droppable() {
        return true;
    }

    @Override
    public void run(GatewayPort gateway) {
        outcome = publisher.publish(gateway, update);
    }

    @Override
    public boolean givesUpOn(GatewayException failure) {
        return failure.code() == ErrorCode.INVALID || failure.code() == ErrorCode.TOO_LARGE;
    }

    @Override
    public void done() {
        outcomes.handled(outcome);
    }

    @Override
    public void dropped() {
        outcomes.dropped();
    }

    @Override
    public void failed(GatewayException failure) {
        outcomes.rejected(failure);
    }

    @Override
    public String describe() {
        return update.toString();
    }
}
