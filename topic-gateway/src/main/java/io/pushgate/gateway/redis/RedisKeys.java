package io.pushgate.gateway.redis;

import java.util.ArrayList;
import java.util.List;

/**
 * Key and channel names, in one of two layouts.
 *
 * <p><b>Unsharded</b> ({@code shards = 0}, the layout of a single Redis since the first release):
 * each topic is one hash whose name carries its path as a hash tag
 * ({@code pushgate:topic:{prices/btc}}), and every change goes out on one channel,
 * {@code pushgate:changes}, with {@code PUBLISH}.
 *
 * <p><b>Sharded</b> ({@code shards = n > 0}, required on a Redis Cluster): a topic belongs to shard
 * {@link #shardOf hash(path) mod n}; its keys carry the shard's tag ({@code pushgate:{shard-3}:topic:prices/btc},
 * its time series {@code pushgate:{shard-3}:ts:prices/btc}), so that the keys of every topic of a
 * shard are in one hash slot and one script may write many of them at once; its changes go out on
 * the shard's channel {@code pushgate:{shard-3}:changes} with {@code SPUBLISH} (sharded pub/sub:
 * a message travels only within the master and replicas of its slot, not over the whole cluster
 * bus). Each shard also keeps a set of its topics' paths ({@code pushgate:{shard-3}:topics}),
 * because a cluster has no SCAN across its nodes. The tags are chosen so that shard i's slot lies
 * in the i-th n-th of the slot range, which spreads the shards evenly over the masters of a
 * cluster made with {@code redis-cli --cluster create}.
 *
 * <p>Definitions (views, roles, principals' overrides) are one hash each; their changes go on a
 * channel in the hash's own slot ({@code pushgate:changes:{pushgate:views}}) when sharded.
 */
final class RedisKeys {

    private static final int SLOTS = 16384;

    private final String prefix;
    private final int shards;
    private final String[] tags;

    RedisKeys(String prefix) {
        this(prefix, 0);
    }

    RedisKeys(String prefix, int shards) {
        if (shards < 0 || shards > SLOTS) {
            throw new IllegalArgumentException("shards must be between 0 and " + SLOTS + ", not " + shards);
        }
        this.prefix = prefix;
        this.shards = shards;
        this.tags = new String[shards];
        for (int i = 0; i < shards; i++) {
            tags[i] = tagFor(i, shards);
        }
    }

    /** A tag whose slot lies in the i-th n-th of the slots: {@code shard-i}, or {@code shard-i.k} for the first k that does. */
    private static String tagFor(int shard, int shards) {
        int from = (int) ((long) shard * SLOTS / shards);
        int to = (int) ((long) (shard + 1) * SLOTS / shards);
        String plain = "shard-" + shard;
        if (inRange(slot(plain), from, to)) {
            return plain;
        }
        for (int k = 0; ; k++) {
            String tag = plain + "." + k;
            if (inRange(slot(tag), from, to)) {
                return tag;
            }
        }
    }

    private static boolean inRange(int slot, int from, int to) {
        return slot >= from && slot < to;
    }

    boolean sharded() {
        return shards > 0;
    }

    /** The number of shards (0: unsharded). */
    int shards() {
        return shards;
    }

    /** The shards to follow or load: {@code 0..n-1}, or the single {@code 0} when unsharded. */
    int shardCount() {
        return Math.max(1, shards);
    }

    /**
     * The shard of a topic (0 when unsharded): FNV-1a of the path's UTF-8 bytes, mixed with
     * MurmurHash3's finalizer, mod the shard count. (CRC16 would not do: it is linear, and paths
     * that differ in their last characters, like {@code prices/1}, {@code prices/2}, fall into a
     * few shards.) Part of the stored layout: it must never change.
     */
    int shardOf(String path) {
        if (shards == 0) {
            return 0;
        }
        int h = 0x811c9dc5;
        for (byte b : path.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x01000193;
        }
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return Integer.remainderUnsigned(h, shards);
    }

    String tag(int shard) {
        return tags[shard];
    }

    String topic(String path) {
        return of(path).hash();
    }

    /** A time series' events; the same hash tag as its topic, so one cluster slot. */
    String stream(String path) {
        return of(path).stream();
    }

    /** The names of one topic's keys and channel, its shard hashed once (a write needs several). */
    TopicKeys of(String path) {
        return new TopicKeys(path, shardOf(path));
    }

    /** One topic's keys and channel, each made when asked for. */
    final class TopicKeys {
        final String path;
        final int shard;

        private TopicKeys(String path, int shard) {
            this.path = path;
            this.shard = shard;
        }

        String hash() {
            return shards == 0 ? prefix + ":topic:{" + path + "}" : prefix + ":{" + tags[shard] + "}:topic:" + path;
        }

        String stream() {
            return shards == 0 ? prefix + ":ts:{" + path + "}" : prefix + ":{" + tags[shard] + "}:ts:" + path;
        }

        String index() {
            return RedisKeys.this.index(shard);
        }

        String channel() {
            return changesChannel(shard);
        }

