package io.pushgate.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParsersTest {

    @Test
    void nats_messages_split_anywhere_are_parsed_whole() {
        String stream = "INFO {\"server_id\":\"x\"}\r\nMSG bench.fanout.0 1 5\r\nhello\r\nPING\r\n"
                + "MSG a.b 22 reply.to 12\r\nhello\r\nworld\r\n-ERR 'Slow Consumer'\r\nPONG\r\n";
        byte[] bytes = stream.getBytes(StandardCharsets.US_ASCII);
        for (int split = 0; split <= bytes.length; split++) {
            List<String> seen = new ArrayList<>();
            NatsParser parser = new NatsParser(new NatsParser.Handler() {
                public void info(String json) {
                    seen.add("info " + json);
                }

                public void msg(Buffer buf, int from, int to) {
                    seen.add("msg " + buf.getString(from, to));
                }

                public void ping() {
                    seen.add("ping");
                }

                public void pong() {
                    seen.add("pong");
                }

                public void error(String message) {
                    seen.add("err " + message);
                }
            });
            parser.feed(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, 0, split)));
            parser.feed(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, split, bytes.length)));
            assertThat(seen).as("split at %d", split).containsExactly("info {\"server_id\":\"x\"}", "msg hello", "ping",
                    "msg hello\r\nworld", "err 'Slow Consumer'", "pong");
        }
    }

    @Test
    void resp_push_messages_split_anywhere_are_parsed_whole() {
        String stream = "*3\r\n$9\r\nsubscribe\r\n$3\r\nabc\r\n:1\r\n"
                + "*3\r\n$7\r\nmessage\r\n$3\r\nabc\r\n$12\r\nhello\r\nthere\r\n"
                + ":1000\r\n+OK\r\n-ERR wrong\r\n"
                + "*3\r\n$7\r\nmessage\r\n$10\r\nprices.btc\r\n$0\r\n\r\n";
        byte[] bytes = stream.getBytes(StandardCharsets.US_ASCII);
        for (int split = 0; split <= bytes.length; split++) {
            List<String> seen = new ArrayList<>();
            RespParser parser = new RespParser(new RespParser.Handler() {
                public void message(Buffer buf, int cf, int ct, int pf, int pt, int wire) {
                    seen.add("message " + buf.getString(cf, ct) + " " + buf.getString(pf, pt) + " " + wire);
                }

                public void subscribed(long count) {
                    seen.add("subscribed " + count);
                }

                public void integer(long value) {
                    seen.add("int " + value);
                }

                public void error(String message) {
                    seen.add("error " + message);
                }
            });
            parser.feed(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, 0, split)));
            parser.feed(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, split, bytes.length)));
            assertThat(seen).as("split at %d", split).containsExactly("subscribed 1", "message abc hello\r\nthere 45", "int 1000",
                    "error ERR wrong", "message prices.btc  40");
        }
    }

    @Test
    void redis_commands_are_resp_arrays_of_bulk_strings() {
        Buffer b = RedisPeer.command("PUBLISH".getBytes(), "c".getBytes(), "{}".getBytes());
        assertThat(b.toString()).isEqualTo("*3\r\n$7\r\nPUBLISH\r\n$1\r\nc\r\n$2\r\n{}\r\n");
    }
}
