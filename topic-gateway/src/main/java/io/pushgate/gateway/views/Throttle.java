package io.pushgate.gateway.views;

import java.time.Duration;

/** {@code throttle to N updates every T}: at most {@code updates} per {@code period}. */
public record Throttle(int updates, Duration period) {

    public Throttle {
        if (updates < 1) {
            throw new IllegalArgumentException("throttle updates must be positive: " + updates);
        }
        DurationUnit.require(period, "throttle period");
    }

    String toDsl() {
        return "throttle to " + updates + (updates == 1 ? " update" : " updates") + " every " + DurationUnit.toDsl(period);
    }
}
