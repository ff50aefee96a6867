package io.pushgate.gateway.memory;

import io.pushgate.gateway.store.ChangeStreamContract;
import io.pushgate.gateway.store.StoresFixture;

class MemoryChangeStreamTest extends ChangeStreamContract {
    @Override
    protected StoresFixture newStores() {
        return new MemoryFixture();
    }
}
