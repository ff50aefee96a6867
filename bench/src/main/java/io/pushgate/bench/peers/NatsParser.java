package io.pushgate.bench.peers;

import io.vertx.core.buffer.Buffer;

/**
 * The server-to-client half of the NATS text protocol, over any chunking of the stream:
 * {@code INFO}, {@code MSG <subject> <sid> [reply] <bytes>\r\n<payload>\r\n}, {@code PING},
 * {@code PONG}, {@code +OK}, {@code -ERR}.
 */
public final class NatsParser {

    /** What the parser found. */
    public interface Handler {
        void info(String json);

        /** A message whose payload is {@code buf[from, to)}. */
        void msg(Buffer buf, int from, int to);

        void ping();

        void pong();

        void error(String message);
    }

    private final StreamBuffer in = new StreamBuffer();
    private final Handler handler;

    public NatsParser(Handler handler) {
        this.handler = handler;
    }

    public void feed(Buffer chunk) {
        in.append(chunk);
        Buffer data = in.data();
        while (true) {
            int start = in.pos();
            int eol = in.crlf(start);
            if (eol < 0) {
                return;
            }
            byte c0 = start < eol ? data.getByte(start) : 0;
            if (c0 == 'M' || c0 == 'm') {
                int lastSpace = eol - 1;
                while (lastSpace > start && data.getByte(lastSpace) != ' ') {
                    lastSpace--;
                }
                int size = (int) in.number(lastSpace + 1, eol);
                int payload = eol + 2;
                if (in.end() < payload + size + 2) {
                    return;
                }
                handler.msg(data, payload, payload + size);
                in.consume(payload + size + 2);
                continue;
            }
            String line = data.getString(start, eol);
            in.consume(eol + 2);
            if (line.startsWith("PING")) {
                handler.ping();
            } else if (line.startsWith("PONG")) {
                handler.pong();
            } else if (line.startsWith("INFO")) {
                handler.info(line.substring(4).trim());
            } else if (line.startsWith("-ERR")) {
                handler.error(line.substring(4).trim());
            }
            // +OK and anything else: nothing to do
        }
    }
}
