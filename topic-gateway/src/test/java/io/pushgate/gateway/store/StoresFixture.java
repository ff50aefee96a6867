package io.pushgate.gateway.store;

import io.pushgate.gateway.control.SessionDirectory;
import io.pushgate.gateway.messaging.Messaging;
import java.util.function.Consumer;

/**
 * One set of store ports for a contract test: the memory ones ({@code memory.MemoryFixture}) or
 * the Redis ones against a real redis-server ({@code redis.RedisFixture}). Each test gets a fresh one.
 */
public interface StoresFixture extends AutoCloseable {

    /** The set under test, as the wiring builds it. */
    Stores stores();

    /** A started session directory as one replica; a second call makes a second replica where the kind has replicas. */
    SessionDirectory directory();

    /** The messaging router of a replica with this id, started with {@code inbox}. */
    Messaging.Router router(String replica, Consumer<String> inbox);

    @Override
    void close();
}
