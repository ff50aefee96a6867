package io.pushgate.protocol.delta;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Makes Fossil deltas. A line-by-line port of the reference encoder (Fossil's delta.c, as ported
 * to JavaScript by the npm package {@code fossil-delta}), so that it emits the very same bytes:
 * clients and tests compare against that implementation. The one addition is the text-safe mode,
 * see {@link #encode}.
 */
final class FossilEncoder {

    /** Width of the rolling-hash window, in bytes. */
    private static final int NHASH = 16;

    /** How many source blocks with the same hash are tried at one target position. */
    private static final int MAX_CANDIDATES = 250;

    private FossilEncoder() {
    }

    /**
     * The delta from {@code src} to {@code out}.
     *
     * @param textSafe when true, {@code out} must be valid UTF-8 and every copy command is shrunk
     *     so that the target range it produces starts and ends on a character boundary; the bytes
     *     it gives up go into the literal inserts instead. All literals then hold whole characters,
     *     and since the rest of the delta is ASCII, the delta itself is valid UTF-8 and can travel
     *     as a JSON string. On ASCII input this changes nothing.
     */
    static byte[] encode(byte[] src, byte[] out, boolean textSafe) {
        int lenSrc = src.length;
        int lenOut = out.length;
        ByteArrayOutputStream delta = new ByteArrayOutputStream(Math.min(lenOut, 1 << 16) + 32);
        FossilFormat.writeInt(delta, lenOut);
        delta.write('\n');

        // With a source this small there is no chance of a copy: one literal for everything.
        if (lenSrc <= NHASH) {
            insert(delta, out, 0, lenOut);
            return finish(delta, out);
        }

        // Index the source: the hash of each NHASH-byte block, chained on collisions.
        int nHash = (lenSrc + NHASH - 1) / NHASH;
        int[] collide = new int[nHash];
        int[] landmark = new int[nHash];
        Arrays.fill(collide, -1);
        Arrays.fill(landmark, -1);
        RollingHash hash = new RollingHash();
        for (int i = 0; i < lenSrc - NHASH; i += NHASH) {
            hash.init(src, i);
            int hv = Integer.remainderUnsigned(hash.value(), nHash);
            collide[i / NHASH] = landmark[hv];
            landmark[hv] = i / NHASH;
        }

        // base: start of the target not yet encoded. In text-safe mode it is always on a
        // character boundary, since each copy ends on one.
        int base = 0;
        while (base + NHASH < lenOut) {
            int bestCnt = 0;
            int bestOfst = 0;
            int bestLitsz = 0;
            hash.init(out, base);
            int i = 0; // trying to match a source block against out[base + i]
            while (true) {
                int limit = MAX_CANDIDATES;
                int iBlock = landmark[Integer.remainderUnsigned(hash.value(), nHash)];
                while (iBlock >= 0 && limit-- > 0) {
                    // A block with the same hash: see how far the bytes really match, forwards
                    // from the block's start and backwards (but not before base).
                    int iSrc = iBlock * NHASH;
                    int j = 0;
                    for (int x = iSrc, y = base + i; x < lenSrc && y < lenOut; j++, x++, y++) {
                        if (src[x] != out[y]) {
                            break;
                        }
                    }
                    j--;
                    int k = 1;
                    for (; k < iSrc && k <= i; k++) {
                        if (src[iSrc - k] != out[base + i - k]) {
                            break;
                        }
                    }
                    k--;

                    int ofst = iSrc - k; // the copy starts at src[ofst] ...
                    int cnt = j + k + 1; // ... is cnt bytes long ...
                    int litsz = i - k; // ... and comes after litsz bytes of literal
                    if (textSafe) {
                        int start = base + litsz;
                        int end = start + cnt;
                        while (start < end && isContinuation(out[start])) {
                            start++;
                        }
                        while (end > start && end < lenOut && isContinuation(out[end])) {
                            end--;
                        }
                        ofst += start - (base + litsz);
                        litsz = start - base;
                        cnt = end - start;
                    }
                    // Bytes to encode the insert and copy commands, not counting the literal:
                    // a copy is worth it only if it saves at least that much.
                    int sz = FossilFormat.digitCount(litsz) + FossilFormat.digitCount(cnt)
                            + FossilFormat.digitCount(ofst) + 3;
                    if (cnt >= sz && cnt > bestCnt) {
                        bestCnt = cnt;
                        bestOfst = ofst;
                        bestLitsz = litsz;
                    }
                    iBlock = collide[iBlock];
                }

                if (bestCnt > 0) {
                    if (bestLitsz > 0) {
                        insert(delta, out, base, bestLitsz);
                        base += bestLitsz;
                    }
                    base += bestCnt;
                    FossilFormat.writeInt(delta, bestCnt);
                    delta.write('@');
                    FossilFormat.writeInt(delta, bestOfst);
                    delta.write(',');
                    break;
                }
                if (base + i + NHASH >= lenOut) {
                    // Reached the end without a match: the rest is literal.
                    insert(delta, out, base, lenOut - base);
                    base = lenOut;
                    break;
                }
                hash.next(out[base + i + NHASH]);
                i++;
            }
        }
        // What is left at the end matches nothing in the source.
        if (base < lenOut) {
            insert(delta, out, base, lenOut - base);
        }
        return finish(delta, out);
    }

    /** A UTF-8 continuation byte, 10xxxxxx: never the first byte of a character. */
    private static boolean isContinuation(byte b) {
        return (b & 0xc0) == 0x80;
    }

    private static void insert(ByteArrayOutputStream delta, byte[] out, int from, int length) {
        FossilFormat.writeInt(delta, length);
        delta.write(':');
        delta.write(out, from, length);
    }

    private static byte[] finish(ByteArrayOutputStream delta, byte[] out) {
        FossilFormat.writeInt(delta, FossilFormat.checksum(out, out.length));
        delta.write(';');
        return delta.toByteArray();
    }

    /**
     * The rolling hash of the last NHASH bytes (an Adler-32-like pair of 16-bit sums), which can
     * slide one byte at a time.
     */
    private static final class RollingHash {
        private int a;
        private int b;
        private int i;
        private final int[] z = new int[NHASH];

        void init(byte[] data, int pos) {
            int sa = 0;
            int sb = 0;
            for (int n = 0; n < NHASH; n++) {
                int x = data[pos + n] & 0xff;
                sa = (sa + x) & 0xffff;
                sb = (sb + (NHASH - n) * x) & 0xffff;
                z[n] = x;
            }
            a = sa;
            b = sb;
            i = 0;
        }

        void next(byte next) {
            int c = next & 0xff;
            int old = z[i];
            z[i] = c;
            i = (i + 1) & (NHASH - 1);
            a = (a - old + c) & 0xffff;
            b = (b - NHASH * old + a) & 0xffff;
        }

        /** 32 bits, to be read as unsigned. */
        int value() {
            return (a & 0xffff) | ((b & 0xffff) << 16);
        }
    }
}
