package io.pushgate.gateway.redis;

import io.pushgate.gateway.messaging.MessageRouterContract;
import io.pushgate.gateway.store.StoresFixture;

class RedisMessageRouterTest extends MessageRouterContract {
    @Override
    protected StoresFixture newStores() {
        return new RedisFixture();
    }
}
