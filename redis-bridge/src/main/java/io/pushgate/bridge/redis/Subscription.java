package io.pushgate.bridge.redis;

/** A listener's hold on a subscription; closing it releases the hold (the last one unsubscribes). */
@FunctionalInterface
public interface Subscription extends AutoCloseable {

    @Override
    void close();
}
