package io.pushgate.feeder.sources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplayGeneratorTest {

    private static final Path SHIPPED = Path.of("src/main/resources/replay/btc-bpi.jsonl");

    @Test
    void shippedRecordingIsWhatTheGeneratorMakes() throws Exception {
        if (Boolean.getBoolean("replay.regenerate")) {
            ReplayGenerator.write(SHIPPED);
        }
        List<PriceDocument> shipped;
        try (BufferedReader reader = Files.newBufferedReader(SHIPPED)) {
            shipped = ReplayFile.parse(new ObjectMapper(), reader, SHIPPED.toString());
        }
        // Compared as JSON trees, not text, so a JDK that prints a double differently does not matter.
        assertThat(shipped).extracting(PriceDocument::json).containsExactlyElementsOf(ReplayGenerator.generate());
    }
}
