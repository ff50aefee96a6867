package io.pushgate.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Finds the top-level {@code id} of a request that is refused as a whole (too large, too deep,
 * not valid JSON after the id), so that the error about it carries its id: a client waiting for
 * the answer to that request gets one. Bytes are fed as they arrive (a message in many frames is
 * scanned as it comes and never kept), in constant memory: it only follows the nesting and the
 * strings, and keeps at most one top-level key and the id's text. (Jackson's parsers, streaming
 * ones included, hold every string token whole, so a request made of one huge string would be
 * held whole to skip it; hence this small state machine.)
 *
 * <p>The id is the value of the first top-level field {@code id} when it is a string or a number
 * and everything before it is well-formed JSON; anything else gives no id.
 */
public final class RequestIdScanner {

    private static final int MAX_KEY = 16;
    private static final int MAX_ID = 1024;

    private enum Expect { OBJECT, KEY_OR_END, COLON, VALUE, COMMA_OR_END, DONE }

    private Expect expect = Expect.OBJECT;
    private int depth;
    private boolean inString;
    private boolean escape;
    /** The top-level key being read (bounded), or the id's text once its value started. */
    private final ByteArrayOutputStream token = new ByteArrayOutputStream();
    private boolean tokenIsKey;
    private boolean keyIsId;
    private boolean readingId;
    private boolean idIsString;
    private boolean skippingScalar;
    private JsonNode id;

    /** The id of a request held whole as text. */
    public static JsonNode idOf(String text) {
        RequestIdScanner scanner = new RequestIdScanner();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        scanner.feed(bytes, 0, bytes.length);
        return scanner.id();
    }

    /** Feeds the next bytes of the request (UTF-8). */
    public void feed(byte[] bytes, int from, int to) {
        for (int i = from; i < to && expect != Expect.DONE; i++) {
            step(bytes[i]);
        }
    }

    /** The id found so far, or null. */
    public JsonNode id() {
        return id;
    }

    private void step(byte b) {
        if (inString) {
            string(b);
            return;
        }
        if (readingId && !idIsString) {
            if (b == ',' || b == '}' || isSpace(b)) {
                finishId();
                return;
            }
            collect(b, MAX_ID);
            return;
        }
        if (depth > 1) {
            nested(b);
            return;
        }
        if (isSpace(b)) {
            if (skippingScalar) {
                skippingScalar = false;
                expect = Expect.COMMA_OR_END;
            }
            return;
        }
        switch (expect) {
            case OBJECT -> {
                if (b == '{') {
                    depth = 1;
                    expect = Expect.KEY_OR_END;
                } else {
                    expect = Expect.DONE;
                }
            }
            case KEY_OR_END -> {
                if (b == '"') {
                    inString = true;
                    tokenIsKey = true;
                    token.reset();
                } else {
                    expect = Expect.DONE; // '}' (no id) or malformed
                }
            }
            case COLON -> expect = b == ':' ? Expect.VALUE : Expect.DONE;
            case VALUE -> value(b);
            case COMMA_OR_END -> {
                if (skippingScalar && b != ',' && b != '}') {
                    return;
                }
                skippingScalar = false;
                expect = b == ',' ? Expect.KEY_OR_END : Expect.DONE;
            }
            default -> { }
        }
    }

    private void value(byte b) {
        if (keyIsId) {
            readingId = true;
            token.reset();
            if (b == '"') {
                idIsString = true;
                inString = true;
                collect(b, MAX_ID);
            } else if (b == '-' || (b >= '0' && b <= '9')) {
                collect(b, MAX_ID);
            } else {
                expect = Expect.DONE; // an id that is not a string or a number
            }
            return;
        }
        if (b == '{' || b == '[') {
            depth = 2;
            expect = Expect.COMMA_OR_END;
        } else if (b == '"') {
            inString = true;
            tokenIsKey = false;
            expect = Expect.COMMA_OR_END;
        } else {
            skippingScalar = true;
            expect = Expect.COMMA_OR_END;
        }
    }

    private void nested(byte b) {
        if (b == '"') {
            inString = true;
            tokenIsKey = false;
        } else if (b == '{' || b == '[') {
            depth++;
        } else if (b == '}' || b == ']') {
            depth--;
        }
    }

    private void string(byte b) {
        boolean collecting = tokenIsKey || readingId;
        if (escape) {
            escape = false;
        } else if (b == '\\') {
            escape = true;
        } else if (b == '"') {
            inString = false;
            if (readingId) {
                collect(b, MAX_ID);
                finishId();
            } else if (tokenIsKey) {
                tokenIsKey = false;
                keyIsId = token.size() == 2 && "id".equals(token.toString(StandardCharsets.UTF_8));
                expect = Expect.COLON;
            }
            return;
        }
        if (collecting) {
            collect(b, readingId ? MAX_ID : MAX_KEY);
        }
    }

    private void collect(byte b, int max) {
        if (token.size() < max) {
            token.write(b);
        } else if (readingId) {
            expect = Expect.DONE; // an id too long to be one a client waits for
        }
    }

    private void finishId() {
        readingId = false;
        expect = Expect.DONE;
        try {
            JsonNode node = Json.parse(token.toString(StandardCharsets.UTF_8));
            id = node.isTextual() || node.isNumber() ? node : null;
        } catch (ProtocolException e) {
            id = null;
        }
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }
}
