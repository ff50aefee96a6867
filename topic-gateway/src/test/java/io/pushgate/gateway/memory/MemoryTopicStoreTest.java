package io.pushgate.gateway.memory;

import io.pushgate.gateway.store.StoresFixture;
import io.pushgate.gateway.topics.TopicStoreContract;

class MemoryTopicStoreTest extends TopicStoreContract {
    @Override
    protected StoresFixture newStores() {
        return new MemoryFixture();
    }
}
