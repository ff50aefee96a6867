package io.pushgate.protocol.delta;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Writes random cases with our deltas to target/delta-crosscheck/ for
 * {@code protocol/tools/crosscheck.mjs}, which checks them with the reference JS libraries (npm
 * fossil-delta: same create bytes, and its apply accepts our text deltas; npm fast-json-patch
 * applies our JSON patches). Node.js is not needed here: this only exports, after checking the
 * Java side of each case.
 */
class ReferenceCrossCheckExportTest {

    private static final int CASES = 500;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void exportsCasesForTheReferenceCrossCheck() throws IOException {
        Path dir = Path.of("target", "delta-crosscheck");
        Files.createDirectories(dir);
        Base64.Encoder base64 = Base64.getEncoder();

        ArrayNode fossil = MAPPER.createArrayNode();
        List<TextArbitraries.Pair> texts = TextArbitraries.pairs().sampleStream().limit(CASES).toList();
        for (TextArbitraries.Pair pair : texts) {
            byte[] source = pair.source().getBytes(UTF_8);
            byte[] target = pair.target().getBytes(UTF_8);
            String textDelta = FossilDelta.createText(pair.source(), pair.target());
            assertThat(FossilDelta.applyText(pair.source(), textDelta)).isEqualTo(pair.target());
            ObjectNode item = fossil.addObject();
            item.put("source", base64.encodeToString(source));
            item.put("target", base64.encodeToString(target));
            item.put("delta", base64.encodeToString(FossilDelta.create(source, target)));
            item.put("textDelta", textDelta);
        }
        Random random = new Random(6902);
        for (int n = 0; n < CASES; n++) {
            byte[] source = new byte[random.nextInt(2000)];
            random.nextBytes(source);
            byte[] target = editBytes(source, random);
            byte[] delta = FossilDelta.create(source, target);
            assertThat(FossilDelta.apply(source, delta)).isEqualTo(target);
            ObjectNode item = fossil.addObject();
            item.put("source", base64.encodeToString(source));
            item.put("target", base64.encodeToString(target));
            item.put("delta", base64.encodeToString(delta));
        }
        MAPPER.writeValue(dir.resolve("fossil.json").toFile(), fossil);

        ArrayNode patches = MAPPER.createArrayNode();
        for (JsonArbitraries.Pair pair : JsonArbitraries.pairs().sampleStream().limit(CASES).toList()) {
            var patch = JsonPatchDelta.diff(pair.from(), pair.to());
            assertThat(JsonPatchDelta.apply(patch, pair.from())).isEqualTo(pair.to());
            ObjectNode item = patches.addObject();
            item.set("from", pair.from());
            item.set("to", pair.to());
            item.set("patch", patch);
        }
        MAPPER.writeValue(dir.resolve("json-patch.json").toFile(), patches);

        assertThat(fossil).hasSize(2 * CASES);
        assertThat(patches).hasSize(CASES);
    }

    /** A few runs of bytes replaced by random ones of another length. */
    private static byte[] editBytes(byte[] source, Random random) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int pos = 0;
        for (int e = 1 + random.nextInt(6); e > 0 && pos < source.length; e--) {
            int at = pos + random.nextInt(source.length - pos);
            out.write(source, pos, at - pos);
            byte[] inserted = new byte[random.nextInt(12)];
            random.nextBytes(inserted);
            out.writeBytes(inserted);
            pos = Math.min(source.length, at + random.nextInt(12));
        }
        out.write(source, pos, source.length - pos);
        return out.toByteArray();
    }
}
