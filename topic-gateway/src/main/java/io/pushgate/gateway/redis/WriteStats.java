package io.pushgate.gateway.redis;

import java.util.concurrent.atomic.LongAdder;

/** Counters of the write lanes ({@link WriteLane}); the metrics adapter exposes them at {@code /q/metrics}. */
public final class WriteStats {

    /** Calls of set_batch.lua: one per batch of sets. */
    public final LongAdder batches = new LongAdder();
    /** Sets sent in those batches (sets / batches is the mean batch size). */
    public final LongAdder batchedSets = new LongAdder();
    /** Other writes (add, remove, append), each its own call. */
    public final LongAdder scriptCalls = new LongAdder();
    /** Writes that failed because the store could not be reached or the queue was full (never acknowledged). */
    public final LongAdder unavailable = new LongAdder();
    /** Acknowledgements given after the apply wait, without this gateway having seen the change message. */
    public final LongAdder applyWaitsExpired = new LongAdder();
    /** Calls whose WAIT found fewer replicas than gateway.redis.wait-replicas in time: their writes were refused. */
    public final LongAdder notReplicated = new LongAdder();
}