        /** The replicas' presence entries of this topic (a hash, replica id to counts), in its topic's slot. */
        String presence() {
            return shards == 0 ? prefix + ":presence:{" + path + "}" : prefix + ":{" + tags[shard] + "}:presence:" + path;
        }

        /** The set of topics whose presence is to be recomputed, of this topic's shard. */
        String presenceDirty() {
            return RedisKeys.this.presenceDirty(shard);
        }
    }

    /**
     * A shard's presence dirty set (one when unsharded). Every key of presence is read and written
     * by single-key commands only (no script spans two), so a Redis Cluster routes each on its own;
     * the tags only spread them like the topics.
     */
    String presenceDirty(int shard) {
        return shards == 0 ? prefix + ":presence:dirty" : prefix + ":{" + tags[shard] + "}:presence:dirty";
    }

    /** The set of replicas with presence entries. */
    String presenceReplicas() {
        return prefix + ":presence:replicas";
    }

    /** A replica's presence heartbeat (expires unless renewed); its own hash tag. */
    String presenceHeartbeat(String replica) {
        return prefix + ":presence:replica:{" + replica + "}";
    }

    /** The topics a replica has presence entries for, so that a dead replica's entries can be found. */
    String presenceTopicsOf(String replica) {
        return prefix + ":presence:replica:{" + replica + "}:topics";
    }

    /** The lease of the replica that writes the presence topics. */
    String presenceWriter() {
        return prefix + ":presence:writer";
    }

    /** The set of the paths of a shard's topics (kept by the scripts in both layouts; read when sharded). */
    String index(int shard) {
        return shards == 0 ? prefix + ":topics" : prefix + ":{" + tags[shard] + "}:topics";
    }

    /** The index of the shard a topic belongs to. */
    String indexOf(String path) {
        return of(path).index();
    }

    /** SCAN pattern of the unsharded layout's topic keys. */
    String topicPattern() {
        return prefix + ":topic:*";
    }

    /** The path inside a topic key, or null for a key that is not one. */
    String pathOf(String key) {
        if (shards == 0) {
            String head = prefix + ":topic:{";
            if (!key.startsWith(head) || !key.endsWith("}")) {
                return null;
            }
            return key.substring(head.length(), key.length() - 1);
        }
        int marker = key.indexOf("}:topic:");
        return key.startsWith(prefix + ":{") && marker > 0 ? key.substring(marker + "}:topic:".length()) : null;
    }

    /** The channel of a shard's topic changes. */
    String changesChannel(int shard) {
        return shards == 0 ? prefix + ":changes" : prefix + ":{" + tags[shard] + "}:changes";
    }

    /** The channel of a topic's changes. */
    String changesChannelOf(String path) {
        return of(path).channel();
    }

    String views() {
        return prefix + ":views";
    }

    String roles() {
        return prefix + ":security:roles";
    }

    String principals() {
        return prefix + ":security:principals";
    }

    /** The channel of the changes of a definitions hash ({@link #views()}, {@link #roles()}, {@link #principals()}). */
    String definitionsChannel(String hashKey) {
        return shards == 0 ? prefix + ":changes" : prefix + ":changes:{" + hashKey + "}";
    }

    /** Every channel a replica follows: one when unsharded; each shard's and each definition hash's when sharded. */
    List<String> channels() {
        if (shards == 0) {
            return List.of(changesChannel(0));
        }
        List<String> all = new ArrayList<>();
        for (int i = 0; i < shards; i++) {
            all.add(changesChannel(i));
        }
        all.add(definitionsChannel(views()));
        all.add(definitionsChannel(roles()));
        all.add(definitionsChannel(principals()));
        return all;
    }

    /**
     * Messaging: the replicas with a live handler for a message path, a sorted set scored by each
     * entry's expiry (epoch millis). One key per path, its own slot on a cluster (every command on
     * it touches that key alone).
     */
    String messageHandlers(String path) {
        return prefix + ":msg:handlers:{" + path + "}";
    }

    /**
     * Messaging: a replica's inbox channel (requests to its sessions, answers to its senders). The
     * replica id is the hash tag, so on a cluster the channel lives in one slot and is followed with
     * SSUBSCRIBE on that slot's master and written with SPUBLISH, as the topic changes are.
     */
    String messageInbox(String replica) {
        return prefix + ":msg:inbox:{" + replica + "}";
    }

    /** Where the layout (the shard count) this Redis holds data for is recorded. */
    String layoutKey() {
        return prefix + ":layout";
    }

    /** The Redis Cluster hash slot of a key or channel: CRC16 of its hash tag (or of the whole name), mod 16384. */
    static int slot(String key) {
        int open = key.indexOf('{');
        if (open >= 0) {
            int close = key.indexOf('}', open + 1);
            if (close > open + 1) {
                key = key.substring(open + 1, close);
            }
        }
        return crc16(key) & (SLOTS - 1);
    }

    /** CRC16-CCITT (XModem), as Redis Cluster computes it over the UTF-8 bytes. */
    static int crc16(String text) {
        int crc = 0;
        for (byte b : text.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            crc ^= (b & 0xff) << 8;
            for (int i = 0; i < 8; i++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
        }
        return crc & 0xffff;
    }
}
