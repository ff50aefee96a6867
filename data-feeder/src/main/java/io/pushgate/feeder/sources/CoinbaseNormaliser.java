package io.pushgate.feeder.sources;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;

/** Turns Coinbase spot amounts into a BPI document, so that views and clients work on either source. */
public final class CoinbaseNormaliser {

    public static final String SOURCE = "coinbase";
    public static final String DISCLAIMER = "Coinbase public spot prices (BTC-USD, BTC-GBP, BTC-EUR), "
            + "normalised into the CoinDesk BPI document shape by the Pushgate data-feeder. Not CoinDesk data.";

    private CoinbaseNormaliser() {
    }

    /** A document for all three currencies, fetched at {@code at}. */
    public static ObjectNode normalise(Map<BpiCurrency, BigDecimal> amounts, Instant at) {
        if (!amounts.keySet().containsAll(EnumSet.allOf(BpiCurrency.class))) {
            throw new IllegalArgumentException("need USD, GBP and EUR, got " + amounts.keySet());
        }
        ObjectNode doc = BpiDocuments.document(at, DISCLAIMER, amounts);
        doc.put(BpiDocuments.SOURCE, SOURCE);
        return doc;
    }
}
