package io.pushgate.protocol.delta;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What the Fossil delta encoder and decoder share: the integer notation and the checksum, as the
 * Fossil SCM delta format document (www/delta_format.wiki) and its reference implementations
 * define them.
 */
final class FossilFormat {

    /** The 64 digits of the integers of the format: not RFC 4648 base64, and all ASCII. */
    private static final byte[] DIGITS =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~".getBytes(StandardCharsets.US_ASCII);

    /** The value of each ASCII byte as a digit, or -1. */
    private static final int[] DIGIT_VALUES = new int[128];

    static {
        Arrays.fill(DIGIT_VALUES, -1);
        for (int i = 0; i < DIGITS.length; i++) {
            DIGIT_VALUES[DIGITS[i]] = i;
        }
    }

    private FossilFormat() {
    }

    /** The digit value of a delta byte, or -1 if it is not a digit. */
    static int digitValue(byte b) {
        return b >= 0 ? DIGIT_VALUES[b] : -1;
    }

    /** Writes an unsigned integer (up to 32 bits: sizes, offsets and the checksum). */
    static void writeInt(ByteArrayOutputStream out, long value) {
        if (value == 0) {
            out.write('0');
            return;
        }
        byte[] digits = new byte[6];
        int n = 0;
        for (long v = value; v > 0; v >>>= 6) {
            digits[n++] = DIGITS[(int) (v & 0x3f)];
        }
        while (n > 0) {
            out.write(digits[--n]);
        }
    }

    /** How many digits {@link #writeInt} writes for a non-negative value. */
    static int digitCount(long value) {
        int count = 1;
        for (long limit = 64; value >= limit; limit <<= 6) {
            count++;
        }
        return count;
    }

    /**
     * The checksum of the target that ends every delta: the sum of its big-endian 32-bit words,
     * the last one zero-padded, modulo 2^32. Returned as an unsigned value.
     */
    static long checksum(byte[] data, int length) {
        // Four lanes summed separately and combined at the end, as the reference does, which
        // gives the same result as summing the words with overflow.
        int sum0 = 0;
        int sum1 = 0;
        int sum2 = 0;
        int sum3 = 0;
        int z = 0;
        int n = length;
        while (n >= 4) {
            sum0 += data[z] & 0xff;
            sum1 += data[z + 1] & 0xff;
            sum2 += data[z + 2] & 0xff;
            sum3 += data[z + 3] & 0xff;
            z += 4;
            n -= 4;
        }
        sum3 += (sum2 << 8) + (sum1 << 16) + (sum0 << 24);
        switch (n) {
            case 3:
                sum3 += (data[z + 2] & 0xff) << 8;
                // fall through
            case 2:
                sum3 += (data[z + 1] & 0xff) << 16;
                // fall through
            case 1:
                sum3 += (data[z] & 0xff) << 24;
                break;
            default:
                break;
        }
        return Integer.toUnsignedLong(sum3);
    }
}
