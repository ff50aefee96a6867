package io.pushgate.gateway.memory;

import io.pushgate.gateway.presence.PresenceStoreContract;
import io.pushgate.gateway.store.StoresFixture;

class MemoryPresenceStoreTest extends PresenceStoreContract {
    @Override
    protected StoresFixture newStores() {
        return new MemoryFixture();
    }
}
