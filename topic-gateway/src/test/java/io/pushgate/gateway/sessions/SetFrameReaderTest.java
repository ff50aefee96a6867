package io.pushgate.gateway.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.ProtocolException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link SetFrameReader} reads a set exactly as the general path does (a tree of the frame, the
 * value written out as compact JSON), or leaves the frame to it: on every frame it reads, the
 * general path reads the same op, id, topic, spec, ifSeq and canonical value text; and it reads
 * the frames clients commonly send.
 */
class SetFrameReaderTest {

    private static final int DEPTH = 8;

    /** What the general path reads of a frame, or null when it refuses it or it is not a set. */
    private static SetFrameReader.SetFrame general(String frame) {
        JsonNode request;
        try {
            request = Json.parse(frame, DEPTH);
        } catch (ProtocolException e) {
            return null;
        }
        if (!request.isObject() || !"set".equals(request.path("op").asText(null)) || !request.path("topic").isTextual()
                || !request.has("value")) {
            return null;
        }
        JsonNode ifSeq = request.get("ifSeq");
        JsonNode spec = request.get("spec");
        return new SetFrameReader.SetFrame(request.get("id"), request.get("topic").asText(), Json.write(request.get("value")),
                spec == null || spec.isNull() ? null : spec,
                ifSeq == null || ifSeq.isNull() ? null : ifSeq.longValue());
    }

    private static void agrees(String frame) {
        SetFrameReader.SetFrame fast = SetFrameReader.read(frame, DEPTH);
        if (fast != null) {
            assertThat(general(frame)).as("read as a plain set: %s", frame).isEqualTo(fast);
        }
    }

    @Test
    void readsTheFramesClientsSend() {
        assertThat(SetFrameReader.read("{\"op\":\"set\",\"topic\":\"bench/breadth/12\",\"value\":{\"t\":123456789012,\"k\":3,\"p\":\"xxxx\"}}", DEPTH))
                .isEqualTo(new SetFrameReader.SetFrame(null, "bench/breadth/12", "{\"t\":123456789012,\"k\":3,\"p\":\"xxxx\"}", null, null));
        assertThat(SetFrameReader.read("{\"op\":\"set\",\"id\":7,\"topic\":\"a/b\",\"spec\":\"JSON\",\"value\":[1,2.50,\"é\",true,null,{}]}", DEPTH))
                .isEqualTo(new SetFrameReader.SetFrame(IntNode.valueOf(7), "a/b", "[1,2.50,\"é\",true,null,{}]", TextNode.valueOf("JSON"), null));
        assertThat(SetFrameReader.read("{ \"id\": \"r-1\", \"op\": \"set\", \"topic\": \"a\", \"ifSeq\": 41, \"value\": \"hi 😀\" }", DEPTH))
                .isEqualTo(new SetFrameReader.SetFrame(TextNode.valueOf("r-1"), "a", "\"hi 😀\"", null, 41L));
        assertThat(SetFrameReader.read("{\"op\":\"set\",\"id\":12345678901,\"topic\":\"prices/btc\",\"value\":{\"bpi\":{\"USD\":{\"rate_float\":97234.5,\"rate\":\"97,234.50\"}}}}", DEPTH))
                .isEqualTo(new SetFrameReader.SetFrame(LongNode.valueOf(12345678901L), "prices/btc",
                        "{\"bpi\":{\"USD\":{\"rate_float\":97234.5,\"rate\":\"97,234.50\"}}}", null, null));
        for (String frame : List.of("{\"op\":\"set\",\"topic\":\"a\",\"value\":{\"t\":1}}", "{\"op\":\"set\",\"id\":1,\"topic\":\"a\",\"value\":0.000001}")) {
            assertThat(SetFrameReader.read(frame, DEPTH)).as(frame).isNotNull();
            agrees(frame);
        }
    }

