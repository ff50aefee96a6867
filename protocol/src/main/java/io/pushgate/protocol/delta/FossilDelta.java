package io.pushgate.protocol.delta;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The Fossil SCM delta format, as Centrifugo uses it for its {@code fossil} deltas and the npm
 * package {@code fossil-delta} implements it.
 *
 * <p>A delta is a header line with the target's size, then copy ({@code cnt@offset,}) and insert
 * ({@code cnt:bytes}) commands, then the target's checksum ({@code checksum;}); all numbers are in
 * an ASCII base-64 notation. {@link #create} gives exactly the bytes of the reference encoder.
 *
 * <p>Deltas travel inside JSON text frames as JSON strings, so for text values use
 * {@link #createText}/{@link #applyText}: their deltas are valid UTF-8 (the reference encoder may
 * cut a copy in the middle of a multi-byte character, leaving a literal that is not), and a client
 * applies them with the reference decoder to the UTF-8 bytes of the previous value and of the
 * delta ({@code fossilDelta.apply(encode(prev), encode(delta))}).
 *
 * <p>No Java implementation of the format is published on Maven Central as a library of its own
 * (the Java clients of Centrifugo and Colyseus keep private copies inside their client libraries),
 * hence this port.
 */
public final class FossilDelta {

    /** The most a target can be: the largest Java array. */
    private static final int MAX_ARRAY_SIZE = Integer.MAX_VALUE - 8;

    private FossilDelta() {
    }

    /** The delta that turns {@code source} into {@code target}, byte for byte as the reference makes it. */
    public static byte[] create(byte[] source, byte[] target) {
        return FossilEncoder.encode(
                Objects.requireNonNull(source, "source"), Objects.requireNonNull(target, "target"), false);
    }

    /**
     * Applies a delta to {@code source}.
     *
     * @throws IllegalArgumentException if the delta is malformed, does not fit the source, produces
     *     another size than it announces, or fails its checksum
     */
    public static byte[] apply(byte[] source, byte[] delta) {
        return apply(source, delta, MAX_ARRAY_SIZE);
    }

    /**
     * Like {@link #apply(byte[], byte[])}, but refuses a delta announcing a target larger than
     * {@code maxTargetSize}: a few bytes of delta can ask for a target of gigabytes by copying
     * the source over and over, so a server applying deltas it receives should bound them.
     */
    public static byte[] apply(byte[] source, byte[] delta, int maxTargetSize) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(delta, "delta");
        if (maxTargetSize < 0) {
            throw new IllegalArgumentException("maxTargetSize must not be negative: " + maxTargetSize);
        }
        return FossilDecoder.apply(source, delta, Math.min(maxTargetSize, MAX_ARRAY_SIZE));
    }

    /**
     * The delta between the UTF-8 encodings of two texts, as a string: every literal it carries
     * holds whole characters, so its UTF-8 encoding is exactly the delta's bytes. For ASCII texts
     * it is the reference's delta.
     *
     * @throws IllegalArgumentException if a text holds an unpaired surrogate, which has no UTF-8
     *     encoding
     */
    public static String createText(String source, String target) {
        byte[] delta = createTextBytes(utf8(source, "source"), utf8(target, "target"));
        try {
            return decodeUtf8(delta);
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("bug: a text delta is not valid UTF-8", e);
        }
    }

    /**
     * Applies a delta from {@link #createText} (or any Fossil delta whose target is UTF-8 text) to
     * a text.
     *
     * @throws IllegalArgumentException as {@link #apply(byte[], byte[])} does, and if the result
     *     is not valid UTF-8
     */
    public static String applyText(String source, String delta) {
        byte[] target = apply(utf8(source, "source"), utf8(delta, "delta"));
        try {
            return decodeUtf8(target);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("Fossil delta produces bytes that are not valid UTF-8", e);
        }
    }

    /** {@link #createText} on bytes: {@code target} must be valid UTF-8. */
    static byte[] createTextBytes(byte[] source, byte[] target) {
        return FossilEncoder.encode(source, target, true);
    }

    /** Strict UTF-8: Java's {@code getBytes} would quietly turn an unpaired surrogate into '?'. */
    private static byte[] utf8(String text, String what) {
        Objects.requireNonNull(text, what);
        try {
            ByteBuffer bytes = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(text));
            byte[] out = new byte[bytes.remaining()];
            bytes.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the " + what + " text holds an unpaired surrogate, which has no UTF-8 encoding", e);
        }
    }

    private static String decodeUtf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
    }
}
