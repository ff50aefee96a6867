package io.pushgate.bench.peers;

import io.vertx.core.buffer.Buffer;

/**
 * The replies a Redis pub/sub client and a publisher read (RESP2), over any chunking of the
 * stream: push arrays of bulk strings and integers ({@code message}, {@code subscribe}), and
 * top-level integers (the receiver count {@code PUBLISH} answers), simple strings and errors.
 */
public final class RespParser {

    /** What the parser found. */
    public interface Handler {
        /** A {@code message} push: channel and payload ranges in {@code buf}, and its size on the wire. */
        void message(Buffer buf, int channelFrom, int channelTo, int payloadFrom, int payloadTo, int wireBytes);

        /** A {@code subscribe} confirmation: the connection now has {@code count} subscriptions. */
        void subscribed(long count);

        /** A top-level integer reply (PUBLISH's receiver count). */
        void integer(long value);

        void error(String message);
    }

    private static final int MAX_ELEMENTS = 8;

    private final StreamBuffer in = new StreamBuffer();
    private final Handler handler;
    private final int[] from = new int[MAX_ELEMENTS];
    private final int[] to = new int[MAX_ELEMENTS];
    private final long[] ints = new long[MAX_ELEMENTS];
    private final boolean[] isInt = new boolean[MAX_ELEMENTS];

    public RespParser(Handler handler) {
        this.handler = handler;
    }

    public void feed(Buffer chunk) {
        in.append(chunk);
        while (parseOne()) {
            // next
        }
    }

    private boolean parseOne() {
        Buffer data = in.data();
        int start = in.pos();
        if (start >= in.end()) {
            return false;
        }
        int eol = in.crlf(start);
        if (eol < 0) {
            return false;
        }
        byte type = data.getByte(start);
        switch (type) {
            case ':' -> {
                in.consume(eol + 2);
                handler.integer(in.number(start + 1, eol));
                return true;
            }
            case '+' -> {
                in.consume(eol + 2);
                return true;
            }
            case '-' -> {
                in.consume(eol + 2);
                handler.error(data.getString(start + 1, eol));
                return true;
            }
            case '*' -> {
                return parseArray(data, start, eol);
            }
            case '$' -> {
                int size = (int) in.number(start + 1, eol);
                int end = size < 0 ? eol + 2 : eol + 2 + size + 2;
                if (in.end() < end) {
                    return false;
                }
                in.consume(end);
                return true;
            }
            default -> throw new IllegalStateException("not RESP: " + (char) type);
        }
    }

    private boolean parseArray(Buffer data, int start, int eol) {
        int n = (int) in.number(start + 1, eol);
        int p = eol + 2;
        for (int i = 0; i < n; i++) {
            int lineEnd = in.crlf(p);
            if (lineEnd < 0) {
                return false;
            }
            byte t = data.getByte(p);
            if (t == '$') {
                int size = (int) in.number(p + 1, lineEnd);
                int bodyEnd = lineEnd + 2 + Math.max(size, 0);
                if (in.end() < bodyEnd + (size < 0 ? 0 : 2)) {
                    return false;
                }
                if (i < MAX_ELEMENTS) {
                    from[i] = lineEnd + 2;
                    to[i] = bodyEnd;
                    isInt[i] = false;
                }
                p = size < 0 ? lineEnd + 2 : bodyEnd + 2;
            } else if (t == ':') {
                if (i < MAX_ELEMENTS) {
                    ints[i] = in.number(p + 1, lineEnd);
                    isInt[i] = true;
                }
                p = lineEnd + 2;
            } else {
                throw new IllegalStateException("unexpected RESP element " + (char) t);
            }
        }
        in.consume(p);
        if (n >= 3 && !isInt[0]) {
            String kind = data.getString(from[0], to[0]);
            if ("message".equals(kind)) {
                handler.message(data, from[1], to[1], from[2], to[2], p - start);
            } else if ("subscribe".equals(kind) && isInt[2]) {
                handler.subscribed(ints[2]);
            }
        }
        return true;
    }
}
