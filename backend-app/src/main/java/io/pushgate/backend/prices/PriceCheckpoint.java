package io.pushgate.backend.prices;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.backend.support.StreamId;
import io.pushgate.protocol.Json;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last price fully published: read back from {@code prices/btc} (the last of a price's three
 * writes) at start, and kept up to date after each price. Its {@code pipeline} section, written
 * into {@code prices/btc}, says which stream entry that was and which history event it appended:
 * {@code {"id": "<pipeline stream id>", "channel": "prices.btc.stream", "sourceId": "<input stream id>", "historySeq": 42}}.
 */
public record PriceCheckpoint(StreamId id, String channel, StreamId sourceId, long historySeq, Instant time,
        Map<String, BigDecimal> rates) {

    public static final String FIELD = "pipeline";

    /** The checkpoint of a published price. */
    static PriceCheckpoint of(PriceUpdate update) {
        BridgeEntry e = update.entry();
        return new PriceCheckpoint(e.id(), e.channel(), e.sourceId(), update.historySeq(), update.document().time(), update.document().rates());
    }

    /** Reads it from a {@code prices/btc} value; null when that value has no {@code pipeline} section. */
    public static PriceCheckpoint fromDocument(JsonNode document) {
        if (document == null || !document.path(FIELD).isObject()) {
            return null;
        }
        JsonNode p = document.get(FIELD);
        StreamId id = StreamId.parseOrNull(p.path("id").asText(null));
        if (id == null) {
            return null;
        }
        Instant time = null;
        try {
            String iso = document.path("time").path("updatedISO").asText(null);
            time = iso == null ? null : OffsetDateTime.parse(iso).toInstant();
        } catch (DateTimeParseException e) {
            // unknown time
        }
        Map<String, BigDecimal> rates = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = document.path("bpi").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> c = it.next();
            if (c.getValue().path("rate_float").isNumber()) {
                rates.put(c.getKey(), c.getValue().get("rate_float").decimalValue());
            }
        }
        return new PriceCheckpoint(id, p.path("channel").asText(null), StreamId.parseOrNull(p.path("sourceId").asText(null)),
                p.path("historySeq").asLong(0), time, rates);
    }

    /** The {@code pipeline} section. */
    public ObjectNode toJson() {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("id", id.toString());
        node.put("channel", channel);
        if (sourceId != null) {
            node.put("sourceId", sourceId.toString());
        }
        node.put("historySeq", historySeq);
        return node;
    }

    public BigDecimal rate(String currency) {
        return rates.get(currency);
    }
}
