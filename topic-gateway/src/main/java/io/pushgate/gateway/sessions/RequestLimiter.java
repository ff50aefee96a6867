package io.pushgate.gateway.sessions;

import java.util.function.LongSupplier;

/**
 * The limits on what one session asks of the gateway: a token bucket for its requests (an
 * average rate and a burst), how many topics it may add, and how long it may stay silent.
 * Plain state on the session's event loop; the session acts on the answers.
 */
final class RequestLimiter {

    private final Session.Limits limits;
    private final LongSupplier nanoClock;
    private double requestTokens;
    private long lastRefill;
    private long lastActivity;
    private int topicsAdded;

    RequestLimiter(Session.Limits limits, LongSupplier nanoClock) {
        this.limits = limits;
        this.nanoClock = nanoClock;
        this.requestTokens = limits.requestBurst();
        this.lastRefill = nanoClock.getAsLong();
        this.lastActivity = lastRefill;
    }

    /** Takes one request from the bucket (a request is also activity); false: refuse it with RATE_LIMITED. */
    boolean allowRequest() {
        long now = nanoClock.getAsLong();
        lastActivity = now;
        requestTokens = Math.min(limits.requestBurst(), requestTokens + (now - lastRefill) * (limits.requestsPerSecond() / 1e9));
        lastRefill = now;
        if (requestTokens < 1) {
            return false;
        }
        requestTokens -= 1;
        return true;
    }

    boolean mayAddTopic() {
        return topicsAdded < limits.maxTopicsAdded();
    }

    void topicAdded() {
        topicsAdded++;
    }

    /** True when an idle timeout is set and nothing was asked for longer than it. */
    boolean idleTooLong() {
        return limits.idleTimeoutNanos() > 0 && nanoClock.getAsLong() - lastActivity > limits.idleTimeoutNanos();
    }
}
