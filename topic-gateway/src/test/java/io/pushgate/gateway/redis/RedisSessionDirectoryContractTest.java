package io.pushgate.gateway.redis;

import io.pushgate.gateway.control.SessionDirectoryContract;
import io.pushgate.gateway.store.StoresFixture;

class RedisSessionDirectoryContractTest extends SessionDirectoryContract {
    @Override
    protected StoresFixture newStores() {
        return new RedisFixture();
    }
}
