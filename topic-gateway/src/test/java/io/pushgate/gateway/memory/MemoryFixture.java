package io.pushgate.gateway.memory;

import io.pushgate.gateway.control.SessionDirectory;
import io.pushgate.gateway.messaging.Messaging;
import io.pushgate.gateway.store.StoresFixture;
import java.util.function.Consumer;

/** The memory stores, as {@link MemoryStores} builds them, for the contract tests. */
public final class MemoryFixture implements StoresFixture {

    private final MemoryStores stores = new MemoryStores("memory");

    @Override
    public MemoryStores stores() {
        return stores;
    }

    /** The one directory there is: a single node. */
    @Override
    public SessionDirectory directory() {
        return stores.sessions();
    }

    @Override
    public Messaging.Router router(String replica, Consumer<String> inbox) {
        MemoryMessageRouter router = new MemoryMessageRouter(replica);
        router.start(inbox);
        return router;
    }

    @Override
    public void close() {
        stores.close();
    }
}
