package io.pushgate.protocol.delta;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Properties of the Fossil delta, each checked on {@value #TRIES} seeded random cases (see
 * {@link TextArbitraries#forEachSeed}: a failure names the seed that replays it).
 */
class FossilDeltaPropertiesTest {

    private static final int TRIES = 2000;

    private static final String ASCII_AND_NEWLINE = asciiAndNewline();

    /** Tokens of the delta syntax and a few other things, for token soup. */
    private static final String[] TOKENS = {"0", "1", "5", "9", "A", "z", "~", "zz", "~~~~~~", "@", ",", ":", ";",
        "\n", "hello", "3NPMmh", "\u00e9", "\u00ff"};

    @Test
    void textDeltaTurnsSourceIntoTarget() {
        TextArbitraries.forEachSeed("textDeltaTurnsSourceIntoTarget", TRIES, random -> {
            TextArbitraries.Pair pair = textPair(random);
            String delta = FossilDelta.createText(pair.source(), pair.target());
            assertThat(FossilDelta.applyText(pair.source(), delta)).as("%s", pair).isEqualTo(pair.target());
        });
    }

    @Test
    void textDeltaIsValidUtf8MadeOfWholeCharacters() {
        int[] referenceInvalid = {0};
        int[] withCopies = {0};
        TextArbitraries.forEachSeed("textDeltaIsValidUtf8MadeOfWholeCharacters", TRIES, random -> {
            TextArbitraries.Pair pair = textPair(random);
            byte[] source = pair.source().getBytes(UTF_8);
            byte[] target = pair.target().getBytes(UTF_8);
            byte[] delta = FossilDelta.createTextBytes(source, target);

            // What a client does: the JSON string's UTF-8 bytes are the delta, for the reference apply.
            assertThat(Utf8.isValid(delta)).as("%s", pair).isTrue();
            assertThat(new String(delta, UTF_8).getBytes(UTF_8)).isEqualTo(delta);
            assertThat(FossilDelta.createText(pair.source(), pair.target())).isEqualTo(new String(delta, UTF_8));
            assertThat(FossilLiterals.of(delta)).allSatisfy(literal -> assertThat(Utf8.isValid(literal)).isTrue());
            assertThat(FossilDelta.apply(source, delta)).isEqualTo(target);

            if (!Utf8.isValid(FossilDelta.create(source, target))) {
                referenceInvalid[0]++;
            }
            if (new String(delta, UTF_8).contains("@")) {
                withCopies[0]++;
            }
        });
        if (TextArbitraries.replaying()) {
            return;
        }
        // The generators must often produce what this is about: reference deltas that cut
        // through a character.
        assertThat(100.0 * referenceInvalid[0] / TRIES).as("% of cases whose reference delta is not valid UTF-8")
                .isGreaterThanOrEqualTo(10);
        assertThat(100.0 * withCopies[0] / TRIES).as("% of cases whose delta has copies")
                .isGreaterThanOrEqualTo(35);
    }

    @Test
    void onAsciiCreateTextIsTheReferenceDelta() {
        TextArbitraries.forEachSeed("onAsciiCreateTextIsTheReferenceDelta", TRIES, random -> {
            TextArbitraries.Pair pair = asciiPair(random);
            assertThat(FossilDelta.createText(pair.source(), pair.target()).getBytes(US_ASCII)).as("%s", pair)
                    .isEqualTo(FossilDelta.create(pair.source().getBytes(US_ASCII), pair.target().getBytes(US_ASCII)));
        });
    }

    @Test
    void binaryDeltaTurnsSourceIntoTarget() {
        TextArbitraries.forEachSeed("binaryDeltaTurnsSourceIntoTarget", TRIES, random -> {
            byte[][] pair = bytePair(random);
            byte[] delta = FossilDelta.create(pair[0], pair[1]);
            assertThat(FossilDelta.apply(pair[0], delta)).isEqualTo(pair[1]);
        });
    }

    @Test
    void garbageOnlyEverThrowsIllegalArgument() {
        TextArbitraries.forEachSeed("garbageOnlyEverThrowsIllegalArgument", TRIES, random -> {
            byte[] delta = garbage(random);
            byte[] source = source(random);
            assertAppliesOrRefuses(() -> FossilDelta.apply(source, delta));
            assertAppliesOrRefuses(() -> FossilDelta.applyText(new String(source, UTF_8), new String(delta, ISO_8859_1)));
        });
    }

    @Test
    void corruptedDeltasOnlyEverThrowIllegalArgument() {
        TextArbitraries.forEachSeed("corruptedDeltasOnlyEverThrowIllegalArgument", TRIES, random -> {
            TextArbitraries.Pair pair = textPair(random);
            long seed = TextArbitraries.anyLong(random);
            byte[] source = pair.source().getBytes(UTF_8);
            byte[] delta = corrupt(FossilDelta.createTextBytes(source, pair.target().getBytes(UTF_8)), new Random(seed));
            assertAppliesOrRefuses(() -> FossilDelta.apply(source, delta));
        });
    }

    private static TextArbitraries.Pair textPair(Random random) {
        return TextArbitraries.pair(random);
    }

    /** Printable ASCII and newlines, up to 400 characters, and 0 to 6 edits of it. */
    private static TextArbitraries.Pair asciiPair(Random random) {
        String text = TextArbitraries.chars(random, ASCII_AND_NEWLINE, 0, 400);
        long seed = TextArbitraries.anyLong(random);
        int edits = TextArbitraries.between(random, 0, 6);
        return new TextArbitraries.Pair(text, asciiEdit(text, new Random(seed), edits));
    }

    private static String asciiAndNewline() {
        StringBuilder out = new StringBuilder();
        for (char c = ' '; c <= '~'; c++) {
            out.append(c);
        }
        return out.append('\n').toString();
    }

    private static byte[][] bytePair(Random random) {
        // Few distinct byte values make repetitive data, where the hash chains get long.
        byte[] source = random.nextBoolean()
                ? TextArbitraries.bytes(random, 600)
                : TextArbitraries.bytes(random, 0, 3, 600);
        long seed = TextArbitraries.anyLong(random);
        return new byte[][] {source, editBytes(source, new Random(seed))};
    }

    /** Random bytes (1 in 3) or the UTF-8 of a text (2 in 3), up to 100 of either. */
    private static byte[] source(Random random) {
        return TextArbitraries.weighted(random, 1, 2) == 0
                ? TextArbitraries.bytes(random, 100)
                : TextArbitraries.text(random, 100).getBytes(UTF_8);
    }

    private static byte[] garbage(Random random) {
        return switch (random.nextInt(3)) {
            case 0 -> TextArbitraries.bytes(random, 200);
            // Strings of the delta alphabet get past the first checks into the command loop.
            case 1 -> TextArbitraries.chars(random, "0123456789AZaz_~@:,;\n", 0, 80).getBytes(US_ASCII);
            default -> {
                StringBuilder tokens = new StringBuilder();
                for (int n = TextArbitraries.size(random, 0, 30); n > 0; n--) {
                    tokens.append(TOKENS[random.nextInt(TOKENS.length)]);
                }
                yield tokens.toString().getBytes(ISO_8859_1);
            }
        };
    }

    private interface Action {
        void run();
    }

    /** Applying may succeed (garbage can be a valid delta) or fail, but only the documented way. */
    private static void assertAppliesOrRefuses(Action action) {
        try {
            action.run();
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
        // Anything else propagates and fails the property.
    }

    private static byte[] corrupt(byte[] delta, Random random) {
        byte[] out = delta.clone();
        int at = random.nextInt(out.length);
        return switch (random.nextInt(5)) {
            case 0 -> {
                out[at] ^= (byte) (1 << random.nextInt(8));
                yield out;
            }
            case 1 -> Arrays.copyOf(out, at);
            case 2 -> {
                out[at] = (byte) "0123456789AZaz~@:,;\n".charAt(random.nextInt(20));
                yield out;
            }
            case 3 -> concat(Arrays.copyOf(out, at), new byte[] {(byte) random.nextInt(256)}, Arrays.copyOfRange(out, at, out.length));
            default -> concat(Arrays.copyOf(out, at), Arrays.copyOfRange(out, Math.min(out.length, at + 1 + random.nextInt(4)), out.length));
        };
    }

    private static String asciiEdit(String text, Random random, int edits) {
        StringBuilder out = new StringBuilder(text);
        for (int e = 0; e < edits; e++) {
            int at = random.nextInt(out.length() + 1);
            int end = Math.min(out.length(), at + random.nextInt(8));
            out.replace(at, end, "x".repeat(random.nextInt(8)) + random.nextInt(1000));
        }
        return out.toString();
    }

    private static byte[] editBytes(byte[] source, Random random) {
        byte[] out = source.clone();
        for (int e = random.nextInt(6); e > 0; e--) {
            int at = random.nextInt(out.length + 1);
            int end = Math.min(out.length, at + random.nextInt(10));
            byte[] inserted = new byte[random.nextInt(10)];
            random.nextBytes(inserted);
            out = concat(Arrays.copyOf(out, at), inserted, Arrays.copyOfRange(out, end, out.length));
        }
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] out = new byte[length];
        int pos = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, pos, part.length);
            pos += part.length;
        }
        return out;
    }
}