    @Test
    void leavesToTheGeneralPathWhatItCannotReadTheSame() {
        for (String frame : List.of(
                "{\"op\":\"set\",\"topic\":\"a\",\"value\":{\"a\": 1}}", // white space in the value
                "{\"op\":\"set\",\"topic\":\"a\",\"value\":1e3}", // an exponent
                "{\"op\":\"set\",\"topic\":\"a\",\"value\":-0}",
                "{\"op\":\"set\",\"topic\":\"a\",\"value\":-0.0}",
                "{\"op\":\"set\",\"topic\":\"a\",\"value\":0.0000001}", // BigDecimal writes 1E-7
                "{\"op\":\"set\",\"topic\":\"a\",\"value\":{\"a\":1,\"a\":2}}", // a key twice
                "{\"op\":\"set\",\"topic\":\"a\",\"value\":\"a\\\"b\"}", // an escape
                "{\"op\":\"set\",\"topic\":\"a\",\"value\":\"\ud800\"}", // a lone surrogate
                "{\"op\":\"set\",\"topic\":\"a\",\"value\":1,\"extra\":2}", // another field
                "{\"op\":\"set\",\"topic\":\"a\",\"topic\":\"b\",\"value\":1}", // a field twice
                "{\"op\":\"set\",\"topic\":\"a\",\"value\":1,\"spec\":{\"type\":\"JSON\"}}", // a spec object
                "{\"op\":\"set\",\"topic\":\"a\",\"value\":1,\"ifSeq\":1.5}",
                "{\"op\":\"set\",\"id\":null,\"topic\":\"a\",\"value\":1}",
                "{\"op\":\"set\",\"topic\":\"a\",\"value\":[[[[[[[[1]]]]]]]]}", // at the depth limit
                "{\"op\":\"set\",\"topic\":\"a\",\"value\":1} x", // trailing text
                "{\"op\":\"set\",\"topic\":\"a\"}", // no value
                "{\"op\":\"add\",\"topic\":\"a\",\"value\":1}",
                "{\"op\":\"set\",\"topic\":\"a\",\"value\":01}",
                "{\"op\":\"set\",\"topic\":\"a\",\"value\":tru}",
                "{\"op\":\"set\",\"topic\":\"a\",\"value\":{\"a\":1}",
                "")) {
            assertThat(SetFrameReader.read(frame, DEPTH)).as(frame).isNull();
        }
    }

    /** Generated frames, canonical and not, valid and not: whatever the reader takes, the general path reads the same. */
    @Test
    void agreesWithTheGeneralPathOnGeneratedFrames() {
        Random random = new Random(14);
        int read = 0;
        int frames = 20_000;
        for (int i = 0; i < frames; i++) {
            String frame = frame(random);
            if (random.nextInt(10) == 0) {
                frame = mutate(frame, random);
            }
            if (SetFrameReader.read(frame, DEPTH) != null) {
                read++;
            }
            agrees(frame);
        }
        // Not vacuous: a good share of the frames is read here (the others differ on purpose).
        assertThat(read).isGreaterThan(frames / 5);
    }

    private static String frame(Random r) {
        List<String> fields = new ArrayList<>();
        fields.add(q("op") + ":" + (r.nextInt(20) == 0 ? q("add") : q("set")));
        fields.add(q("topic") + ":" + (r.nextInt(30) == 0 ? "1" : q("t/" + r.nextInt(100))));
        fields.add(q("value") + ":" + value(r, 1));
        switch (r.nextInt(6)) {
            case 0 -> fields.add(q("id") + ":" + r.nextInt(1000));
            case 1 -> fields.add(q("id") + ":" + q("id-" + r.nextInt(9)));
            case 2 -> fields.add(q("id") + ":" + (r.nextBoolean() ? "1.5" : r.nextBoolean() ? "null" : Long.toString(r.nextLong())));
            default -> { }
        }
        if (r.nextInt(4) == 0) {
            fields.add(q("spec") + ":" + (r.nextBoolean() ? q("JSON") : r.nextBoolean() ? "null" : "{\"type\":\"JSON\"}"));
        }
        if (r.nextInt(4) == 0) {
            fields.add(q("ifSeq") + ":" + (r.nextBoolean() ? Integer.toString(r.nextInt(50)) : r.nextBoolean() ? "null" : "2.0"));
        }
        if (r.nextInt(15) == 0) {
            fields.add(q(r.nextBoolean() ? "extra" : "topic") + ":" + value(r, 1));
        }
        java.util.Collections.shuffle(fields, r);
        String sep = r.nextInt(5) == 0 ? ", " : ",";
        return (r.nextInt(6) == 0 ? " { " : "{") + String.join(sep, fields) + (r.nextInt(6) == 0 ? " }\n" : "}");
    }

