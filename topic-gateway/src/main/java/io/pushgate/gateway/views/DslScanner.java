package io.pushgate.gateway.views;

/**
 * A cursor over the text of a view with the few token shapes of the language: words (runs of
 * non-whitespace), quoted strings and directive arguments. Errors are built from an offset, so
 * that every message can point at the start of the offending token rather than where the
 * scanner happened to stop.
 */
final class DslScanner {

    private static final int SHOWN = 40;

    private final String text;
    /** The whole view, when this scanner reads a quoted part of it: errors point into the whole. */
    private final String whole;
    private final int base;
    private int pos;

    DslScanner(String text) {
        this(text, text, 0);
    }

    /** A scanner of {@code text}, which starts at {@code base} in {@code whole}. */
    DslScanner(String text, String whole, int base) {
        this.text = text;
        this.whole = whole;
        this.base = base;
    }

    String text() {
        return text;
    }

    int pos() {
        return pos;
    }

    void rewind(int offset) {
        pos = offset;
    }

    boolean atEnd() {
        return pos >= text.length();
    }

    char peek() {
        return text.charAt(pos);
    }

    void advance() {
        pos++;
    }

    boolean atWhitespace() {
        return !atEnd() && Character.isWhitespace(text.charAt(pos));
    }

    void skipWhitespace() {
        while (atWhitespace()) {
            pos++;
        }
    }

    /**
     * Reads a word in which {@code \x} stands for x (so {@code a\ b} is one word holding a space):
     * the JSON pointers of {@code insert}, property keys and values, server names.
     */
    String escapedWord(String alsoEnds) {
        StringBuilder out = new StringBuilder();
        while (!atEnd() && !Character.isWhitespace(text.charAt(pos)) && alsoEnds.indexOf(text.charAt(pos)) < 0) {
            char c = text.charAt(pos++);
            if (c == '\\' && !atEnd()) {
                c = text.charAt(pos++);
            }
            out.append(c);
        }
        return out.toString();
    }

    /** Reads the run of non-whitespace characters at the cursor (empty at the end). */
    String word() {
        int start = pos;
        while (!atEnd() && !Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
        return text.substring(start, pos);
    }

    /** Reads a run of ASCII letters: the name of a directive. */
    String name() {
        int start = pos;
        while (!atEnd() && isAsciiLetter(text.charAt(pos))) {
            pos++;
        }
        return text.substring(start, pos);
    }

    /**
     * Reads a string quoted with {@code "} or {@code '} (Diffusion accepts both). A backslash
     * escapes the quote or another backslash; any other backslash is kept as it is, because
     * selectors are regular expressions where {@code \d} must survive unharmed.
     */
    String quoted() {
        int start = pos;
        char quote = text.charAt(pos++);
        StringBuilder out = new StringBuilder();
        while (!atEnd()) {
            char c = text.charAt(pos++);
            if (c == '\\' && !atEnd() && (text.charAt(pos) == quote || text.charAt(pos) == '\\')) {
                out.append(text.charAt(pos++));
            } else if (c == quote) {
                return out.toString();
            } else {
                out.append(c);
            }
        }
        throw error(start, "unterminated quote");
    }

    /**
     * Reads a JSON pointer argument up to the unescaped {@code )} that ends it, which stays
     * unread. Whitespace is part of the pointer (as in Diffusion); {@code \x} stands for x, so
     * that a pointer can hold {@code )}.
     */
    String pointerArgument(int directiveStart) {
        return pointerArgument(directiveStart, ")");
    }

    /** A pointer argument that ends at the first unescaped character of {@code ends}, left unread. */
    String pointerArgument(int directiveStart, String ends) {
        StringBuilder out = new StringBuilder();
        while (!atEnd() && ends.indexOf(text.charAt(pos)) < 0) {
            char c = text.charAt(pos++);
            if (c == '\\' && !atEnd()) {
                c = text.charAt(pos++);
            }
            out.append(c);
        }
        if (atEnd()) {
            throw error(directiveStart, "unterminated directive: expected ')'");
        }
        return out.toString();
    }

    /** Fails unless the token just read is followed by whitespace or the end of the text. */
    void endOfToken(String what) {
        if (!atEnd() && !atWhitespace()) {
            int start = pos;
            throw error(start, "unexpected text '" + shown(word()) + "' after " + what);
        }
    }

    ViewSyntaxException error(int offset, String reason) {
        if (whole != text) {
            return new DslScanner(whole).error(base + offset, reason);
        }
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset && i < text.length(); i++) {
            char c = text.charAt(i);
            // \r\n, \n and \r each end a line; the \r of a \r\n is left to its \n
            if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
                line++;
                lineStart = i + 1;
            }
        }
        return new ViewSyntaxException(line, offset - lineStart + 1, reason);
    }

    /** Shortens what is echoed back in a message, so that a huge token cannot bloat an error. */
    static String shown(String s) {
        return s.length() <= SHOWN ? s : s.substring(0, SHOWN - 3) + "...";
    }

    static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
