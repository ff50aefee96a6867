package io.pushgate.gateway.sessions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.pushgate.protocol.message.Field;
import io.pushgate.protocol.message.Op;
import java.util.HashSet;
import java.util.Set;

/**
 * Reads the commonest request, a {@code set} written as clients write it (compact JSON, the value
 * a JSON document), straight from the frame's text: no tree is built for the frame, and the value's
 * text is taken as it is, since it is already the canonical text the store keeps (the compact JSON
 * that {@code Json.write(Json.parse(value))} gives). Parsing the frame into a tree and writing the
 * value out again was a fifth of the gateway's CPU per update (issue 14's breadth profile).
 *
 * <p>It only reads what it can read exactly as the general path does, and gives up (null) on
 * anything else, which then takes the general path with its answers and errors: another op, a
 * field other than {@code op, id, topic, value, spec, ifSeq}, a field twice, an escape in a
 * string, a value that is not canonical (white space, an exponent, {@code -0}, a decimal whose text
 * {@code BigDecimal} would write otherwise, a key twice in an object), nesting at the depth limit,
 * an {@code id} other than a string or an integer, a {@code spec} other than a type's name, or
 * anything that is not JSON at all. {@code SetFrameReaderTest} checks it against the general path
 * on generated frames.
 */
final class SetFrameReader {

    /** A {@code set} request read from its frame; {@code value} is the value's canonical JSON text. */
    record SetFrame(JsonNode id, String topic, String value, JsonNode spec, Long ifSeq) {
    }

    /** Thrown to give up; one instance, without a stack: it is how most frames that are not a plain set leave. */
    private static final class NotPlain extends RuntimeException {
        NotPlain() {
            super(null, null, false, false);
        }
    }

    private static final NotPlain NOT_PLAIN = new NotPlain();

    /** Longer frames take the general path, whose parser limits a string to 20,000,000 chars. */
    private static final int MAX_FRAME_CHARS = 1_000_000;
    /** Longest number text taken as it is (Jackson's own limit is 1000 digits: longer ones take the general path). */
    private static final int MAX_NUMBER_CHARS = 100;
    /** Objects with more keys than this check for a repeated key with a set rather than by comparing each pair. */
    private static final int KEYS_COMPARED_PAIRWISE = 8;

    private static final int OP = 1;
    private static final int ID = 2;
    private static final int TOPIC = 4;
    private static final int VALUE = 8;
    private static final int SPEC = 16;
    private static final int IF_SEQ = 32;

    private final String s;
    private final int maxDepth;
    private int pos;

    private SetFrameReader(String s, int maxDepth) {
        this.s = s;
        this.maxDepth = maxDepth;
    }

    /**
     * The set request in {@code frame}, or null when it is not a plain one (the general path then
     * reads it). {@code maxDepth}: the nesting limit of the general path; a frame reaching it is
     * left to that path.
     */
    static SetFrame read(String frame, int maxDepth) {
        if (frame.length() > MAX_FRAME_CHARS) {
            return null;
        }
        try {
            return new SetFrameReader(frame, maxDepth).frame();
        } catch (NotPlain | IndexOutOfBoundsException e) {
            return null;
        }
    }

    private SetFrame frame() {
        whitespace();
        expect('{');
        int seen = 0;
        JsonNode id = null;
        String topic = null;
        String value = null;
        JsonNode spec = null;
        Long ifSeq = null;
        whitespace();
        if (s.charAt(pos) == '}') {
            throw NOT_PLAIN;
        }
        while (true) {
            int field = field(plainString());
            if ((seen & field) != 0) {
                throw NOT_PLAIN;
            }
            seen |= field;
            whitespace();
            expect(':');
            whitespace();
            switch (field) {
                case OP -> {
                    if (!plainString().equals(Op.SET)) {
                        throw NOT_PLAIN;
                    }
                }
                case ID -> id = id();
                case TOPIC -> topic = plainString();
                case VALUE -> {
                    int start = pos;
                    canonicalValue(1);
                    value = s.substring(start, pos);
                }
                case SPEC -> {
                    if (s.startsWith("null", pos)) {
                        pos += 4;
                    } else {
                        spec = TextNode.valueOf(plainString());
                    }
                }
                case IF_SEQ -> {
                    if (s.startsWith("null", pos)) {
                        pos += 4;
                    } else {
                        ifSeq = integer();
                    }
                }
                default -> throw NOT_PLAIN;
            }
            whitespace();
            if (closes('}')) {
                break;
            }
            whitespace();
        }
        whitespace();
        if (pos != s.length() || (seen & (OP | TOPIC | VALUE)) != (OP | TOPIC | VALUE)) {
            throw NOT_PLAIN;
        }
        return new SetFrame(id, topic, value, spec, ifSeq);
    }

    private static int field(String name) {
        return switch (name) {
            case Field.OP -> OP;
            case Field.ID -> ID;
            case Field.TOPIC -> TOPIC;
            case Field.VALUE -> VALUE;
            case Field.SPEC -> SPEC;
            case Field.IF_SEQ -> IF_SEQ;
            default -> throw NOT_PLAIN;
        };
    }

    /** A string id as it is, or an integer id as the tree reads it (IntNode when it fits an int, else LongNode). */
    private JsonNode id() {
        char c = s.charAt(pos);
        if (c == '"') {
            return TextNode.valueOf(plainString());
        }
        long n = integer();
        return n == (int) n ? IntNode.valueOf((int) n) : LongNode.valueOf(n);
    }

    /** An integer of at most 18 digits (so that it fits a long), not {@code -0}. */
    private long integer() {
        int start = pos;
        boolean negative = s.charAt(pos) == '-';
        if (negative) {
            pos++;
        }
        int digitsFrom = pos;
        boolean zero = integerDigits();
        if (pos - digitsFrom > 18 || (pos < s.length() && isNumberPart(s.charAt(pos))) || (zero && negative)) {
            throw NOT_PLAIN; // too long, not an integer, or -0
        }
        return Long.parseLong(s, start, pos, 10);
    }

