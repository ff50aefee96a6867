package io.pushgate.gateway.sessions.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A recursive-descent parser of {@link SessionFilter}'s grammar. Every error names the line and
 * column of the token it is about (the start of it, not where the scanner stopped). Nesting is
 * bounded, so that no filter can exhaust the stack.
 */
final class SessionFilterParser {

    private static final Set<String> KEYWORDS = Set.of("and", "or", "not", "all", "in", "is", "eq", "ne", "has", "hasroles");
    private static final int SHOWN = 30;

    private enum Kind { WORD, STRING, OPEN, CLOSE, OPEN_LIST, CLOSE_LIST, COMMA, END }

    private record Token(Kind kind, String text, int offset) {
        String lower() {
            return text.toLowerCase(Locale.ROOT);
        }

        boolean is(String keyword) {
            return kind == Kind.WORD && lower().equals(keyword);
        }
    }

    private final String text;
    private final int maxDepth;
    private int pos;
    private Token current;
    private int depth;

    SessionFilterParser(String text, int maxDepth) {
        this.text = text == null ? "" : text;
        this.maxDepth = maxDepth;
    }

    SessionFilter parse() {
        advance();
        if (current.kind == Kind.END) {
            throw error(current.offset, "empty filter: expected a clause such as $Principal is 'bob', or all");
        }
        SessionFilter filter = or();
        if (current.kind != Kind.END) {
            throw error(current.offset, "expected and, or or the end of the filter, not " + describe(current));
        }
        return filter;
    }

    private SessionFilter or() {
        List<SessionFilter> operands = new ArrayList<>();
        operands.add(and());
        while (current.is("or")) {
            advance();
            operands.add(and());
        }
        return operands.size() == 1 ? operands.get(0) : new SessionFilter.Or(operands);
    }

    private SessionFilter and() {
        List<SessionFilter> operands = new ArrayList<>();
        operands.add(unary());
        while (current.is("and")) {
            advance();
            operands.add(unary());
        }
        return operands.size() == 1 ? operands.get(0) : new SessionFilter.And(operands);
    }

    private SessionFilter unary() {
        Token token = current;
        if (token.is("not")) {
            nest(token);
            advance();
            SessionFilter operand = unary();
            depth--;
            return new SessionFilter.Not(operand);
        }
        if (token.kind == Kind.OPEN) {
            nest(token);
            advance();
            if (current.kind == Kind.CLOSE) {
                throw error(current.offset, "empty brackets: expected a clause");
            }
            SessionFilter inner = or();
            if (current.kind != Kind.CLOSE) {
                throw error(current.offset, "expected ')' to close the '(' at " + position(token.offset) + ", not " + describe(current));
            }
            depth--;
            advance();
            return inner;
        }
        if (token.is("all")) {
            advance();
            return new SessionFilter.All();
        }
        if (token.is("hasroles")) {
            advance();
            return new SessionFilter.HasRoles(list("hasRoles"));
        }
        return clause();
    }

    private SessionFilter clause() {
        Token key = current;
        if (key.kind != Kind.WORD) {
            throw error(key.offset, "expected a property name, not, all, hasRoles or '(', not " + describe(key));
        }
        if (KEYWORDS.contains(key.lower())) {
            throw error(key.offset, "expected a property name before '" + key.text + "'");
        }
        if (!isKey(key.text)) {
            throw error(key.offset, "'" + shown(key.text) + "' is not a property name: a fixed property ($Principal, $Roles...) or "
                    + "letters, digits, _ . - starting with a letter or _");
        }
        advance();
        Token op = current;
        if (op.kind != Kind.WORD || !Set.of("is", "eq", "ne", "has", "in").contains(op.lower())) {
            throw error(op.offset, "expected is, eq, ne, has or in after " + key.text + ", not " + describe(op));
        }
        advance();
        if (op.lower().equals("in")) {
            return new SessionFilter.In(key.text, list(key.text + " in"));
        }
        String value = value(key.text + " " + op.lower());
        return switch (op.lower()) {
            case "ne" -> new SessionFilter.NotEquals(key.text, value);
            case "has" -> new SessionFilter.Has(key.text, value);
            default -> new SessionFilter.Equals(key.text, value);
        };
    }

