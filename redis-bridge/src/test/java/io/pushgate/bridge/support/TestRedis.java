package io.pushgate.bridge.support;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.PendingMessage;
import io.quarkus.redis.datasource.stream.StreamCommands;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What the tests do to and read from the real Redis, through the service's own data source. */
public final class TestRedis {

    /** The pipeline stream and consumer group the tests' configuration uses (the defaults). */
    public static final String PIPELINE = "bridge.out";
    public static final String GROUP = "redis-bridge";

    private final RedisDataSource redis;
    private final StreamCommands<String, String, byte[]> streams;

    public TestRedis(RedisDataSource redis) {
        this.redis = redis;
        this.streams = redis.stream(String.class, String.class, byte[].class);
    }

    /** A name no other test uses, of channel-name characters. */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public void publish(String channel, byte[] payload) {
        redis.pubsub(byte[].class).publish(channel, payload);
    }

    public void publish(String channel, String payload) {
        publish(channel, payload.getBytes(StandardCharsets.UTF_8));
    }

    /** Subscribers of a channel, as Redis counts them (PUBSUB NUMSUB). */
    public long subscribers(String channel) {
        return redis.execute("PUBSUB", "NUMSUB", channel).get(1).toLong();
    }

    public String xadd(String stream, Map<String, String> fields) {
        Map<String, byte[]> bytes = new java.util.LinkedHashMap<>();
        fields.forEach((name, value) -> bytes.put(name, value.getBytes(StandardCharsets.UTF_8)));
        return streams.xadd(stream, bytes);
    }

    /** Whether the bridge's consumer group exists on {@code stream}. */
    public boolean groupExists(String stream) {
        try {
            return redis.execute("XINFO", "GROUPS", stream).toString().contains(GROUP);
        } catch (RuntimeException noStream) {
            return false;
        }
    }

    /** The entries of {@code stream} read by the bridge's group and not acknowledged. */
    public List<PendingMessage> pending(String stream) {
        return streams.xpending(stream, GROUP, StreamRange.of("-", "+"), 1000);
    }

    /** The pipeline stream's entries whose {@code data} is exactly {@code payload}. */
    public List<Map<String, String>> forwarded(byte[] payload) {
        return streams.xrange(PIPELINE, StreamRange.of("-", "+")).stream()
                .filter(entry -> Arrays.equals(entry.payload().get("data"), payload))
                .map(TestRedis::asText)
                .toList();
    }

    public List<Map<String, String>> forwarded(String payload) {
        return forwarded(payload.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> asText(StreamMessage<String, String, byte[]> entry) {
        Map<String, String> text = new java.util.LinkedHashMap<>();
        entry.payload().forEach((name, value) -> text.put(name, new String(value, StandardCharsets.UTF_8)));
        return text;
    }

    public RedisDataSource dataSource() {
        return redis;
    }
}
