package io.pushgate.gateway.transport;

/**
 * Whether this gateway is shutting down: from then on the transports refuse new sessions with
 * 503 (UNAVAILABLE) so that clients go to another replica, and readiness reports not-ready.
 */
public final class Draining {

    private volatile boolean draining;

    /** True once shutdown began. */
    public boolean isDraining() {
        return draining;
    }

    /** Marks the start of shutdown; true the first time only. */
    public synchronized boolean begin() {
        if (draining) {
            return false;
        }
        draining = true;
        return true;
    }
}