    private String value(String after) {
        Token token = current;
        if (token.kind != Kind.STRING) {
            throw error(token.offset, "expected a quoted value after " + after + ", not " + describe(token));
        }
        advance();
        return token.text;
    }

    private List<String> list(String after) {
        Token open = current;
        if (open.kind != Kind.OPEN_LIST) {
            throw error(open.offset, "expected '[' and a list of quoted values after " + after + ", not " + describe(open));
        }
        advance();
        List<String> values = new ArrayList<>();
        while (current.kind != Kind.CLOSE_LIST) {
            if (current.kind == Kind.COMMA && !values.isEmpty()) {
                advance();
            }
            if (current.kind != Kind.STRING) {
                throw error(current.offset, "expected a quoted value or ']' to close the '[' at " + position(open.offset)
                        + ", not " + describe(current));
            }
            values.add(current.text);
            advance();
        }
        advance();
        return values;
    }

    private void nest(Token token) {
        if (++depth > maxDepth) {
            throw error(token.offset, "nested more than " + maxDepth + " deep");
        }
    }

    private static boolean isKey(String word) {
        if (word.startsWith("$")) {
            return SessionProperties.isUserKey(word.substring(1));
        }
        return SessionProperties.isUserKey(word);
    }

    // ---- the scanner

    private void advance() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
        int start = pos;
        if (pos >= text.length()) {
            current = new Token(Kind.END, "", start);
            return;
        }
        char c = text.charAt(pos);
        switch (c) {
            case '(' -> single(Kind.OPEN, start);
            case ')' -> single(Kind.CLOSE, start);
            case '[' -> single(Kind.OPEN_LIST, start);
            case ']' -> single(Kind.CLOSE_LIST, start);
            case ',' -> single(Kind.COMMA, start);
            case '\'', '"' -> current = new Token(Kind.STRING, quoted(c, start), start);
            default -> {
                while (pos < text.length() && isWordChar(text.charAt(pos))) {
                    pos++;
                }
                if (pos == start) {
                    throw error(start, "unexpected character '" + c + "'");
                }
                current = new Token(Kind.WORD, text.substring(start, pos), start);
            }
        }
    }

    private void single(Kind kind, int start) {
        pos++;
        current = new Token(kind, text.substring(start, pos), start);
    }

    private String quoted(char quote, int start) {
        pos++;
        StringBuilder out = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == quote) {
                return out.toString();
            }
            if (c == '\\') {
                if (pos >= text.length()) {
                    break;
                }
                char next = text.charAt(pos++);
                if (next != '\'' && next != '"' && next != '\\') {
                    throw error(pos - 2, "unknown escape '\\" + next + "': only \\' \\\" and \\\\ are escapes");
                }
                out.append(next);
            } else {
                out.append(c);
            }
        }
        throw error(start, "unterminated quote");
    }

    private static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-' || c == '$';
    }

    private static String describe(Token token) {
        return switch (token.kind) {
            case END -> "the end of the filter";
            case STRING -> "the value '" + shown(token.text) + "'";
            default -> "'" + shown(token.text) + "'";
        };
    }

    private static String shown(String s) {
        return s.length() <= SHOWN ? s : s.substring(0, SHOWN) + "...";
    }

    private String position(int offset) {
        int[] lc = lineColumn(offset);
        return "line " + lc[0] + ", column " + lc[1];
    }

    private int[] lineColumn(int offset) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < offset && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new int[] {line, column};
    }

    private SessionFilterSyntaxException error(int offset, String reason) {
        int[] lc = lineColumn(offset);
        return new SessionFilterSyntaxException(lc[0], lc[1], reason);
    }
}
