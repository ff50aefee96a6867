package io.pushgate.reliability.support;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Seeded generators of bad input for the gateway: requests with random ops and fields, values of
 * every shape (deep nesting, huge numbers, long strings, unicode edge cases written as JSON
 * escapes: lone surrogates, NUL, non-characters), selectors and regular expressions (invalid ones
 * and catastrophic-backtracking ones), and mutations of valid frames' text (a character flipped, a
 * range cut or doubled, a number swapped for a huge one, an opening bracket repeated). Every input
 * is a Java string of valid UTF-16, so it can be sent as a WebSocket text frame.
 */
public final class FuzzInputs {

    /** Ops of the protocol, a few near misses, and nonsense. */
    static final List<String> OPS = List.of("subscribe", "unsubscribe", "fetch", "add", "set", "append", "edit", "range",
            "remove", "ping", "auth", "Subscribe", "SET", "", " ping", "ping\u0000", "__proto__", "constructor", "fetch\\ud800",
            "deleteAll", "eval");

    /** Selectors: valid, invalid, and regular expressions that make backtracking engines explode. */
    static final List<String> SELECTORS = List.of(">fuzz/json", "?fuzz//", "*fuzz/.*", "#>fuzz/json////?fuzz/", "?fuzz/", ">",
            "?", "*", "#", "#////", "//", "?//", "*.*", "?.*//", "*(a+)+b", "?(x*)*y/", "*(a|aa)+$", "*(.*a){25}", "*(a*)*(b*)*c",
            "?(a+)+b//", "*^(([a-z])+.)+[A-Z]([a-z])+$", "?[", "*(", "*)", "?a{1000000}", "*a{1000}{1000}", "*\\1", "*(a)\\1",
            "*(?=a)b", "*(?<!a)b", "*(?<name>a)", "?\\", ">/leading", ">trailing/", ">a//b", ">..", "> spaced path", ">fuzz/\u00e9t\u00e9",
            ">fuzz/\uD83D\uDE00", ">\u0000", "?[^/]+/[^/]+/[^/]+/[^/]+/[^/]+/[^/]+", "*[\\x{10FFFF}]", "*\\p{Greek}+", "*\\Q(a+)+b\\E",
            "?(?i)FUZZ//", "*(?s).*", "#>a////>b////>c////>d////>e////>f");

