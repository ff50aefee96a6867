package io.pushgate.bench.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void empty_histogram_reports_zeros() {
        LatencyHistogram h = new LatencyHistogram();
        assertThat(h.percentile(99)).isZero();
        assertThat(h.count()).isZero();
        assertThat(h.max()).isZero();
    }

    @Test
    void small_values_are_exact() {
        LatencyHistogram h = new LatencyHistogram();
        IntStream.rangeClosed(1, 100).forEach(h::record);
        assertThat(h.percentile(50)).isEqualTo(50);
        assertThat(h.percentile(99)).isEqualTo(99);
        assertThat(h.percentile(100)).isEqualTo(100);
        assertThat(h.min()).isEqualTo(1);
        assertThat(h.mean()).isCloseTo(50.5, within(1e-9));
    }

    @Test
    void percentiles_match_the_nearest_rank_of_the_sorted_values_within_two_percent() {
        Random random = new Random(42);
        long[] values = new long[200_000];
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < values.length; i++) {
            // log-normal-ish latencies from ~50 us to seconds, in nanoseconds
            values[i] = (long) Math.exp(random.nextGaussian() * 1.5 + Math.log(2_000_000));
            h.record(values[i]);
        }
        Arrays.sort(values);
        for (double p : new double[] {1, 50, 90, 99, 99.9, 99.99}) {
            long exact = values[(int) Math.ceil(p / 100 * values.length) - 1];
            assertThat((double) h.percentile(p)).as("p%s", p).isCloseTo(exact, within(exact * 0.02));
        }
        assertThat(h.max()).isEqualTo(values[values.length - 1]);
        assertThat(h.count()).isEqualTo(values.length);
    }

    @Test
    void buckets_are_contiguous_and_contain_their_values() {
        for (long v = 0; v < 5_000_000; v = v < 1000 ? v + 1 : v + v / 97) {
            int i = LatencyHistogram.index(v);
            long rep = LatencyHistogram.representative(i);
            assertThat((double) rep).as("value %d", v).isCloseTo(v, within(Math.max(1, v / 64.0)));
            assertThat(LatencyHistogram.index(rep)).isEqualTo(i);
        }
        assertThat(LatencyHistogram.index(Long.MAX_VALUE)).isGreaterThan(LatencyHistogram.index(1L << 40));
    }

    @Test
    void records_from_several_threads() throws Exception {
        LatencyHistogram h = new LatencyHistogram();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 50_000; i++) {
                    h.record(1000 + i % 100);
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(h.count()).isEqualTo(200_000);
        assertThat(h.max()).isEqualTo(1099);
    }
}
