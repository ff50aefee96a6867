package io.pushgate.gateway;

import java.util.Random;
import java.util.function.Consumer;

/**
 * Seeded random cases for the property tests: each case has its own seed, derived from the
 * property's name; a failure names its seed, and {@code -Dpushgate.seed=SEED} replays that case.
 */
public final class SeededCases {

    private SeededCases() {
    }

    static final long BASE_SEED = 0x5EED_6A7E_2025L;

    public static void forEachSeed(String property, int tries, Consumer<Random> body) {
        String replay = System.getProperty("pushgate.seed");
        boolean replaying = replay != null && !replay.isBlank();
        for (int n = 0; n < (replaying ? 1 : tries); n++) {
            long seed = replaying ? Long.decode(replay.trim()) : mix((BASE_SEED ^ mix(property.hashCode())) + n * 0x9E37_79B9_7F4A_7C15L);
            try {
                body.accept(new Random(seed));
            } catch (Throwable failure) {
                throw new AssertionError(String.format("%s failed on %s, seed %d (replay: -Dpushgate.seed=%d): %s",
                        property, replaying ? "replayed case" : "case " + (n + 1) + " of " + tries, seed, seed, failure),
                        failure);
            }
        }
    }

    /** SplitMix64's finalizer: spreads nearby inputs over all 64 bits. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }

    /** An int in [min, max], uniform; one time in 16 min, max or 0 (when in range): the edge cases. */
    public static int between(Random random, int min, int max) {
        if (random.nextInt(16) == 0) {
            int[] edges = {min, max, Math.max(min, Math.min(max, 0))};
            return edges[random.nextInt(edges.length)];
        }
        return min + random.nextInt(max - min + 1);
    }

    /** A list size in [min, max], uniform; one time in 16 min or max. */
    public static int size(Random random, int min, int max) {
        if (random.nextInt(16) == 0) {
            return random.nextBoolean() ? min : max;
        }
        return min + random.nextInt(max - min + 1);
    }
}
