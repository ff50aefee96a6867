package io.pushgate.feeder.sources;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;

/** Reads Coinbase's {@code /v2/prices/BTC-XXX/spot} answer: {@code {"data":{"amount":"43123.45","base":"BTC","currency":"USD"}}}. */
public class CoinbaseSpotParser {

    private final ObjectMapper mapper;

    public CoinbaseSpotParser(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The amount, checked to be a positive BTC price in {@code expected}. */
    public BigDecimal parse(String body, BpiCurrency expected) {
        JsonNode data;
        try {
            data = mapper.readTree(body).path("data");
        } catch (JsonProcessingException e) {
            throw new MalformedDocumentException("Coinbase spot answer is not JSON", e);
        }
        // A wrong pair would be published as the wrong currency's price, so it is an error, not a warning.
        if (!"BTC".equals(data.path("base").asText()) || !expected.code().equals(data.path("currency").asText())) {
            throw new MalformedDocumentException("Coinbase spot answer is not BTC-" + expected.code() + ": " + data);
        }
        try {
            BigDecimal amount = new BigDecimal(data.path("amount").asText());
            if (amount.signum() <= 0) {
                throw new MalformedDocumentException("Coinbase spot amount is not positive: " + amount);
            }
            return amount;
        } catch (NumberFormatException e) {
            throw new MalformedDocumentException("Coinbase spot amount is not a number: " + data.path("amount"), e);
        }
    }
}
