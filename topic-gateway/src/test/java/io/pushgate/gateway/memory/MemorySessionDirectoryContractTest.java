package io.pushgate.gateway.memory;

import io.pushgate.gateway.control.SessionDirectoryContract;
import io.pushgate.gateway.store.StoresFixture;

class MemorySessionDirectoryContractTest extends SessionDirectoryContract {
    @Override
    protected StoresFixture newStores() {
        return new MemoryFixture();
    }
}