    static final List<String> PATHS = List.of("fuzz/json", "fuzz/ts", "fuzz/int", "fuzz/double", "fuzz/string", "fuzz/binary",
            "fuzz/new", "fuzz/a/b/c", "/fuzz", "fuzz/", "fuzz//x", "", " ", "fuzz/..", "fuzz/\u00e9", "fuzz/\uD83D\uDE00",
            "fuzz/a b", "fuzz/%2F", "fuzz/\u0000", "views/x", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac");

    static final List<String> TYPES = List.of("JSON", "STRING", "INT64", "DOUBLE", "BINARY", "TIME_SERIES", "json", "FOO", "");

    /** Unicode edge cases, as JSON string content (escapes where raw text would not be valid UTF-16). */
    static final List<String> UNICODE = List.of("\\ud800", "\\udfff", "\\udbff\\udc00", "\\u0000", "\\uffff", "\\ufffe", "\\ufeff",
            "\u202e", "\u0301\u0301\u0301", "\uD83D\uDE00", "\\u001f", "\u2028\u2029", "\uFDD0", "\u00ad", "e\u0301", "\\\"", "\\\\", "\\/",
            "\\u00", "\\uzzzz", "\\x41", "\u0000");

    static final List<String> NUMBERS = List.of("0", "-0", "1", "-1", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
            "1e309", "-1e309", "1e999999999", "1E-999999999", "123456789012345678901234567890123456789012345678901234567890",
            "0.1", "1.0000000000000000000000000001", "4.9e-324", "NaN", "Infinity", "-Infinity", "01", "1.", ".5", "0x10", "1_000",
            "2.5e+10", "9".repeat(5000));

    private final Random random;

    public FuzzInputs(long seed) {
        this.random = new Random(seed);
    }

    public Random random() {
        return random;
    }

    <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    /** One WebSocket frame: a request (carrying {@code id}), a mutated one, or noise. */
    public String frame(String id) {
        int kind = random.nextInt(100);
        String frame;
        if (kind < 45) {
            frame = request(id);
        } else if (kind < 85) {
            frame = mutate(request(id));
        } else if (kind < 93) {
            frame = noise();
        } else {
            frame = deep();
        }
        return wellFormed(frame);
    }

    /** A request object with a random op and random fields, some right and some wrong. */
    public String request(String id) {
        StringBuilder sb = new StringBuilder("{\"id\":\"").append(id).append("\",\"op\":\"").append(pick(OPS)).append('"');
        int fields = random.nextInt(5);
        for (int i = 0; i < fields; i++) {
            String name = pick(List.of("topic", "selector", "value", "spec", "seq", "ifSeq", "fromLast", "from", "to", "fromTime",
                    "limit", "withValues", "token", "since", "view", "op", "id", "extra", ""));
            sb.append(",\"").append(name).append("\":").append(field(name));
        }
        return sb.append('}').toString();
    }

    private String field(String name) {
        if (random.nextInt(5) == 0) {
            return value(3);
        }
        return switch (name) {
            case "topic" -> string(pick(PATHS));
            case "selector" -> string(pick(SELECTORS));
            case "spec" -> random.nextBoolean() ? string(pick(TYPES))
                    : "{\"type\":" + string(pick(TYPES)) + ",\"eventType\":" + string(pick(TYPES)) + ",\"properties\":{" + string(pick(List.of(
                            "CONFLATION", "DONT_RETAIN_VALUE", "TIME_SERIES_RETAINED_RANGE", "BOGUS", "VIEW"))) + ":" + value(1) + "}}";
            case "seq", "ifSeq", "fromLast", "from", "to", "limit" -> pick(NUMBERS);
            case "since" -> "{" + string(pick(PATHS)) + ":" + pick(NUMBERS) + "}";
            case "token" -> string(pick(List.of("", "x", "a.b.c", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "Bearer x")));
            case "fromTime" -> string(pick(List.of("2026-11-22T19:30:00Z", "yesterday", "", "9999-99-99T99:99:99Z", "-1000000000-01-01T00:00:00Z")));
            default -> value(4);
        };
    }

    /** A JSON value of any shape, nested up to {@code depth}. */
    public String value(int depth) {
        int kind = random.nextInt(depth <= 0 ? 5 : 8);
        return switch (kind) {
            case 0 -> pick(NUMBERS);
            case 1 -> string(text());
            case 2 -> pick(List.of("true", "false", "null"));
            case 3 -> string(pick(UNICODE));
            case 4 -> random.nextInt(2000) == 0 ? string("x".repeat(1_100_000 + random.nextInt(200_000))) : string(text());
            case 5 -> {
                StringBuilder sb = new StringBuilder("[");
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    sb.append(i == 0 ? "" : ",").append(value(depth - 1));
                }
                yield sb.append(']').toString();
            }
            default -> {
                StringBuilder sb = new StringBuilder("{");
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    sb.append(i == 0 ? "" : ",").append(string(text())).append(':').append(value(depth - 1));
                }
                yield sb.append('}').toString();
            }
        };
    }

    /** Short random text, with unicode edge cases mixed in (raw, valid UTF-16). */
    private String text() {
        int n = random.nextInt(random.nextInt(50) == 0 ? 20_000 : 20);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            int c = random.nextInt(10);
            if (c < 6) {
                sb.append((char) ('a' + random.nextInt(26)));
            } else if (c < 8) {
                sb.append(pick(List.of("/", ".", "-", "_", " ", "*", "?", ">", "#", "{", "}")));
            } else {
                sb.appendCodePoint(pick(List.of(0x00e9, 0x202e, 0x0301, 0x1F600, 0xFFFD, 0x10FFFF, 0xFDD0, 0x2028, 0x200B)));
            }
        }
        return sb.toString();
    }

    /** A JSON string literal holding {@code content}; content may already hold escapes (from {@link #UNICODE}). */
    static String string(String content) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < content.length(); i++) {
            char c = content.charAt(i);
            if (c == '"' && (i == 0 || content.charAt(i - 1) != '\\')) {
                sb.append("\\\"");
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    /** The text of a frame, mutated once or a few times. */
    public String mutate(String text) {
        String s = text;
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n && !s.isEmpty(); i++) {
            int at = random.nextInt(s.length());
            int to = Math.min(s.length(), at + random.nextInt(20));
            s = switch (random.nextInt(8)) {
                case 0 -> s.substring(0, at) + (char) (32 + random.nextInt(95)) + s.substring(Math.min(s.length(), at + 1));
                case 1 -> s.substring(0, at) + s.substring(to);
                case 2 -> s.substring(0, to) + s.substring(at, to) + s.substring(to);
                case 3 -> s.substring(0, at);
                case 4 -> s.substring(0, at) + pick(NUMBERS) + s.substring(at);
                case 5 -> s.substring(0, at) + "[".repeat(1 + random.nextInt(2000)) + s.substring(at);
                case 6 -> s.substring(0, at) + pick(UNICODE) + s.substring(at);
                default -> s.substring(0, at) + pick(List.of("\u0000", "\"", "\\", "}", "{", ",", ":", "\n")) + s.substring(at);
            };
            if (s.length() > 0 && Character.isLowSurrogate(s.charAt(0))) {
                s = s.substring(1);
            }
            s = wellFormed(s);
        }
        return s;
    }

    /** Noise: text that is not a request at all. */
    public String noise() {
        return switch (random.nextInt(6)) {
            case 0 -> "";
            case 1 -> text();
            case 2 -> pick(NUMBERS);
            case 3 -> value(2);
            case 4 -> "null";
            default -> "\u0000\u0000\u0000";
        };
    }

    /** Nesting far beyond any limit: 1,000 to 5,000 levels (and, rarely, 100,000). */
    public String deep() {
        int depth = random.nextInt(50) == 0 ? 100_000 : 1000 + random.nextInt(4000);
        String open = random.nextBoolean() ? "[" : "{\"a\":";
        String close = open.equals("[") ? "]" : "}";
        return "{\"op\":\"set\",\"topic\":\"fuzz/json\",\"value\":" + open.repeat(depth) + "1" + close.repeat(depth) + "}";
    }

    /** A selector for SSE's {@code ?selector=}, URL-encoded (or not, sometimes, when it is already URL-safe). */
    public String selectorParameter() {
        String s = random.nextInt(4) == 0 ? mutate(pick(SELECTORS)) : pick(SELECTORS);
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** A path segment (or several) for the REST endpoints, URL-encoded. */
    public String pathParameter() {
        String p = random.nextInt(3) == 0 ? mutate(pick(PATHS)) : pick(PATHS);
        StringBuilder sb = new StringBuilder();
        for (String segment : p.split("/", -1)) {
            sb.append(sb.length() == 0 ? "" : "/").append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return sb.toString();
    }

    /** Drops lone surrogates a cut or an insertion may leave, so that the text can be sent as UTF-8. */
    static String wellFormed(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    sb.append(c).append(s.charAt(++i));
                }
            } else if (!Character.isLowSurrogate(c)) {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
