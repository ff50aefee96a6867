package io.pushgate.gateway.redis;

import io.pushgate.gateway.store.ChangeStreamContract;
import io.pushgate.gateway.store.StoresFixture;

class RedisChangeStreamTest extends ChangeStreamContract {
    @Override
    protected StoresFixture newStores() {
        return new RedisFixture();
    }
}
