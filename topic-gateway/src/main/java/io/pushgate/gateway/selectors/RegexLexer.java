package io.pushgate.gateway.selectors;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A lexer for the RE2 syntax of selector patterns. It does not validate a pattern (RE2/J does that
 * when compiling it); it finds what the selector parser needs before compiling, and what RE2/J
 * would handle badly:
 * <ul>
 * <li>which {@code /} separate segments: not one inside a character class, escaped or quoted;</li>
 * <li>which atoms are literal characters, to find a pattern's literal prefix;</li>
 * <li>constructs RE2 does not support (backreferences, lookarounds, atomic groups, possessive
 * quantifiers), so that the error says so rather than RE2/J's generic or misleading message;</li>
 * <li>bounds RE2/J does not enforce: group nesting (its parser recurses and overflows the stack) and
 * the size after expanding counted repetitions ({@code (((a{1000}){1000}){1000})} exhausts the heap
 * when compiled, and matching time grows with the program size).</li>
 * </ul>
 * Errors are thrown as {@link SelectorSyntaxError}, whose message gives the index in the whole selector
 * expression (the lexed text starts at {@code offset} in it).
 */
final class RegexLexer {

    /** Deepest group nesting accepted: far beyond real patterns, far below RE2/J's stack needs. */
    static final int MAX_NESTING = 32;
    /** Largest size after expanding counted repetitions, in atoms (what a 4 KiB pattern can reach). */
    static final int MAX_EXPANDED_SIZE = 4096;

    enum Kind { LITERAL, CLASS, ESCAPE, DOT, ANCHOR, OPEN, CLOSE, FLAGS, ALTERNATION, QUANTIFIER }

    /**
     * One lexed atom or operator, {@code [start, end)} in the text. For a {@code LITERAL},
     * {@code literal} is the character it stands for and {@code plain} says it was written as itself
     * (neither escaped nor quoted): only a plain {@code /} separates segments.
     */
    record Token(Kind kind, int start, int end, char literal, boolean plain) {

        boolean isSeparator() {
            return kind == Kind.LITERAL && plain && literal == '/';
        }
    }

    private final String text;
    private final int offset;
    private final List<Token> tokens = new ArrayList<>();
    private final Deque<Integer> openGroups = new ArrayDeque<>();
    /** Expanded size of the items of each open group (the outermost is the whole pattern). */
    private final Deque<long[]> groupSizes = new ArrayDeque<>();
    private long lastItemSize;
    private int i;

    private RegexLexer(String text, int offset) {
        this.text = text;
        this.offset = offset;
        groupSizes.push(new long[1]);
    }

    /** Lexes {@code text}, found at {@code offset} in the selector expression, or throws {@link SelectorSyntaxError}. */
    static List<Token> lex(String text, int offset) {
        RegexLexer lexer = new RegexLexer(text, offset);
        lexer.run();
        return lexer.tokens;
    }