    /** Moves past {@code 0} or a digit 1-9 and more digits (JSON's integer part); true when it was {@code 0}. */
    private boolean integerDigits() {
        char first = s.charAt(pos);
        if (first == '0') {
            pos++;
            return true;
        }
        if (first < '1' || first > '9') {
            throw NOT_PLAIN;
        }
        while (pos < s.length() && isDigit(s.charAt(pos))) {
            pos++;
        }
        return false;
    }

    /** A string without escapes or control characters, as it is. */
    private String plainString() {
        int start = pos + 1;
        stringSpan();
        return s.substring(start, pos - 1);
    }

    /**
     * Moves past a string that is its own canonical text: no escape (the writer would write some
     * differently), no control character (invalid unescaped), surrogates only in pairs.
     */
    private void stringSpan() {
        expect('"');
        while (true) {
            char c = s.charAt(pos++);
            if (c == '"') {
                return;
            }
            if (c == '\\' || c < 0x20) {
                throw NOT_PLAIN;
            }
            if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || !Character.isLowSurrogate(s.charAt(pos))) {
                    throw NOT_PLAIN;
                }
                pos++;
            }
        }
    }

    /** Moves past a value that is canonical compact JSON; {@code depth}: the containers around it. */
    private void canonicalValue(int depth) {
        char c = s.charAt(pos);
        switch (c) {
            case '{' -> object(depth + 1);
            case '[' -> array(depth + 1);
            case '"' -> stringSpan();
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> number();
        }
    }

    private void object(int depth) {
        if (depth >= maxDepth) {
            throw NOT_PLAIN;
        }
        pos++;
        if (s.charAt(pos) == '}') {
            pos++;
            return;
        }
        int[] keys = new int[2 * KEYS_COMPARED_PAIRWISE];
        int count = 0;
        Set<String> many = null;
        while (true) {
            int start = pos + 1;
            stringSpan();
            int end = pos - 1;
            if (many != null) {
                if (!many.add(s.substring(start, end))) {
                    throw NOT_PLAIN;
                }
            } else {
                for (int k = 0; k < count; k++) {
                    int ks = keys[2 * k];
                    int ke = keys[2 * k + 1];
                    if (ke - ks == end - start && s.regionMatches(ks, s, start, end - start)) {
                        throw NOT_PLAIN; // a key twice: the tree keeps the last, in the first one's place
                    }
                }
                if (count < KEYS_COMPARED_PAIRWISE) {
                    keys[2 * count] = start;
                    keys[2 * count + 1] = end;
                    count++;
                } else {
                    many = new HashSet<>();
                    for (int k = 0; k < count; k++) {
                        many.add(s.substring(keys[2 * k], keys[2 * k + 1]));
                    }
                    many.add(s.substring(start, end));
                }
            }
            expect(':');
            canonicalValue(depth);
            if (closes('}')) {
                return;
            }
        }
    }

    private void array(int depth) {
        if (depth >= maxDepth) {
            throw NOT_PLAIN;
        }
        pos++;
        if (s.charAt(pos) == ']') {
            pos++;
            return;
        }
        do {
            canonicalValue(depth);
        } while (!closes(']'));
    }

    /** After a member of a container: true past its closing {@code close}, false past a comma; anything else is not plain. */
    private boolean closes(char close) {
        char c = s.charAt(pos++);
        if (c == close) {
            return true;
        }
        if (c != ',') {
            throw NOT_PLAIN;
        }
        return false;
    }

    private void literal(String word) {
        if (!s.startsWith(word, pos)) {
            throw NOT_PLAIN;
        }
        pos += word.length();
        if (pos < s.length() && Character.isLetterOrDigit(s.charAt(pos))) {
            throw NOT_PLAIN;
        }
    }

    /**
     * Moves past a number whose text the tree writes back unchanged: an integer other than
     * {@code -0}, or a decimal without exponent that {@code BigDecimal.toString} writes as it is
     * (the mapper reads decimals as exact BigDecimals): not negative zero, and, below 1, at most
     * five zeros after the point before the first other digit (more, and it writes {@code 1E-7}).
     */
    private void number() {
        int start = pos;
        boolean negative = s.charAt(pos) == '-';
        if (negative) {
            pos++;
        }
        boolean zeroInteger = integerDigits();
        if (pos < s.length() && s.charAt(pos) == '.') {
            pos++;
            int fractionFrom = pos;
            while (pos < s.length() && isDigit(s.charAt(pos))) {
                pos++;
            }
            int fractionDigits = pos - fractionFrom;
            if (fractionDigits == 0) {
                throw NOT_PLAIN;
            }
            if (zeroInteger) {
                int zeros = 0;
                while (zeros < fractionDigits && s.charAt(fractionFrom + zeros) == '0') {
                    zeros++;
                }
                boolean allZero = zeros == fractionDigits;
                if (allZero ? (negative || fractionDigits > 6) : zeros > 5) {
                    throw NOT_PLAIN;
                }
            }
        } else if (zeroInteger && negative) {
            throw NOT_PLAIN; // -0
        }
        if (pos - start > MAX_NUMBER_CHARS || (pos < s.length() && isNumberPart(s.charAt(pos)))) {
            throw NOT_PLAIN; // an exponent, a second point, a leading zero...
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isNumberPart(char c) {
        return isDigit(c) || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-';
    }

    private void expect(char c) {
        if (s.charAt(pos) != c) {
            throw NOT_PLAIN;
        }
        pos++;
    }

    private void whitespace() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }
}
