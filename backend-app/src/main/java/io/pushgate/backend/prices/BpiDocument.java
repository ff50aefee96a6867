package io.pushgate.backend.prices;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * A price document in CoinDesk's BPI shape, normalised by {@link BpiParser}.
 *
 * @param raw the document as received
 * @param normalised {@code time}, {@code chartName}, {@code bpi} and {@code source}, every rate present and
 *     numeric: what {@code prices/btc} carries before the backend adds {@code change} and {@code pipeline}
 * @param rates {@code rate_float} per currency code, in document order
 * @param time when the source says the prices were taken ({@code time.updatedISO}), or null if it says nothing readable
 */
public record BpiDocument(JsonNode raw, ObjectNode normalised, Map<String, BigDecimal> rates, Instant time) {

    /** The rate in a currency, or null. */
    public BigDecimal rate(String currency) {
        return rates.get(currency);
    }

    /** True when both documents have the same currencies at equal rates (whatever their scale). */
    public boolean sameRatesAs(Map<String, BigDecimal> other) {
        if (other == null || other.size() != rates.size()) {
            return false;
        }
        for (Map.Entry<String, BigDecimal> e : rates.entrySet()) {
            BigDecimal o = other.get(e.getKey());
            if (o == null || o.compareTo(e.getValue()) != 0) {
                return false;
            }
        }
        return true;
    }
}
