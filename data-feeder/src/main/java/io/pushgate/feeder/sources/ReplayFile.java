package io.pushgate.feeder.sources;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Loads recorded BPI documents, one JSON document a line (JSON Lines), from the classpath. */
public final class ReplayFile {

    private ReplayFile() {
    }

    /** Every document of {@code resource}, checked; fails on the first bad line, naming it. */
    public static List<PriceDocument> load(ObjectMapper mapper, String resource) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("replay resource " + resource + " is not on the classpath");
            }
            return parse(mapper, new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), resource);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read replay resource " + resource, e);
        }
    }

    static List<PriceDocument> parse(ObjectMapper mapper, BufferedReader reader, String name) throws IOException {
        List<PriceDocument> documents = new ArrayList<>();
        int lineNumber = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode node = mapper.readTree(line);
                if (!(node instanceof ObjectNode doc)) {
                    throw new MalformedDocumentException("not a JSON object");
                }
                documents.add(PriceDocument.of(doc));
            } catch (JsonProcessingException | MalformedDocumentException e) {
                throw new IllegalStateException(name + " line " + lineNumber + ": " + e.getMessage(), e);
            }
        }
        if (documents.isEmpty()) {
            throw new IllegalStateException(name + " holds no documents");
        }
        return List.copyOf(documents);
    }
}
