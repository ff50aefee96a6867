package io.pushgate.gateway.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RedisKeysTest {

    @Test
    void slotsAreRedisClustersCrc16OfTheHashTag() {
        // the reference values of the Redis Cluster specification
        assertThat(RedisKeys.crc16("123456789")).isEqualTo(0x31C3);
        assertThat(RedisKeys.slot("foo")).isEqualTo(12182);
        assertThat(RedisKeys.slot("{user1000}.following")).isEqualTo(RedisKeys.slot("{user1000}.followers"))
                .isEqualTo(RedisKeys.slot("user1000"));
        assertThat(RedisKeys.slot("foo{}{bar}")).isEqualTo(RedisKeys.slot("foo{}{bar}"));
    }

    @Test
    void everyKeyAndTheChannelOfAShardShareOneSlotAndShardsSpreadOverTheSlotRange() {
        RedisKeys keys = new RedisKeys("pushgate", 16);
        Set<Integer> slots = new HashSet<>();
        for (int shard = 0; shard < 16; shard++) {
            int slot = RedisKeys.slot(keys.changesChannel(shard));
            assertThat(RedisKeys.slot(keys.index(shard))).isEqualTo(slot);
            assertThat(slot).as("shard %d in its sixteenth of the slots", shard).isBetween(shard * 1024, shard * 1024 + 1023);
            slots.add(slot);
        }
        assertThat(slots).hasSize(16);
        String path = "prices/btc";
        int shard = keys.shardOf(path);
        assertThat(RedisKeys.slot(keys.topic(path))).isEqualTo(RedisKeys.slot(keys.stream(path)))
                .isEqualTo(RedisKeys.slot(keys.changesChannelOf(path))).isEqualTo(RedisKeys.slot(keys.index(shard)));
        assertThat(keys.pathOf(keys.topic(path))).isEqualTo(path);
        assertThat(keys.pathOf(keys.topic("odd/{braces}/x"))).isEqualTo("odd/{braces}/x");
        // three masters of a cluster made by redis-cli hold the slot ranges 0-5460, 5461-10922, 10923-16383
        long[] perMaster = new long[3];
        for (int s = 0; s < 16; s++) {
            int slot = RedisKeys.slot(keys.changesChannel(s));
            perMaster[slot <= 5460 ? 0 : slot <= 10922 ? 1 : 2]++;
        }
        assertThat(java.util.Arrays.stream(perMaster).boxed().toList()).allSatisfy(n -> assertThat(n).isBetween(5L, 6L));
        // the definitions' channels are in the slots of their hashes
        assertThat(RedisKeys.slot(keys.definitionsChannel(keys.views()))).isEqualTo(RedisKeys.slot(keys.views()));
        assertThat(keys.channels()).hasSize(16 + 3);
    }

    @Test
    void pathsThatDifferInTheirLastCharactersSpreadOverEveryShard() {
        RedisKeys keys = new RedisKeys("pushgate", 16);
        int[] perShard = new int[16];
        for (int i = 0; i < 1600; i++) {
            perShard[keys.shardOf("prices/" + i)]++;
        }
        // 100 each on average; a hash that clusters similar paths (CRC16 mod 16) leaves shards empty
        assertThat(java.util.Arrays.stream(perShard).boxed().toList()).allSatisfy(n -> assertThat(n).isBetween(70, 130));
        // fixed values: the shard of a path is part of the stored layout
        assertThat(keys.shardOf("prices/btc")).isEqualTo(11);
        assertThat(new RedisKeys("other-prefix", 16).shardOf("prices/btc")).isEqualTo(11);
    }

    @Test
    void unshardedKeepsTheLayoutOfEarlierReleases() {
        RedisKeys keys = new RedisKeys("pushgate");
        assertThat(keys.topic("prices/btc")).isEqualTo("pushgate:topic:{prices/btc}");
        assertThat(keys.stream("chat/room")).isEqualTo("pushgate:ts:{chat/room}");
        assertThat(keys.channels()).containsExactly("pushgate:changes");
        assertThat(keys.definitionsChannel(keys.views())).isEqualTo("pushgate:changes");
        assertThat(keys.pathOf("pushgate:topic:{a/b}")).isEqualTo("a/b");
        assertThat(keys.shardOf("anything")).isZero();
        assertThatThrownBy(() -> new RedisKeys("p", -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
