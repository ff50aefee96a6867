package io.pushgate.gateway.memory;

import io.pushgate.gateway.control.SessionDirectory;
import io.pushgate.gateway.messaging.Messaging;
import io.pushgate.gateway.presence.PresenceStore;
import io.pushgate.gateway.security.SecurityStore;
import io.pushgate.gateway.store.ChangeStream;
import io.pushgate.gateway.store.StoresFixture;
import io.pushgate.gateway.timeseries.EventHistory;
import io.pushgate.gateway.topics.TopicStore;
import io.pushgate.gateway.views.ViewStore;
import java.util.function.Consumer;

/** The memory stores, as {@link MemoryStores} builds them, for the contract tests. */
public final class MemoryFixture implements StoresFixture {

    private final MemoryStores stores = new MemoryStores("memory");

    public MemoryStores stores() {
        return stores;
    }

    @Override
    public TopicStore topics() {
        return stores.topics();
    }

    @Override
    public ChangeStream changes() {
        return stores.changes();
    }

    @Override
    public EventHistory history() {
        return stores.history();
    }

    @Override
    public ViewStore views() {
        return stores.views();
    }

    @Override
    public SecurityStore security() {
        return stores.security();
    }

    @Override
    public PresenceStore presence() {
        return stores.presence();
    }

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
    public boolean hasReplicas() {
        return false;
    }

    @Override
    public void close() {
        stores.close();
    }
}
