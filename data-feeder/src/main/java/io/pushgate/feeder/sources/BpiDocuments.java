package io.pushgate.feeder.sources;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;

/**
 * Builds documents in the shape of CoinDesk's BPI {@code currentprice.json}, which the
 * reference's clients and views read ({@code time}, {@code bpi.USD.rate_float}, ...).
 */
public final class BpiDocuments {

    /** The {@code source} field every document carries, so nobody mistakes replayed data for live data. */
    public static final String SOURCE = "source";

    private static final DateTimeFormatter UPDATED =
            DateTimeFormatter.ofPattern("MMM d, yyyy HH:mm:ss 'UTC'", Locale.US).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter UPDATED_ISO =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx", Locale.US).withZone(ZoneOffset.UTC);
    // CoinDesk wrote London wall-clock time here, so "GMT" in winter and "BST" in summer.
    private static final DateTimeFormatter UPDATED_UK =
            DateTimeFormatter.ofPattern("MMM d, yyyy 'at' HH:mm z", Locale.US).withZone(ZoneId.of("Europe/London"));

    private BpiDocuments() {
    }

    /** {@code 43123.45} as CoinDesk wrote it: thousands separated by commas, four decimals ({@code "43,123.4500"}). */
    public static String formatRate(BigDecimal rate) {
        // DecimalFormat is not thread-safe, and a new one per call costs little at one poll per period.
        DecimalFormat format = new DecimalFormat("#,##0.0000", DecimalFormatSymbols.getInstance(Locale.US));
        format.setRoundingMode(RoundingMode.HALF_UP);
        return format.format(rate);
    }

    /** The {@code time} object for an update at {@code at} (to the second, as CoinDesk's). */
    public static ObjectNode time(Instant at) {
        Instant second = at.truncatedTo(ChronoUnit.SECONDS);
        ObjectNode time = JsonNodeFactory.instance.objectNode();
        time.put("updated", UPDATED.format(second));
        time.put("updatedISO", UPDATED_ISO.format(second));
        time.put("updateduk", UPDATED_UK.format(second));
        return time;
    }

    /** One entry of {@code bpi}. */
    public static ObjectNode currency(BpiCurrency currency, BigDecimal rate) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("code", currency.code());
        node.put("symbol", currency.symbol());
        node.put("rate", formatRate(rate));
        node.put("description", currency.description());
        node.put("rate_float", rate.setScale(4, RoundingMode.HALF_UP).doubleValue());
        return node;
    }

    /**
     * A whole document. {@code rates} may be in any order; {@code bpi} lists them in
     * CoinDesk's order (USD, GBP, EUR). The caller adds {@code source}.
     */
    public static ObjectNode document(Instant updated, String disclaimer, Map<BpiCurrency, BigDecimal> rates) {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.set("time", time(updated));
        doc.put("disclaimer", disclaimer);
        doc.put("chartName", "Bitcoin");
        ObjectNode bpi = doc.putObject("bpi");
        for (BpiCurrency currency : BpiCurrency.values()) {
            BigDecimal rate = rates.get(currency);
            if (rate != null) {
                bpi.set(currency.code(), currency(currency, rate));
            }
        }
        return doc;
    }

    /** Replaces {@code time} with one for {@code now}, keeping the field where it was. */
    public static void rewriteTime(ObjectNode doc, Instant now) {
        doc.set("time", time(now));
    }
}
