package io.pushgate.bench.peers;

import io.vertx.core.buffer.Buffer;

/** Bytes received on a stream and not yet parsed; parsers consume whole messages from its front. */
final class StreamBuffer {

    private Buffer data = Buffer.buffer();
    private int pos;

    void append(Buffer chunk) {
        if (pos == data.length()) {
            data = chunk.copy();
            pos = 0;
        } else {
            if (pos > 0) {
                data = data.getBuffer(pos, data.length());
                pos = 0;
            }
            data.appendBuffer(chunk);
        }
    }

    Buffer data() {
        return data;
    }

    int pos() {
        return pos;
    }

    int end() {
        return data.length();
    }

    void consume(int to) {
        pos = to;
    }

    /** Index of the {@code \r\n} at or after {@code from}, or -1. */
    int crlf(int from) {
        int last = data.length() - 1;
        for (int i = from; i < last; i++) {
            if (data.getByte(i) == '\r' && data.getByte(i + 1) == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** A decimal integer in {@code [from, to)}. */
    long number(int from, int to) {
        long v = 0;
        boolean negative = false;
        for (int i = from; i < to; i++) {
            byte b = data.getByte(i);
            if (b == '-' && i == from) {
                negative = true;
            } else if (b >= '0' && b <= '9') {
                v = v * 10 + (b - '0');
            } else {
                throw new IllegalStateException("not a number: " + data.getString(from, to));
            }
        }
        return negative ? -v : v;
    }
}
