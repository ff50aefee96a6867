package io.pushgate.feeder.sources;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Reads a CoinDesk BPI {@code currentprice.json} as it is, adding only {@code "source":"coindesk"}. */
public class CoindeskParser {

    public static final String SOURCE = "coindesk";

    private final ObjectMapper mapper;

    public CoindeskParser(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public PriceDocument parse(String body) {
        JsonNode tree;
        try {
            tree = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw new MalformedDocumentException("CoinDesk answer is not JSON", e);
        }
        if (!(tree instanceof ObjectNode doc)) {
            throw new MalformedDocumentException("CoinDesk answer is not a JSON object");
        }
        if (!doc.path("time").isObject()) {
            throw new MalformedDocumentException("CoinDesk answer has no \"time\" object");
        }
        doc.put(BpiDocuments.SOURCE, SOURCE);
        return PriceDocument.of(doc);
    }
}
