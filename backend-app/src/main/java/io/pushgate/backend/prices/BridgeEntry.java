package io.pushgate.backend.prices;

import io.pushgate.backend.support.StreamId;
import java.time.Instant;
import java.util.Map;

/**
 * One entry of the redis-bridge's pipeline stream (its README, "The pipeline stream").
 *
 * @param id the entry's id in the pipeline stream
 * @param source how the bridge read it: {@code channel}, {@code pattern} or {@code stream}
 * @param channel the Redis channel it was published on, or the input stream's key
 * @param sourceId the input stream entry's id ({@code source=stream} only), else null
 * @param data the payload as text
 * @param receivedAt when the bridge read it, or null if the field is missing or unreadable
 */
public record BridgeEntry(StreamId id, String source, String channel, StreamId sourceId, String data, Instant receivedAt) {

    /** Reads an entry's fields; throws {@link IllegalArgumentException} for an entry that is not the bridge's. */
    public static BridgeEntry parse(String id, Map<String, String> fields) {
        StreamId entryId = StreamId.parse(id);
        if (fields == null || fields.isEmpty()) {
            throw new IllegalArgumentException("entry " + id + " has no fields (trimmed from the stream?)");
        }
        String data = fields.get("data");
        if (data == null) {
            throw new IllegalArgumentException("entry " + id + " has no data field");
        }
        String channel = fields.get("channel");
        if (channel == null || channel.isBlank()) {
            throw new IllegalArgumentException("entry " + id + " has no channel field");
        }
        String source = fields.getOrDefault("source", "channel");
        StreamId sourceId = "stream".equals(source) ? StreamId.parseOrNull(fields.get("id")) : null;
        Instant receivedAt = null;
        String at = fields.get("receivedAt");
        if (at != null) {
            try {
                receivedAt = Instant.parse(at);
            } catch (java.time.format.DateTimeParseException e) {
                // informative only
            }
        }
        return new BridgeEntry(entryId, source, channel, sourceId, data, receivedAt);
    }
}
