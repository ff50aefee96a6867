package io.pushgate.backend.write;

import io.pushgate.backend.gateway.GatewayException;
import io.pushgate.backend.gateway.GatewayPort;

/**
 * One unit of work for the gateway, run by the {@link GatewayWriter}'s thread: a price (history
 * event, raw document, price document) or a moderation action (an edit, log events, a revocation).
 *
 * <p>{@link #run} may be called several times: after a failure that {@link #givesUpOn} does not
 * give up on, it is called again after a backoff, and must go on from where it failed (an op keeps
 * which of its steps are done). Exactly one of {@link #done}, {@link #dropped}, {@link #failed}
 * ends it, unless the writer is stopped first (then none: the op is simply abandoned).
 */
public interface WriteOp {

    /** Whether the buffer may drop this op when it is full (prices: yes; moderation: never). */
    boolean droppable();

    /** Does what is left to do; throws {@link GatewayException} when the gateway did not accept a step. */
    void run(GatewayPort gateway);

    /** True when this failure will not go away by trying again (the op then ends with {@link #failed}). */
    boolean givesUpOn(GatewayException failure);

    /** Every step was accepted. */
    void done();

    /** The buffer was full and dropped it before it ran. */
    default void dropped() {
    }

    /** It was given up after a failure. */
    default void failed(GatewayException failure) {
    }

    /** For logs. */
    String describe();
}