    private void run() {
        while (i < text.length()) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> escape();
                case '[' -> atom(Kind.CLASS, i, classEnd(i));
                case '(' -> open();
                case ')' -> close();
                case '|' -> add(Kind.ALTERNATION, i, i + 1);
                case '*', '+', '?' -> quantifier(i, i + 1, 1);
                case '{' -> braces();
                case '.' -> atom(Kind.DOT, i, i + 1);
                case '^', '$' -> add(Kind.ANCHOR, i, i + 1);
                default -> literal(i, i + 1, c, true);
            }
        }
        if (!openGroups.isEmpty()) {
            throw error("unclosed group '('", openGroups.peek(), "");
        }
    }

    private void escape() {
        int start = i;
        if (start + 1 >= text.length()) {
            throw error("trailing backslash", start, "");
        }
        char d = text.charAt(start + 1);
        if (d == 'Q') {
            quoted(start);
        } else if (!isAsciiLetterOrDigit(d)) {
            literal(start, start + 2, d, false);
        } else if ((d >= '1' && d <= '9' && !isOctalDigit(start + 2)) || d == 'k' || d == 'g') {
            throw error("backreference '" + text.substring(start, start + 2) + "'", start,
                    " is not supported (RE2 syntax)");
        } else if ((d == 'p' || d == 'P' || d == 'x') && start + 2 < text.length() && text.charAt(start + 2) == '{') {
            int close = text.indexOf('}', start + 3);
            atom(Kind.ESCAPE, start, close < 0 ? text.length() : close + 1);
        } else if (d == 'x') {
            atom(Kind.ESCAPE, start, Math.min(start + 4, text.length())); // \x2F
        } else {
            atom(Kind.ESCAPE, start, start + 2);
        }
    }

    /** {@code \Q...\E}: every character in between is a literal (so a {@code /} there separates nothing). */
    private void quoted(int start) {
        int end = text.indexOf("\\E", start + 2);
        if (end < 0) {
            throw error("unterminated quote '\\Q'", start, " (close it with '\\E')");
        }
        for (int k = start + 2; k < end; k++) {
            literal(k, k + 1, text.charAt(k), false);
        }
        i = end + 2;
    }

    /** The end of the character class opening at {@code start}, following RE2's rules. */
    private int classEnd(int start) {
        int k = start + 1;
        if (k < text.length() && text.charAt(k) == '^') {
            k++;
        }
        if (k < text.length() && text.charAt(k) == ']') {
            k++; // a ']' first in a class is a literal
        }
        while (k < text.length()) {
            char c = text.charAt(k);
            if (c == ']') {
                return k + 1;
            } else if (c == '\\') {
                k += 2;
            } else if (c == '[' && posixClassEnd(k) > 0) {
                k = posixClassEnd(k); // [:alpha:] or [:^alpha:]
            } else {
                k++;
            }
        }
        throw error("unclosed character class '['", start, "");
    }

    /** The end of a POSIX class such as {@code [:alpha:]} at {@code start}, or -1 if there is none. */
    private int posixClassEnd(int start) {
        if (!text.startsWith("[:", start)) {
            return -1;
        }
        int k = start + 2;
        if (k < text.length() && text.charAt(k) == '^') {
            k++;
        }
        while (k < text.length() && Character.isLetter(text.charAt(k))) {
            k++;
        }
        return text.startsWith(":]", k) ? k + 2 : -1;
    }

    private void open() {
        int start = i;
        int end = start + 1;
        Kind kind = Kind.OPEN;
        if (text.startsWith("(?", start)) {
            refuseUnsupportedGroup(start);
            int k = start + 2;
            if (k < text.length() && (text.charAt(k) == 'P' || text.charAt(k) == '<')) {
                end = k; // a named group: the name is lexed as literals, harmlessly
            } else {
                while (k < text.length() && (Character.isLetter(text.charAt(k)) || text.charAt(k) == '-')) {
                    k++;
                }
                boolean flagsOnly = k < text.length() && text.charAt(k) == ')';
                kind = flagsOnly ? Kind.FLAGS : Kind.OPEN;
                end = Math.min(k + 1, text.length());
            }
        }
        if (kind == Kind.FLAGS) {
            add(kind, start, end);
            return;
        }
        if (openGroups.size() >= MAX_NESTING) {
            throw error("groups nested deeper than " + MAX_NESTING, start, "");
        }
        openGroups.push(start);
        groupSizes.push(new long[1]);
        add(kind, start, end);
    }

    private void refuseUnsupportedGroup(int start) {
        String[][] unsupported = {
            {"(?=", "lookahead"}, {"(?!", "negative lookahead"}, {"(?<=", "lookbehind"},
            {"(?<!", "negative lookbehind"}, {"(?>", "atomic group"}, {"(?#", "comment group"},
            {"(?P=", "named backreference"}, {"(?P>", "recursion"}, {"(?R", "recursion"},
        };
        for (String[] construct : unsupported) {
            if (text.startsWith(construct[0], start)) {
                throw error(construct[1] + " '" + construct[0] + "'", start, " is not supported (RE2 syntax)");
            }
        }
    }

    private void close() {
        if (openGroups.isEmpty()) {
            throw error("unmatched ')'", i, "");
        }
        openGroups.pop();
        long groupSize = groupSizes.pop()[0] + 1;
        add(Kind.CLOSE, i, i + 1);
        grow(groupSize);
    }

    /** {@code {n}}, {@code {n,}} or {@code {n,m}} is a repetition; any other '{' is a literal, as in RE2. */
    private void braces() {
        int close = text.indexOf('}', i);
        String inside = close < 0 ? "" : text.substring(i + 1, close);
        if (!inside.matches("\\d{1,9}(,\\d{0,9})?")) {
            literal(i, i + 1, '{', true);
            return;
        }
        String[] bounds = inside.split(",", -1);
        long max = Long.parseLong(bounds.length == 1 || bounds[1].isEmpty() ? bounds[0] : bounds[1]);
        quantifier(i, close + 1, max);
    }

    private void quantifier(int start, int end, long copies) {
        int k = end;
        if (k < text.length() && text.charAt(k) == '?') {
            k++; // lazy
        }
        if (k < text.length() && text.charAt(k) == '+') {
            throw error("possessive quantifier '" + text.substring(start, k + 1) + "'", start,
                    " is not supported (RE2 syntax)");
        }
        // the repeated item is compiled once per copy, and it already counts once
        long repeated = lastItemSize;
        long extra = repeated * (Math.max(copies, 1) - 1);
        add(Kind.QUANTIFIER, start, k);
        groupSizes.peek()[0] += extra;
        lastItemSize = repeated + extra;
        checkSize(start);
    }

    private void literal(int start, int end, char c, boolean plain) {
        tokens.add(new Token(Kind.LITERAL, start, end, c, plain));
        i = end;
        grow(1);
    }

    private void atom(Kind kind, int start, int end) {
        add(kind, start, end);
        grow(1);
    }

    private void add(Kind kind, int start, int end) {
        tokens.add(new Token(kind, start, end, '\0', false));
        i = end;
        lastItemSize = 0; // operators are not repeatable items
    }

    private void grow(long itemSize) {
        groupSizes.peek()[0] += itemSize;
        lastItemSize = itemSize;
        checkSize(i);
    }

    private void checkSize(int index) {
        long total = 0;
        for (long[] size : groupSizes) {
            total += size[0];
        }
        if (total > MAX_EXPANDED_SIZE) {
            throw error("pattern too large: its repetitions expand it beyond " + MAX_EXPANDED_SIZE + " atoms,",
                    index, "");
        }
    }

    /** {@code what} happened at {@code index} of the lexed text. */
    private SelectorSyntaxError error(String what, int index, String more) {
        return new SelectorSyntaxError(what + " at index " + (offset + index) + more);
    }

    private boolean isOctalDigit(int index) {
        return index < text.length() && text.charAt(index) >= '0' && text.charAt(index) <= '7';
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
