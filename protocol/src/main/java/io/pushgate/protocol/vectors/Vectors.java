package io.pushgate.protocol.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.protocol.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The contract's test vectors ({@code io/pushgate/protocol/vectors/*.json} in this jar; their shapes
 * are in that folder's README.md), for the tests of any module: the same files the browser
 * library's tests read by relative path.
 */
public final class Vectors {

    public static final String MESSAGES = "messages.json";
    public static final String ERRORS = "errors.json";
    public static final String CLOSE_CODES = "close-codes.json";
    public static final String DELTAS = "deltas.json";
    public static final String SELECTORS = "selectors.json";

    private Vectors() {
    }

    /** The whole file {@code name} (one of the constants) as JSON. */
    public static JsonNode load(String name) {
        try (InputStream in = Vectors.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no vector file " + name);
            }
            return Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code cases} array of the file {@code name}, one element per case. */
    public static List<JsonNode> cases(String name) {
        return cases(name, "cases");
    }

    /** The array {@code key} of the file {@code name} ({@code messages.json}: {@code toClient}, {@code toGateway}). */
    public static List<JsonNode> cases(String name, String key) {
        List<JsonNode> cases = new ArrayList<>();
        load(name).path(key).forEach(cases::add);
        if (cases.isEmpty()) {
            throw new IllegalStateException(name + " has no " + key);
        }
        return cases;
    }
}
