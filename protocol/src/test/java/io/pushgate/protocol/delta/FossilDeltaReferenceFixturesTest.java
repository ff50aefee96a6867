package io.pushgate.protocol.delta;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our Fossil deltas against the reference JS implementation (npm {@code fossil-delta}), through
 * the fixtures that {@code protocol/tools/fossil-fixtures.mjs} wrote into
 * {@code src/test/resources/fossil}: no Node.js at test time.
 */
class FossilDeltaReferenceFixturesTest {

    /** One fixture file; see the header of the generator for the fields. */
    record Fixture(String name, String source, String target, boolean ascii, byte[] delta,
                   boolean deltaIsUtf8, byte[] applied) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Fixture> fixtures() {
        ObjectMapper mapper = new ObjectMapper();
        try (Stream<Path> files = Files.list(Path.of(FossilDeltaReferenceFixturesTest.class.getResource("/fossil").toURI()))) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().map(file -> {
                try {
                    JsonNode json = mapper.readTree(file.toFile());
                    Base64.Decoder base64 = Base64.getDecoder();
                    return new Fixture(json.get("name").asText(), json.get("source").asText(),
                            json.get("target").asText(), json.get("ascii").asBoolean(),
                            base64.decode(json.get("delta").asText()), json.get("deltaIsUtf8").asBoolean(),
                            base64.decode(json.get("applied").asText()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<Fixture> asciiFixtures() {
        return fixtures().stream().filter(Fixture::ascii);
    }

    @Test
    void theFixturesCoverTheCasesThatMatter() {
        List<Fixture> all = fixtures();
        assertThat(all).hasSizeGreaterThanOrEqualTo(20);
        assertThat(all).filteredOn(Fixture::ascii).hasSizeGreaterThanOrEqualTo(10);
        assertThat(all).filteredOn(f -> !f.ascii()).hasSizeGreaterThanOrEqualTo(5);
        // The reason createText exists: the reference cuts through characters.
        assertThat(all).filteredOn(f -> !f.deltaIsUtf8()).isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void createGivesTheReferenceBytes(Fixture f) {
        // The binary encoder is a port of the reference, so this holds for any input, not
        // only ASCII.
        assertThat(FossilDelta.create(f.source().getBytes(UTF_8), f.target().getBytes(UTF_8)))
                .isEqualTo(f.delta());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("asciiFixtures")
    void createTextGivesTheReferenceDeltaForAscii(Fixture f) {
        assertThat(FossilDelta.createText(f.source(), f.target()).getBytes(UTF_8)).isEqualTo(f.delta());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void applyOfTheReferenceDeltaGivesWhatTheReferenceGives(Fixture f) {
        byte[] target = FossilDelta.apply(f.source().getBytes(UTF_8), f.delta());
        assertThat(target).isEqualTo(f.applied()).isEqualTo(f.target().getBytes(UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void textDeltaRoundTripsAndIsValidUtf8(Fixture f) {
        String delta = FossilDelta.createText(f.source(), f.target());
        byte[] deltaBytes = FossilDelta.createTextBytes(f.source().getBytes(UTF_8), f.target().getBytes(UTF_8));

        assertThat(delta.getBytes(UTF_8)).isEqualTo(deltaBytes);
        assertThat(FossilDelta.applyText(f.source(), delta)).isEqualTo(f.target());
        assertThat(FossilDelta.apply(f.source().getBytes(UTF_8), deltaBytes)).isEqualTo(f.applied());
        assertThat(FossilLiterals.of(deltaBytes)).allSatisfy(literal ->
                assertThat(Utf8.isValid(literal)).as("literal %s is whole characters", new String(literal, UTF_8)).isTrue());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void textDeltaIsAtMostSlightlyLargerThanTheReference(Fixture f) {
        // Moving up to 3 bytes of each cut character from a copy into a literal costs a little.
        int ours = FossilDelta.createText(f.source(), f.target()).getBytes(UTF_8).length;
        assertThat(ours).isLessThanOrEqualTo(f.delta().length + f.delta().length / 4 + 8);
    }
}
