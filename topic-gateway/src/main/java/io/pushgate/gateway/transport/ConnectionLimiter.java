package io.pushgate.gateway.transport;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Counts open connections per client address and refuses those past the limit. */
public final class ConnectionLimiter {

    private final int maxPerAddress;
    private final Map<String, Integer> open = new ConcurrentHashMap<>();

    public ConnectionLimiter(int maxPerAddress) {
        this.maxPerAddress = maxPerAddress;
    }

    /** Takes a place for a connection from the address; false when it holds its limit already. */
    public boolean tryAcquire(String address) {
        boolean[] taken = {false};
        open.compute(address, (a, n) -> {
            int current = n == null ? 0 : n;
            if (current >= maxPerAddress) {
                return n;
            }
            taken[0] = true;
            return current + 1;
        });
        return taken[0];
    }

    public void release(String address) {
        open.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }

    public int limit() {
        return maxPerAddress;
    }
}
