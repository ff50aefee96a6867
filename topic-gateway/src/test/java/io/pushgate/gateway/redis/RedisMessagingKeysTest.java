package io.pushgate.gateway.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The names messaging uses in Redis, and the cluster slots they fall in. */
class RedisMessagingKeysTest {

    @Test
    void aReplicasInboxIsInTheSlotOfItsIdAndAPathsRegistryInTheSlotOfThePath() {
        for (int shards : new int[] {0, 16}) {
            RedisKeys keys = new RedisKeys("pushgate", shards);
            assertThat(keys.messageInbox("3fa9c0d1e2b4")).isEqualTo("pushgate:msg:inbox:{3fa9c0d1e2b4}");
            assertThat(RedisKeys.slot(keys.messageInbox("3fa9c0d1e2b4"))).isEqualTo(RedisKeys.slot("3fa9c0d1e2b4"));
            assertThat(keys.messageHandlers("svc/prices")).isEqualTo("pushgate:msg:handlers:{svc/prices}");
            assertThat(RedisKeys.slot(keys.messageHandlers("svc/prices"))).isEqualTo(RedisKeys.slot("svc/prices"));
        }
    }

    @Test
    void inboxesOfManyReplicasSpreadOverTheSlots() {
        RedisKeys keys = new RedisKeys("pushgate", 16);
        java.util.Set<Integer> thirds = new java.util.HashSet<>();
        for (int i = 0; i < 30; i++) {
            thirds.add(RedisKeys.slot(keys.messageInbox(Integer.toHexString(0x100000 + i * 7919))) * 3 / 16384);
        }
        assertThat(thirds).as("every third of the slot range (a master each on a three-master cluster)").containsExactlyInAnyOrder(0, 1, 2);
    }
}
