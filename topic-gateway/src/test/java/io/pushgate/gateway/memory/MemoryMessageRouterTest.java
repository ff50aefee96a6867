package io.pushgate.gateway.memory;

import io.pushgate.gateway.messaging.MessageRouterContract;
import io.pushgate.gateway.store.StoresFixture;

class MemoryMessageRouterTest extends MessageRouterContract {
    @Override
    protected StoresFixture newStores() {
        return new MemoryFixture();
    }
}
