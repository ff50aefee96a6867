package io.pushgate.backend.prices;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.pushgate.protocol.Json;

/**
 * The price topics and their specs.
 *
 * @param price the normalised document ({@code prices/btc}, JSON)
 * @param raw the document as received ({@code prices/btc/raw}, JSON)
 * @param history the price in {@code currency} ({@code prices/btc/history}, TIME_SERIES of DOUBLE)
 */
public record PriceTopics(String price, String raw, String history, String historyRetainedRange, String currency) {

    public JsonNode jsonSpec() {
        return TextNode.valueOf("JSON");
    }

    /** {@code {"type":"TIME_SERIES","eventType":"DOUBLE","properties":{"TIME_SERIES_RETAINED_RANGE":"limit 10000"}}}. */
    public JsonNode historySpec() {
        ObjectNode spec = Json.MAPPER.createObjectNode();
        spec.put("type", "TIME_SERIES");
        spec.put("eventType", "DOUBLE");
        spec.putObject("properties").put("TIME_SERIES_RETAINED_RANGE", historyRetainedRange);
        return spec;
    }
}
