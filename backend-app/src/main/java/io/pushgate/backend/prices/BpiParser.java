package io.pushgate.backend.prices;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.ProtocolException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a price document in the shape of CoinDesk's BPI {@code currentprice.json} (what the
 * data-feeder publishes, whatever its source) and normalises it:
 *
 * <ul>
 * <li>{@code bpi}: each currency keyed by its upper-case code, with {@code code}, {@code rate_float}
 * (a number; taken from {@code rate} when only that is there), {@code rate} (formatted
 * {@code 43,123.4500} from {@code rate_float} when missing), and {@code symbol} and
 * {@code description} when given. A currency without a readable rate makes the document invalid.</li>
 * <li>{@code time}: {@code updatedISO} (ISO-8601 with offset, {@code +00:00} for UTC), from
 * {@code updatedISO} or else CoinDesk's {@code updated} ({@code Nov 22, 2026 20:15:00 UTC});
 * {@code updated} and {@code updateduk} kept when given. No readable time is allowed (the time
 * is then unknown), since it only serves to recognise stale and repeated documents.</li>
 * <li>{@code chartName} ({@code Bitcoin} when missing) and {@code source} ({@code unknown} when missing).</li>
 * <li>Everything else ({@code disclaimer}, ...) is left out; the raw document keeps it.</li>
 * </ul>
 */
public final class BpiParser {

    private static final DateTimeFormatter ISO_WITH_OFFSET = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx", Locale.ROOT);
    private static final DateTimeFormatter COINDESK_UPDATED = DateTimeFormatter.ofPattern("MMM d, uuuu HH:mm:ss 'UTC'", Locale.ENGLISH);

    /** Parses and normalises; throws {@link InvalidDocumentException} saying what is wrong. */
    public BpiDocument parse(String text) {
        JsonNode raw;
        try {
            raw = Json.parse(text);
        } catch (ProtocolException e) {
            throw new InvalidDocumentException("not JSON: " + e.getMessage());
        }
        if (!raw.isObject()) {
            throw new InvalidDocumentException("not a JSON object");
        }
        JsonNode bpi = raw.get("bpi");
        if (bpi == null || !bpi.isObject() || bpi.isEmpty()) {
            throw new InvalidDocumentException("no \"bpi\" object with at least one currency");
        }
        ObjectNode normalised = Json.MAPPER.createObjectNode();
        Instant time = time(raw.path("time"), normalised.putObject("time"));
        normalised.put("chartName", textOr(raw.get("chartName"), "Bitcoin"));
        ObjectNode currencies = normalised.putObject("bpi");
        Map<String, BigDecimal> rates = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = bpi.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String code = e.getKey().trim().toUpperCase(Locale.ROOT);
            if (!code.matches("[A-Z]{3,10}")) {
                throw new InvalidDocumentException("bpi has a currency code '" + e.getKey() + "'");
            }
            if (!e.getValue().isObject()) {
                throw new InvalidDocumentException("bpi." + e.getKey() + " is not an object");
            }
            BigDecimal rate = rate(e.getValue(), code);
            rates.put(code, rate);
            ObjectNode currency = currencies.putObject(code);
            currency.put("code", code);
            copyText(e.getValue(), currency, "symbol");
            currency.put("rate", e.getValue().hasNonNull("rate") && e.getValue().get("rate").isTextual()
                    ? e.getValue().get("rate").asText() : format(rate));
            copyText(e.getValue(), currency, "description");
            currency.put("rate_float", rate);
        }
        normalised.put("source", textOr(raw.get("source"), "unknown"));
        return new BpiDocument(raw, normalised, rates, time);
    }

    private static BigDecimal rate(JsonNode currency, String code) {
        JsonNode number = currency.get("rate_float");
        BigDecimal rate;
        if (number != null && number.isNumber()) {
            rate = number.decimalValue();
        } else if (currency.hasNonNull("rate") && currency.get("rate").isTextual()) {
            try {
                rate = new BigDecimal(currency.get("rate").asText().replace(",", "").trim());
            } catch (NumberFormatException e) {
                throw new InvalidDocumentException("bpi." + code + ".rate '" + currency.get("rate").asText() + "' is not a number");
            }
        } else {
            throw new InvalidDocumentException("bpi." + code + " has neither rate_float nor rate");
        }
        if (rate.signum() <= 0) {
            throw new InvalidDocumentException("bpi." + code + " has a rate of " + rate.toPlainString());
        }
        return rate;
    }

    private static Instant time(JsonNode time, ObjectNode out) {
        Instant instant = null;
        if (time.hasNonNull("updatedISO")) {
            try {
                instant = OffsetDateTime.parse(time.get("updatedISO").asText()).toInstant();
            } catch (DateTimeParseException e) {
                try {
                    instant = Instant.parse(time.get("updatedISO").asText());
                } catch (DateTimeParseException e2) {
                    // try "updated" below
                }
            }
        }
        if (instant == null && time.hasNonNull("updated")) {
            try {
                instant = LocalDateTime.parse(time.get("updated").asText(), COINDESK_UPDATED).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                // no readable time
            }
        }
        copyText(time, out, "updated");
        if (instant != null) {
            out.put("updatedISO", ISO_WITH_OFFSET.format(instant.atOffset(ZoneOffset.UTC)));
        }
        copyText(time, out, "updateduk");
        return instant;
    }

    private static String format(BigDecimal rate) {
        DecimalFormat format = new DecimalFormat("#,##0.0000", DecimalFormatSymbols.getInstance(Locale.ROOT));
        format.setRoundingMode(RoundingMode.HALF_EVEN);
        return format.format(rate);
    }

    private static void copyText(JsonNode from, ObjectNode to, String field) {
        JsonNode v = from.get(field);
        if (v != null && v.isTextual()) {
            to.put(field, v.asText());
        }
    }

    private static String textOr(JsonNode node, String fallback) {
        return node != null && node.isTextual() && !node.asText().isBlank() ? node.asText() : fallback;
    }
}
