package io.pushgate.gateway.redis;

import io.pushgate.gateway.presence.PresenceStoreContract;
import io.pushgate.gateway.store.StoresFixture;

class RedisPresenceStoreTest extends PresenceStoreContract {
    @Override
    protected StoresFixture newStores() {
        return new RedisFixture();
    }
}
