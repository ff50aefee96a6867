package io.pushgate.gateway.redis;

/**
 * Key and channel names. Each topic is one hash whose name carries the path as a hash tag
 * ({@code pushgate:topic:{prices/btc}}), so every key a script touches for one topic lives in
 * one Redis Cluster slot.
 */
final class RedisKeys {

    private final String prefix;

    RedisKeys(String prefix) {
        this.prefix = prefix;
    }

    String topic(String path) {
        return prefix + ":topic:{" + path + "}";
    }

    /** A time series' events; the same hash tag as its topic, so one cluster slot. */
    String stream(String path) {
        return prefix + ":ts:{" + path + "}";
    }

    String topicPattern() {
        return prefix + ":topic:*";
    }

    /** The path inside a topic key, or null for a key that is not one. */
    String pathOf(String key) {
        String head = prefix + ":topic:{";
        if (!key.startsWith(head) || !key.endsWith("}")) {
            return null;
        }
        return key.substring(head.length(), key.length() - 1);
    }

    String changesChannel() {
        return prefix + ":changes";
    }
}
