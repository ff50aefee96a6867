package io.pushgate.bench.stats;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A log-linear histogram of non-negative values (nanoseconds here), safe to record into from
 * several event loops at once. Values below 128 are exact; above, each power of two is split
 * into 64 buckets, so a reported percentile is within 1/64 (1.6 %) of a recorded value. The
 * idea is HdrHistogram's, in a few lines, so that the harness needs no extra dependency.
 */
public final class LatencyHistogram {

    private static final int SUB_BITS = 7;
    private static final int SUB = 1 << SUB_BITS;
    private static final int HALF = SUB / 2;
    private static final int BUCKETS = (64 - SUB_BITS + 1) * HALF + SUB;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong sum = new AtomicLong();
    private final AtomicLong min = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong max = new AtomicLong(Long.MIN_VALUE);

    /** Records one value; negative values (clock steps) count as 0. */
    public void record(long value) {
        long v = Math.max(0, value);
        counts.incrementAndGet(index(v));
        count.incrementAndGet();
        sum.addAndGet(v);
        min.accumulateAndGet(v, Math::min);
        max.accumulateAndGet(v, Math::max);
    }

    /** Adds every value recorded in {@code other} (which must not be recorded into meanwhile). */
    public void add(LatencyHistogram other) {
        if (other.count() == 0) {
            return;
        }
        for (int i = 0; i < BUCKETS; i++) {
            long c = other.counts.get(i);
            if (c != 0) {
                counts.addAndGet(i, c);
            }
        }
        count.addAndGet(other.count());
        sum.addAndGet(other.sum.get());
        min.accumulateAndGet(other.min.get(), Math::min);
        max.accumulateAndGet(other.max.get(), Math::max);
    }

    public long count() {
        return count.get();
    }

    public long max() {
        return count() == 0 ? 0 : max.get();
    }

    public long min() {
        return count() == 0 ? 0 : min.get();
    }

    public double mean() {
        long n = count();
        return n == 0 ? 0 : (double) sum.get() / n;
    }

    /**
     * The value at percentile {@code p} (0 to 100) by the nearest-rank method: the smallest
     * recorded value such that at least p % of the values are at or below it (within the
     * bucket precision). 0 when nothing was recorded.
     */
    public long percentile(double p) {
        long n = count();
        if (n == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(p / 100.0 * n));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return Math.max(min(), Math.min(max(), representative(i)));
            }
        }
        return max();
    }

    static int index(long v) {
        if (v < SUB) {
            return (int) v;
        }
        int msb = 63 - Long.numberOfLeadingZeros(v);
        int shift = msb - SUB_BITS + 1;
        long top = v >>> shift;
        return shift * HALF + (int) top;
    }

    /** The middle of bucket {@code i}'s range of values. */
    static long representative(int i) {
        if (i < SUB) {
            return i;
        }
        int shift = i / HALF - 1;
        long top = i - (long) shift * HALF;
        long low = top << shift;
        long high = ((top + 1) << shift) - 1;
        return low + (high - low) / 2;
    }
}
