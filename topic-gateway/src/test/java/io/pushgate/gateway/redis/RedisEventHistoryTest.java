package io.pushgate.gateway.redis;

import io.pushgate.gateway.store.StoresFixture;
import io.pushgate.gateway.timeseries.EventHistoryContract;

class RedisEventHistoryTest extends EventHistoryContract {
    @Override
    protected StoresFixture newStores() {
        return new RedisFixture();
    }
}
