package io.pushgate.gateway.memory;

import io.pushgate.gateway.store.StoresFixture;
import io.pushgate.gateway.timeseries.EventHistoryContract;

class MemoryEventHistoryTest extends EventHistoryContract {
    @Override
    protected StoresFixture newStores() {
        return new MemoryFixture();
    }
}
