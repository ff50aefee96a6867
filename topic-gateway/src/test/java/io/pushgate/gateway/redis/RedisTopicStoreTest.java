package io.pushgate.gateway.redis;

import io.pushgate.gateway.store.StoresFixture;
import io.pushgate.gateway.topics.TopicStoreContract;

class RedisTopicStoreTest extends TopicStoreContract {
    @Override
    protected StoresFixture newStores() {
        return new RedisFixture();
    }
}
