package io.pushgate.gateway.selectors;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.pushgate.gateway.selectors.RegexLexer.Kind;
import io.pushgate.gateway.selectors.RegexLexer.Token;
import io.pushgate.protocol.TopicPath;
import java.util.List;

/** What the selector forms need from a lexed pattern: compilation, and its literal parts. */
final class SelectorPatterns {

    private SelectorPatterns() {
    }

    /** Compiles a pattern (already lexed, so within bounds) with RE2/J, which matches in linear time. */
    static Pattern compile(String regex, int offset) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            String culprit = e.getPattern() == null || e.getPattern().isEmpty() ? "" : " '" + e.getPattern() + "'";
            throw new SelectorSyntaxError("invalid regular expression '" + regex + "' at index " + offset + ": "
                    + e.getDescription() + culprit + " (RE2 syntax)");
        }
    }

    /**
     * The segment a pattern stands for if it is made only of literal segment characters (a {@code .}
     * only escaped or quoted, since a plain one is "any character"), else {@code null}. Such a pattern
     * is matched by comparing strings, and indexed like a path.
     */
    static String literalSegment(List<Token> tokens) {
        StringBuilder literal = new StringBuilder(tokens.size());
        for (Token token : tokens) {
            if (token.kind() != Kind.LITERAL || !TopicPath.isSegmentChar(token.literal())) {
                return null;
            }
            literal.append(token.literal());
        }
        return literal.length() == 0 ? null : literal.toString();
    }

    /** The literal text every match of a full-path pattern starts with; {@code whole} if it is all of it. */
    record LiteralPrefix(String text, boolean whole) {

        /**
         * The longest path that every match equals or descends from: the whole literal if the pattern is
         * only that literal, else the literal up to its last '/' (a match of {@code a/bc.*} may be
         * {@code a/bcd}, which descends from {@code a} only).
         */
        String rootPath() {
            String root = whole ? text : text.substring(0, Math.max(text.lastIndexOf('/'), 0));
            return TopicPath.isValid(root) ? root : "";
        }
    }

    /**
     * The literal prefix of a full-path pattern. A top-level alternation ({@code a/b|c}) means there is
     * none; a quantified last literal ({@code a/bc?}) is not part of it.
     */
    static LiteralPrefix literalPrefix(List<Token> tokens) {
        int depth = 0;
        for (Token token : tokens) {
            depth += token.kind() == Kind.OPEN ? 1 : token.kind() == Kind.CLOSE ? -1 : 0;
            if (depth == 0 && token.kind() == Kind.ALTERNATION) {
                return new LiteralPrefix("", false);
            }
        }
        StringBuilder literal = new StringBuilder();
        int k = 0;
        while (k < tokens.size() && isPathLiteral(tokens.get(k))) {
            literal.append(tokens.get(k).literal());
            k++;
        }
        if (k < tokens.size() && tokens.get(k).kind() == Kind.QUANTIFIER && literal.length() > 0) {
            literal.setLength(literal.length() - 1);
        }
        return new LiteralPrefix(literal.toString(), k == tokens.size());
    }

    private static boolean isPathLiteral(Token token) {
        return token.kind() == Kind.LITERAL && (token.literal() == '/' || TopicPath.isSegmentChar(token.literal()));
    }
}
