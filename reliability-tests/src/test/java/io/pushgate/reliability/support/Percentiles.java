package io.pushgate.reliability.support;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Latency samples in milliseconds and their percentiles (nearest rank). */
public final class Percentiles {

    private final List<Double> samples = new ArrayList<>();

    public synchronized void add(double millis) {
        samples.add(millis);
    }

    public synchronized int count() {
        return samples.size();
    }

    public synchronized double percentile(double p) {
        if (samples.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    public synchronized double max() {
        return samples.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "n=%d p50=%.1fms p99=%.1fms max=%.1fms", count(), percentile(50), percentile(99), max());
    }
}
