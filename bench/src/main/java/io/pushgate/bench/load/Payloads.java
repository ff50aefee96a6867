package io.pushgate.bench.load;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * The update every system carries: a JSON object of exactly {@code size} bytes,
 * {@code {"t":<send nanoTime>,"k":<step key>,"p":"xxx..."}}. {@code t} is the publisher's
 * {@link System#nanoTime()} at send time (publisher and subscribers share the load
 * generator's clock), {@code k} says which step (and warm-up or measured part) it belongs to.
 * Receivers find the two fields by scanning the bytes, whatever envelope the system wraps
 * around the object, without parsing JSON.
 */
public final class Payloads {

    public static final int SIZE = 128;
    private static final byte[] T = "\"t\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] K = "\"k\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] I = "\"i\":".getBytes(StandardCharsets.US_ASCII);

    private Payloads() {
    }

    /** The payload for send time {@code t} and step key {@code k}, padded to {@code size} bytes. */
    public static byte[] json(long t, int k, int size) {
        String head = "{\"t\":" + t + ",\"k\":" + k + ",\"p\":\"";
        return padded(head, size);
    }

    private static byte[] padded(String head, int size) {
        int pad = size - head.length() - 2;
        if (pad < 0) {
            throw new IllegalArgumentException("a payload needs at least " + (head.length() + 2) + " bytes");
        }
        byte[] out = new byte[size];
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(h, 0, out, 0, h.length);
        for (int i = 0; i < pad; i++) {
            out[h.length + i] = (byte) ('a' + (i % 26));
        }
        out[size - 2] = '"';
        out[size - 1] = '}';
        return out;
    }

    /**
     * The ingest scenario's payload: {@code {"t":<send nanoTime>,"k":<step key>,"i":<topic>,"p":"..."}},
     * padded to {@code size} bytes; the topic lets one wildcard subscriber tell the topics apart
     * whatever envelope the system puts around it.
     */
    public static byte[] ingest(long t, int k, int topic, int size) {
        String head = "{\"t\":" + t + ",\"k\":" + k + ",\"i\":" + topic + ",\"p\":\"";
        return padded(head, size);
    }

    /** The topic of an ingest payload, or a negative number when there is none. */
    public static long topicOf(Buffer buf, int from, int to) {
        long i = field(buf, from, to, I);
        return i == Long.MIN_VALUE ? -1 : i;
    }

    /** The send time in a message, or {@link Long#MIN_VALUE} when there is none. */
    public static long sendTime(Buffer buf, int from, int to) {
        return field(buf, from, to, T);
    }

    /** The step key in a message, or {@link Long#MIN_VALUE} when there is none. */
    public static long stepKey(Buffer buf, int from, int to) {
        return field(buf, from, to, K);
    }

    /**
     * Where the payload's first field ({@code "t":}) starts in {@code [from, to)}, or -1: the
     * probe scans the envelope once and reads both fields from there.
     */
    public static int payloadAt(Buffer buf, int from, int to) {
        return indexOf(buf, from, to, T);
    }

    /** The integer after the first occurrence of {@code key} in {@code [from, to)}. */
    static long field(Buffer buf, int from, int to, byte[] key) {
        int i = indexOf(buf, from, to, key);
        if (i < 0) {
            return Long.MIN_VALUE;
        }
        int p = i + key.length;
        boolean negative = p < to && buf.getByte(p) == '-';
        if (negative) {
            p++;
        }
        long value = 0;
        int digits = 0;
        while (p < to) {
            byte b = buf.getByte(p);
            if (b < '0' || b > '9') {
                break;
            }
            value = value * 10 + (b - '0');
            p++;
            digits++;
        }
        if (digits == 0) {
            return Long.MIN_VALUE;
        }
        return negative ? -value : value;
    }

    private static int indexOf(Buffer buf, int from, int to, byte[] key) {
        int last = to - key.length;
        outer:
        for (int i = from; i <= last; i++) {
            for (int j = 0; j < key.length; j++) {
                if (buf.getByte(i + j) != key[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
