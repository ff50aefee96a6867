package io.pushgate.feeder.sources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A BPI document as it will be published, with its prices pulled out: the prices, not the
 * timestamps, decide whether a document is new.
 *
 * @param json   the document; not to be modified once wrapped
 * @param prices {@code rate_float} per currency code, in document order
 */
public record PriceDocument(ObjectNode json, Map<String, Double> prices) {

    public PriceDocument {
        prices = Collections.unmodifiableMap(new LinkedHashMap<>(prices));
    }

    /** Wraps a document, checking it has a non-empty {@code bpi} with a numeric {@code rate_float} each. */
    public static PriceDocument of(ObjectNode json) {
        JsonNode bpi = json.get("bpi");
        if (bpi == null || !bpi.isObject() || bpi.isEmpty()) {
            throw new MalformedDocumentException("no \"bpi\" object in the document");
        }
        Map<String, Double> prices = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = bpi.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode rate = entry.getValue().get("rate_float");
            if (rate == null || !rate.isNumber()) {
                throw new MalformedDocumentException("bpi." + entry.getKey() + " has no numeric rate_float");
            }
            prices.put(entry.getKey(), rate.doubleValue());
        }
        return new PriceDocument(json, prices);
    }

    /** The {@code source} field ({@code coinbase}, {@code coindesk}, {@code replay}), or null. */
    public String source() {
        JsonNode source = json.get(BpiDocuments.SOURCE);
        return source == null ? null : source.asText();
    }

    /** True when both documents carry the same currencies at the same prices. */
    public boolean samePricesAs(PriceDocument other) {
        return other != null && prices.equals(other.prices);
    }
}
