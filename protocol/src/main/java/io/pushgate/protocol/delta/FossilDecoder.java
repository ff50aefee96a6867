package io.pushgate.protocol.delta;

import java.util.Arrays;

/**
 * Applies Fossil deltas. Accepts every delta the reference encoder makes and refuses anything
 * else with an {@link IllegalArgumentException}: the delta may come from the network, so each
 * count and offset is checked against the delta, the source and the announced size before use,
 * every step consumes delta bytes (so it ends), and the output grows only as it is filled rather
 * than being allocated at the announced size up front.
 */
final class FossilDecoder {

    /** Largest integer the format writes: sizes, offsets and the 32-bit checksum. */
    private static final long MAX_INT = 0xffff_ffffL;

    private final byte[] delta;
    private int pos;

    private FossilDecoder(byte[] delta) {
        this.delta = delta;
    }

    static byte[] apply(byte[] src, byte[] delta, int maxOutputSize) {
        return new FossilDecoder(delta).applyTo(src, maxOutputSize);
    }

    private byte[] applyTo(byte[] src, int maxOutputSize) {
        long limit = readInt("the target size");
        if (!hasMore() || delta[pos++] != '\n') {
            throw malformed("the target size is not followed by a newline");
        }
        if (limit > maxOutputSize) {
            throw new IllegalArgumentException("Fossil delta announces a target of " + limit
                    + " bytes, more than the allowed " + maxOutputSize);
        }
        Output out = new Output((int) limit, (long) src.length + delta.length);
        while (hasMore()) {
            long cnt = readInt("a command's count");
            if (!hasMore()) {
                throw malformed("ends after a count, without a command");
            }
            int commandAt = pos;
            byte command = delta[pos++];
            switch (command) {
                case '@' -> {
                    long ofst = readInt("a copy offset");
                    // Like the reference, no ',' is needed at the very end (the delta then
                    // fails as unterminated anyway).
                    if (hasMore() && delta[pos++] != ',') {
                        throw malformed("copy command at byte " + commandAt + " is not terminated by ','");
                    }
                    if (cnt > limit - out.size) {
                        throw sizeMismatch("a copy goes past the announced target size of " + limit);
                    }
                    if (ofst + cnt > src.length) {
                        throw malformed("copy of " + cnt + " bytes at offset " + ofst
                                + " extends past the end of the " + src.length + "-byte source");
                    }
                    out.write(src, (int) ofst, (int) cnt);
                }
                case ':' -> {
                    if (cnt > limit - out.size) {
                        throw sizeMismatch("an insert goes past the announced target size of " + limit);
                    }
                    if (cnt > delta.length - pos) {
                        throw malformed("insert of " + cnt + " bytes extends past the end of the delta");
                    }
                    out.write(delta, pos, (int) cnt);
                    pos += (int) cnt;
                }
                case ';' -> {
                    // What follows the checksum is ignored, as by the reference decoders.
                    if (out.size != limit) {
                        throw sizeMismatch("the delta produces " + out.size
                                + " bytes but announces " + limit);
                    }
                    long actual = FossilFormat.checksum(out.buffer, out.size);
                    if (cnt != actual) {
                        throw new IllegalArgumentException("Fossil delta checksum mismatch: expected "
                                + cnt + ", got " + actual + " (wrong source, or a corrupt delta)");
                    }
                    return out.toByteArray();
                }
                default -> throw malformed("unknown command " + describe(command) + " at byte " + commandAt);
            }
        }
        throw malformed("unterminated: no ';' checksum at the end");
    }

    private boolean hasMore() {
        return pos < delta.length;
    }

    /** Reads an unsigned integer of at least one digit. */
    private long readInt(String what) {
        int start = pos;
        long value = 0;
        while (pos < delta.length) {
            int digit = FossilFormat.digitValue(delta[pos]);
            if (digit < 0) {
                break;
            }
            value = (value << 6) + digit;
            if (value > MAX_INT) {
                throw malformed(what + " at byte " + start + " is too large");
            }
            pos++;
        }
        if (pos == start) {
            throw malformed("expected " + what + " at byte " + start
                    + (hasMore() ? ", found " + describe(delta[pos]) : ", found the end"));
        }
        return value;
    }

    private static String describe(byte b) {
        return b >= 0x20 && b < 0x7f ? "'" + (char) b + "'" : String.format("byte 0x%02x", b & 0xff);
    }

    private static IllegalArgumentException malformed(String detail) {
        return new IllegalArgumentException("malformed Fossil delta: " + detail);
    }

    private static IllegalArgumentException sizeMismatch(String detail) {
        return new IllegalArgumentException("Fossil delta size mismatch: " + detail);
    }

    /** The target as it is built, grown on demand up to the announced size. */
    private static final class Output {
        private final int limit;
        private byte[] buffer;
        private int size;

        Output(int limit, long expected) {
            this.limit = limit;
            // Usually the target is about as large as the source; a hostile delta announcing a
            // huge size without the commands to fill it must not cost that memory.
            this.buffer = new byte[(int) Math.min(limit, Math.max(expected, 64))];
        }

        void write(byte[] from, int offset, int length) {
            if (length > buffer.length - size) {
                long wanted = Math.max((long) size + length, Math.min((long) buffer.length * 2, limit));
                buffer = Arrays.copyOf(buffer, (int) Math.min(wanted, limit));
            }
            System.arraycopy(from, offset, buffer, size, length);
            size += length;
        }

        byte[] toByteArray() {
            return size == buffer.length ? buffer : Arrays.copyOf(buffer, size);
        }
    }
}
