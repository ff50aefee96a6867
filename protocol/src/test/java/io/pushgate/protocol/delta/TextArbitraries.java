package io.pushgate.protocol.delta;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Random Unicode texts for the delta properties: valid strings (surrogates only in pairs) with
 * plenty of multi-byte characters, and pairs where the second is a small edit of the first, which
 * is where Fossil copies, and so cuts through characters, happen.
 *
 * <p>Every generator is a plain function of a {@link Random}, so a case is replayed from its seed.
 * This class also holds the few primitives the delta generators and properties share: bounded
 * numbers and sizes that now and then take their edge values, weighted choices, and
 * {@link #forEachSeed} to run a property over seeded cases.
 */
final class TextArbitraries {

    /** A generator: one value from the given source of randomness. */
    @FunctionalInterface
    interface Gen<T> {

        T next(Random random);

        /** An endless stream of values, from a fixed seed so that every run sees the same ones. */
        default Stream<T> sampleStream() {
            Random random = new Random(SAMPLE_SEED);
            return Stream.generate(() -> next(random));
        }
    }

    /** A source text and a target text. */
    record Pair(String source, String target) {
        @Override
        public String toString() {
            return "Pair[source=\"" + source + "\", target=\"" + target + "\"]";
        }
    }

    /** The base seed of every property's cases; each property and case gets its own seed from it. */
    static final long BASE_SEED = 0x5EED_6A7E_2025L;

    private static final String REPLAY = "pushgate.seed";

    private static final long SAMPLE_SEED = 0x5A3B_1E5EEDL;

    /** One value in this many takes an edge value (a bound of its range, an empty list, ...). */
    private static final int EDGE_ONE_IN = 16;

    /*
     * Narrow ranges matter: neighbouring characters of one script share their leading UTF-8
     * bytes, so the reference encoder's matches often start or stop inside a character.
     */
    private static final int[][] SCRIPTS = {
        {0x20, 0x7e},       // ASCII
        {0xc0, 0xff},       // Latin-1 letters: 2 bytes, all C3 xx
        {0x391, 0x3c9},     // Greek
        {0x410, 0x44f},     // Cyrillic
        {0x3040, 0x30ff},   // kana: 3 bytes
        {0x4e00, 0x4e3f},   // CJK
        {0x1f300, 0x1f64f}, // emoji: 4 bytes, surrogate pairs in Java
    };

    private TextArbitraries() {
    }

    // ---- running properties

    /**
     * Runs {@code property} on {@code tries} cases, each with its own {@link Random} seeded from
     * {@link #BASE_SEED}, the property's name and the case's number. A failing case is reported
     * with its seed; {@code -Dpushgate.seed=SEED} (with {@code -Dtest=Class#property}) runs only
     * that case again.
     */
    static void forEachSeed(String property, int tries, Consumer<Random> body) {
        if (replaying()) {
            runCase(property, -1, tries, Long.decode(System.getProperty(REPLAY).trim()), body);
            return;
        }
        for (int n = 0; n < tries; n++) {
            runCase(property, n, tries, seed(property, n), body);
        }
    }

    /** Whether this run replays one seed ({@code -Dpushgate.seed=SEED}) rather than running all cases. */
    static boolean replaying() {
        String replay = System.getProperty(REPLAY);
        return replay != null && !replay.isBlank();
    }

    /** The seed of case {@code n} of a property. */
    static long seed(String property, int n) {
        return mix((BASE_SEED ^ mix(property.hashCode())) + n * 0x9E37_79B9_7F4A_7C15L);
    }

    private static void runCase(String property, int n, int tries, long seed, Consumer<Random> body) {
        try {
            body.accept(new Random(seed));
        } catch (Throwable failure) {
            String which = n < 0 ? "replayed case" : "case " + (n + 1) + " of " + tries;
            throw new AssertionError(String.format("%s failed on %s, seed %d (replay: -Dpushgate.seed=%d): %s",
                    property, which, seed, seed, failure), failure);
        }
    }

    /** SplitMix64's finalizer: spreads nearby inputs over all 64 bits. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }

    // ---- primitives

    /** True once in {@link #EDGE_ONE_IN} draws: take an edge value. */
    static boolean edge(Random random) {
        return random.nextInt(EDGE_ONE_IN) == 0;
    }

    /** An int in [min, max], uniform; now and then min, max or 0 (when in range). */
    static int between(Random random, int min, int max) {
        if (edge(random)) {
            int[] edges = {min, max, Math.max(min, Math.min(max, 0))};
            return edges[random.nextInt(edges.length)];
        }
        return min + random.nextInt(max - min + 1);
    }

    /** A list size in [min, max], uniform; now and then min or max. */
    static int size(Random random, int min, int max) {
        if (edge(random)) {
            return random.nextBoolean() ? min : max;
        }
        return min + random.nextInt(max - min + 1);
    }

    /** Any long; now and then one of the edges (the extremes, 0, ±1, ±2). */
    static long anyLong(Random random) {
        if (edge(random)) {
            long[] edges = {Long.MIN_VALUE, Long.MIN_VALUE + 1, -2, -1, 0, 1, 2, Long.MAX_VALUE - 1, Long.MAX_VALUE};
            return edges[random.nextInt(edges.length)];
        }
        return random.nextLong();
    }

    /** An index into {@code weights}, chosen with those weights. */
    static int weighted(Random random, int... weights) {
        int total = 0;
        for (int weight : weights) {
            total += weight;
        }
        int pick = random.nextInt(total);
        for (int i = 0; i < weights.length; i++) {
            pick -= weights[i];
            if (pick < 0) {
                return i;
            }
        }
        throw new AssertionError("unreachable");
    }

    /** One of the given values, uniformly. */
    @SafeVarargs
    static <T> T oneOf(Random random, T... values) {
        return values[random.nextInt(values.length)];
    }

    /** Up to {@code maxSize} bytes, each any value or, now and then, an edge (0, ±1, -128, 127). */
    static byte[] bytes(Random random, int maxSize) {
        byte[] out = new byte[size(random, 0, maxSize)];
        for (int i = 0; i < out.length; i++) {
            out[i] = edge(random) ? oneOf(random, (byte) 0, (byte) 1, (byte) -1, Byte.MIN_VALUE, Byte.MAX_VALUE)
                    : (byte) random.nextInt(256);
        }
        return out;
    }

    /** Up to {@code maxSize} bytes between {@code min} and {@code max}. */
    static byte[] bytes(Random random, int min, int max, int maxSize) {
        byte[] out = new byte[size(random, 0, maxSize)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) between(random, min, max);
        }
        return out;
    }

    /** Up to {@code maxLength} characters from {@code chars}, each uniformly. */
    static String chars(Random random, String chars, int minLength, int maxLength) {
        int length = size(random, minLength, maxLength);
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(chars.charAt(random.nextInt(chars.length())));
        }
        return out.toString();
    }

    // ---- texts

    /** One code point: any script, a control, or anywhere in the planes (never a lone surrogate). */
    static int codePoint(Random random) {
        // weights: ASCII 6, controls 1, each script 2, rest of the BMP 1, the other planes 1
        int[] weights = new int[4 + SCRIPTS.length];
        weights[0] = 6;
        weights[1] = 1;
        for (int s = 0; s < SCRIPTS.length; s++) {
            weights[2 + s] = 2;
        }
        weights[2 + SCRIPTS.length] = 1;
        weights[3 + SCRIPTS.length] = 1;
        int choice = weighted(random, weights);
        if (choice == 0) {
            return between(random, 0x20, 0x7e);
        }
        if (choice == 1) {
            return oneOf(random, 0, (int) '\n', (int) '\t', 0x7f);
        }
        if (choice < 2 + SCRIPTS.length) {
            int[] script = SCRIPTS[choice - 2];
            return between(random, script[0], script[1]);
        }
        if (choice == 2 + SCRIPTS.length) {
            int c;
            do {
                c = between(random, 0x80, 0xffff);
            } while (isSurrogate(c));
            return c;
        }
        return between(random, 0x10000, 0x10ffff);
    }

    /** A text of up to {@code maxCodePoints}: mixed, or from one script only. */
    static String text(Random random, int maxCodePoints) {
        return text(random, 0, maxCodePoints);
    }

    /** A text of a length spread evenly between the bounds, mixed or from one script only. */
    static String text(Random random, int minCodePoints, int maxCodePoints) {
        int length = size(random, minCodePoints, maxCodePoints);
        List<Integer> cps = new ArrayList<>(length);
        if (random.nextBoolean()) {
            for (int i = 0; i < length; i++) {
                cps.add(codePoint(random));
            }
        } else {
            int[] script = SCRIPTS[random.nextInt(SCRIPTS.length)];
            for (int i = 0; i < length; i++) {
                cps.add(between(random, script[0], script[1]));
            }
        }
        return string(cps);
    }

    /** Texts of up to {@code maxCodePoints}, as a generator. */
    static Gen<String> texts(int maxCodePoints) {
        return random -> text(random, maxCodePoints);
    }

    /** A pair of texts: mostly a text and an edit of it, sometimes two unrelated texts. */
    static Pair pair(Random random) {
        if (weighted(random, 1, 4) == 0) {
            return new Pair(text(random, 200), text(random, 200));
        }
        // Long enough for the encoder to look for copies (it needs more than 16 bytes).
        String text = text(random, 8, 600);
        long seed = anyLong(random);
        int edits = between(random, 1, 8);
        return new Pair(text, edit(text, new Random(seed), edits));
    }

    /** {@link #pair} as a generator. */
    static Gen<Pair> pairs() {
        return TextArbitraries::pair;
    }

    /**
     * A few random edits on code points: inserts, deletes, replacements, a character bumped to a
     * neighbour (same leading bytes, different last byte), a segment repeated.
     */
    static String edit(String text, Random random, int edits) {
        List<Integer> cps = new ArrayList<>(text.codePoints().boxed().toList());
        for (int e = 0; e < edits; e++) {
            int at = cps.isEmpty() ? 0 : random.nextInt(cps.size() + 1);
            int end = Math.min(cps.size(), at + 1 + random.nextInt(6));
            switch (random.nextInt(5)) {
                case 0 -> cps.addAll(at, randomCodePoints(random, 1 + random.nextInt(8)));
                case 1 -> cps.subList(at, end).clear();
                case 2 -> {
                    cps.subList(at, end).clear();
                    cps.addAll(at, randomCodePoints(random, 1 + random.nextInt(8)));
                }
                case 3 -> {
                    if (at < cps.size()) {
                        int bumped = cps.get(at) + 1 + random.nextInt(3);
                        cps.set(at, isSurrogate(bumped) || bumped > 0x10ffff ? 'x' : bumped);
                    }
                }
                default -> cps.addAll(at, new ArrayList<>(cps.subList(at, end)));
            }
        }
        return string(cps);
    }

    private static List<Integer> randomCodePoints(Random random, int count) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int[] script = SCRIPTS[random.nextInt(SCRIPTS.length)];
            out.add(script[0] + random.nextInt(script[1] - script[0] + 1));
        }
        return out;
    }

    static boolean isSurrogate(int codePoint) {
        return codePoint >= 0xd800 && codePoint <= 0xdfff;
    }

    static String string(List<Integer> codePoints) {
        StringBuilder out = new StringBuilder(codePoints.size() * 2);
        codePoints.forEach(out::appendCodePoint);
        return out.toString();
    }
}