    private static String value(Random r, int depth) {
        int kind = depth > 9 ? 2 + r.nextInt(4) : r.nextInt(8);
        String ws = r.nextInt(25) == 0 ? " " : "";
        switch (kind) {
            case 0, 6 -> {
                int n = r.nextInt(4);
                List<String> members = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    String key = r.nextInt(12) == 0 && !members.isEmpty() ? "k0" : "k" + i;
                    members.add(q(key) + ws + ":" + value(r, depth + 1));
                }
                return "{" + String.join("," + ws, members) + "}";
            }
            case 1 -> {
                int n = r.nextInt(4);
                List<String> items = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    items.add(value(r, depth + 1));
                }
                return "[" + ws + String.join(",", items) + "]";
            }
            case 2 -> {
                return string(r);
            }
            case 3 -> {
                return number(r);
            }
            case 4 -> {
                return new String[] {"true", "false", "null"}[r.nextInt(3)];
            }
            default -> {
                return r.nextBoolean() ? number(r) : string(r);
            }
        }
    }

    private static String string(Random r) {
        String[] parts = {"a", "Z", "é", "漢", "😀", "\\\"", "\\\\", "\\/", "\\n", "\\u0041", "\\u00e9", "\ud800", "\udc00", " ", "\t", "\u007f", "\u2028"};
        StringBuilder sb = new StringBuilder("\"");
        int n = r.nextInt(6);
        for (int i = 0; i < n; i++) {
            sb.append(r.nextInt(4) == 0 ? parts[r.nextInt(parts.length)] : parts[r.nextInt(4)]);
        }
        return sb.append('"').toString();
    }

    private static String number(Random r) {
        String sign = r.nextInt(4) == 0 ? "-" : "";
        String integer = switch (r.nextInt(5)) {
            case 0 -> "0";
            case 1 -> Integer.toString(r.nextInt(10));
            case 2 -> Long.toString(Math.abs(r.nextLong()));
            case 3 -> "123456789012345678901234567890";
            default -> Integer.toString(r.nextInt(100000));
        };
        String fraction = "";
        if (r.nextBoolean()) {
            StringBuilder f = new StringBuilder(".");
            int zeros = r.nextInt(9);
            f.append("0".repeat(zeros));
            int digits = r.nextInt(4);
            for (int i = 0; i < digits; i++) {
                f.append(r.nextInt(10));
            }
            if (f.length() == 1 || r.nextInt(4) == 0) {
                f.append('0');
            }
            fraction = f.toString();
        }
        String exponent = r.nextInt(8) == 0 ? (r.nextBoolean() ? "e" : "E+") + r.nextInt(20) : "";
        return sign + integer + fraction + exponent;
    }

    private static String mutate(String frame, Random r) {
        if (frame.isEmpty()) {
            return frame;
        }
        int at = r.nextInt(frame.length());
        return switch (r.nextInt(3)) {
            case 0 -> frame.substring(0, at);
            case 1 -> frame.substring(0, at) + INSERTED.charAt(r.nextInt(INSERTED.length())) + frame.substring(at);
            default -> frame.substring(0, at) + frame.substring(at + 1);
        };
    }

    private static final String INSERTED = "{}[],:\" 0-.e\\x";

    private static String q(String s) {
        return "\"" + s + "\"";
    }
}
