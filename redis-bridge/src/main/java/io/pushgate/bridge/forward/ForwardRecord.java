package io.pushgate.bridge.forward;

import io.pushgate.bridge.redis.RedisMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One message on its way into the pipeline stream, and the entry it becomes there:
 *
 * <ul>
 * <li>{@code source}: how the bridge read it: {@code channel}, {@code pattern} or {@code stream};</li>
 * <li>{@code channel}: the Redis channel it was published on, or the input stream's key;</li>
 * <li>{@code pattern}: the pattern that matched (source {@code pattern} only);</li>
 * <li>{@code id}: the input stream entry's id (source {@code stream} only), so a consumer can
 * recognise the rare entry forwarded twice (delivery is at least once);</li>
 * <li>{@code data}: the payload, byte for byte;</li>
 * <li>{@code receivedAt}: when the bridge read it, ISO-8601 UTC with milliseconds.</li>
 * </ul>
 *
 * @param name what was configured: the channel, pattern or stream (the metrics' {@code name} tag)
 */
public record ForwardRecord(Source source, String name, String channel, String entryId, byte[] data, Instant receivedAt) {

    /** How the bridge read a message. */
    public enum Source {
        CHANNEL, PATTERN, STREAM;

        /** The value of the {@code source} field and of the metrics' {@code source} tag. */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final DateTimeFormatter RECEIVED_AT = DateTimeFormatter.ISO_INSTANT;

    public static ForwardRecord fromPubSub(RedisMessage message, Instant receivedAt) {
        Source source = message.key().pattern() ? Source.PATTERN : Source.CHANNEL;
        return new ForwardRecord(source, message.key().name(), message.channel(), null, message.payload(), receivedAt);
    }

    public static ForwardRecord fromStream(String stream, String entryId, byte[] data, Instant receivedAt) {
        return new ForwardRecord(Source.STREAM, stream, stream, entryId, data, receivedAt);
    }

    /** The pipeline stream entry's fields, in this order. */
    public Map<String, byte[]> fields() {
        Map<String, byte[]> fields = new LinkedHashMap<>();
        fields.put("source", utf8(source.wireName()));
        fields.put("channel", utf8(channel));
        if (source == Source.PATTERN) {
            fields.put("pattern", utf8(name));
        }
        if (entryId != null) {
            fields.put("id", utf8(entryId));
        }
        fields.put("data", data);
        fields.put("receivedAt", utf8(RECEIVED_AT.format(receivedAt.truncatedTo(java.time.temporal.ChronoUnit.MILLIS))));
        return fields;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
