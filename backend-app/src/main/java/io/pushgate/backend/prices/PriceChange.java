package io.pushgate.backend.prices;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.protocol.Json;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The {@code change} of {@code prices/btc}: {@code {currency, previous, absolute, percent}}, the
 * change of the price in one currency since the price published before it, in exact decimals
 * ({@code percent} rounded half-even to 4 places). The first price has {@code previous: null}
 * and no change.
 */
public final class PriceChange {

    private PriceChange() {
    }

    public static ObjectNode of(String currency, BigDecimal previous, BigDecimal current) {
        ObjectNode change = Json.MAPPER.createObjectNode();
        change.put("currency", currency);
        if (previous == null || previous.signum() == 0 || current == null) {
            change.putNull("previous");
            change.put("absolute", BigDecimal.ZERO);
            change.put("percent", BigDecimal.ZERO);
            return change;
        }
        BigDecimal absolute = current.subtract(previous);
        change.put("previous", previous);
        change.put("absolute", absolute);
        change.put("percent", absolute.multiply(BigDecimal.valueOf(100)).divide(previous, 4, RoundingMode.HALF_EVEN));
        return change;
    }
}
