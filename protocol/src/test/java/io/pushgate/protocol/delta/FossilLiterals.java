package io.pushgate.protocol.delta;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the literal inserts out of a well-formed Fossil delta, independently of the code under
 * test, to check where they start and end.
 */
final class FossilLiterals {

    private static final String DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~";

    private FossilLiterals() {
    }

    static List<byte[]> of(byte[] delta) {
        int[] pos = {0};
        readInt(delta, pos);
        expect(delta, pos, '\n');
        List<byte[]> literals = new ArrayList<>();
        while (true) {
            long count = readInt(delta, pos);
            char command = (char) delta[pos[0]++];
            switch (command) {
                case ':' -> {
                    literals.add(Arrays.copyOfRange(delta, pos[0], pos[0] + (int) count));
                    pos[0] += (int) count;
                }
                case '@' -> {
                    readInt(delta, pos);
                    expect(delta, pos, ',');
                }
                case ';' -> {
                    return literals;
                }
                default -> throw new AssertionError("unexpected command " + command);
            }
        }
    }

    private static long readInt(byte[] delta, int[] pos) {
        long value = 0;
        int digit;
        while (pos[0] < delta.length && (digit = DIGITS.indexOf(delta[pos[0]])) >= 0) {
            value = value * 64 + digit;
            pos[0]++;
        }
        return value;
    }

    private static void expect(byte[] delta, int[] pos, char c) {
        if (delta[pos[0]++] != c) {
            throw new AssertionError("expected '" + c + "' at " + (pos[0] - 1));
        }
    }
}
