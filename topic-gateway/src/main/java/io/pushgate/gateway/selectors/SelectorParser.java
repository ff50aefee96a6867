package io.pushgate.gateway.selectors;

import com.google.re2j.Pattern;
import io.pushgate.gateway.selectors.RegexLexer.Token;
import io.pushgate.protocol.ProtocolException;
import io.pushgate.protocol.TopicPath;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Turns an expression into a {@link TopicSelector} (the forms and rules are in its Javadoc). Every
 * index in an error message is an index in the whole expression.
 */
final class SelectorParser {

    private SelectorParser() {
    }

    static TopicSelector parse(String expression) {
        if (expression == null || expression.isEmpty()) {
            throw ProtocolException.invalid("empty topic selector");
        }
        if (expression.length() > TopicSelector.MAX_EXPRESSION_LENGTH) {
            throw ProtocolException.invalid("topic selector longer than " + TopicSelector.MAX_EXPRESSION_LENGTH
                    + " characters (" + expression.length() + ")");
        }
        try {
            return parse(expression, 0);
        } catch (SelectorSyntaxError e) {
            throw ProtocolException.invalid("invalid topic selector '" + abbreviate(expression) + "': " + e.getMessage());
        }
    }

    /** Parses {@code text}, found at {@code offset} in the whole expression. */
    private static TopicSelector parse(String text, int offset) {
        switch (text.charAt(0)) {
            case '>':
                return path(text.substring(1), offset + 1);
            case '?':
                return splitPath(text.substring(1), offset + 1);
            case '*':
                return fullPath(text.substring(1), offset + 1);
            case '#':
                return set(text.substring(1), offset + 1);
            default:
                return path(text, offset);
        }
    }

    private static TopicSelector path(String text, int offset) {
        int trailing = 0;
        while (trailing < text.length() && text.charAt(text.length() - 1 - trailing) == '/') {
            trailing++;
        }
        DescendantQualifier qualifier = qualifier(trailing, offset + text.length() - trailing);
        String path = text.substring(0, text.length() - trailing);
        if (path.isEmpty()) {
            throw new SelectorSyntaxError("a path selector needs a topic path at index " + offset
                    + " (to select every topic, use '?.*//')");
        }
        checkPath(path, offset);
        return new PathSelector(path, qualifier);
    }

    /** {@link TopicPath#validate}'s rules, with indices into the expression. */
    private static void checkPath(String path, int offset) {
        if (path.length() > TopicPath.MAX_LENGTH) {
            throw new SelectorSyntaxError("topic path at index " + offset + " is longer than " + TopicPath.MAX_LENGTH
                    + " characters");
        }
        for (int k = 0; k < path.length(); k++) {
            char c = path.charAt(k);
            if (c == '/' && (k == 0 || path.charAt(k - 1) == '/')) {
                throw new SelectorSyntaxError("empty path segment at index " + (offset + k)
                        + " (a topic path has no leading '/', and '//' or '/' qualifies only at the end)");
            }
            if (c != '/' && !TopicPath.isSegmentChar(c) && !(c == TopicPath.RESERVED && k == 0)) {
                throw new SelectorSyntaxError("character '" + c + "' at index " + (offset + k)
                        + " is not allowed in a topic path (segments are made of A-Z a-z 0-9 _ . -; only the gateway's own paths start with $)");
            }
        }
    }

    private static TopicSelector splitPath(String text, int offset) {
        List<Token> tokens = RegexLexer.lex(text, offset);
        int trailing = trailingSeparators(tokens);
        DescendantQualifier qualifier = qualifier(trailing, offset + text.length() - trailing);
        int bodyEnd = text.length() - trailing;
        if (bodyEnd == 0) {
            throw new SelectorSyntaxError("a split-path pattern needs at least one segment at index " + offset);
        }
        List<SplitPathSelector.Segment> segments = new ArrayList<>();
        int start = 0;
        for (Token token : tokens) {
            if (token.start() >= bodyEnd) {
                break;
            }
            if (token.isSeparator()) {
                segments.add(segment(text.substring(start, token.start()), offset + start));
                start = token.end();
            }
        }
        segments.add(segment(text.substring(start, bodyEnd), offset + start));
        SplitPathSelector pattern = new SplitPathSelector(segments, qualifier);
        // only literals: the root path is all of it, and a path selector is the same, cheaper selector
        boolean allLiteral = segments.stream().allMatch(SplitPathSelector.Segment::isLiteral);
        if (allLiteral && pattern.rootPath().length() <= TopicPath.MAX_LENGTH) {
            return new PathSelector(pattern.rootPath(), qualifier);
        }
        return pattern;
    }

    private static SplitPathSelector.Segment segment(String regex, int offset) {
        if (regex.isEmpty()) {
            throw new SelectorSyntaxError("empty segment pattern at index " + offset
                    + " ('//' or '/' qualifies only at the end)");
        }
        String literal = SelectorPatterns.literalSegment(RegexLexer.lex(regex, offset));
        return literal != null
                ? SplitPathSelector.Segment.literal(literal)
                : SplitPathSelector.Segment.pattern(SelectorPatterns.compile(regex, offset));
    }

    private static TopicSelector fullPath(String text, int offset) {
        List<Token> tokens = RegexLexer.lex(text, offset);
        int trailing = trailingSeparators(tokens);
        DescendantQualifier qualifier = qualifier(trailing, offset + text.length() - trailing);
        String regex = text.substring(0, text.length() - trailing);
        if (regex.isEmpty()) {
            throw new SelectorSyntaxError("a full-path pattern needs a regular expression at index " + offset);
        }
        Pattern compiled = SelectorPatterns.compile(regex, offset);
        SelectorPatterns.LiteralPrefix prefix = SelectorPatterns.literalPrefix(tokens.subList(0, tokens.size() - trailing));
        if (prefix.whole() && TopicPath.isValid(prefix.text())) {
            return new PathSelector(prefix.text(), qualifier);
        }
        return new FullPathSelector(regex, compiled, qualifier, prefix.rootPath());
    }

    /** See {@link TopicSelector} for how members are separated; the result is normalized. */
    private static TopicSelector set(String text, int offset) {
        TreeMap<String, TopicSelector> members = new TreeMap<>();
        int memberStart = 0;
        int k = 0;
        while (k <= text.length()) {
            int run = 0;
            while (k + run < text.length() && text.charAt(k + run) == '/') {
                run++;
            }
            if (k == text.length() || run >= 4) {
                int memberEnd = k + run % 4; // the slashes beyond the separators qualify the member
                addMembers(members, text.substring(memberStart, memberEnd), offset + memberStart);
                memberStart = k + run;
            }
            k += Math.max(run, 1);
        }
        if (members.isEmpty()) {
            throw new SelectorSyntaxError("a selector set needs at least one selector at index " + offset);
        }
        return members.size() == 1
                ? members.firstEntry().getValue()
                : new SelectorSet(new ArrayList<>(members.values()));
    }

    private static void addMembers(TreeMap<String, TopicSelector> members, String text, int offset) {
        if (text.isEmpty()) {
            return;
        }
        try {
            for (TopicSelector member : parse(text, offset).members()) {
                members.putIfAbsent(member.expression(), member);
            }
        } catch (SelectorSyntaxError e) {
            throw new SelectorSyntaxError("set member '" + abbreviate(text) + "': " + e.getMessage());
        }
    }

    private static int trailingSeparators(List<Token> tokens) {
        int trailing = 0;
        while (trailing < tokens.size() && tokens.get(tokens.size() - 1 - trailing).isSeparator()) {
            trailing++;
        }
        return trailing;
    }

    private static DescendantQualifier qualifier(int trailingSlashes, int index) {
        if (trailingSlashes > 2) {
            throw new SelectorSyntaxError(trailingSlashes + " trailing '/' at index " + index
                    + ": end with '//' for a path and its descendants, or '/' for its descendants only");
        }
        return DescendantQualifier.ofTrailingSeparators(trailingSlashes);
    }

    private static String abbreviate(String s) {
        return s.length() <= 100 ? s : s.substring(0, 97) + "...";
    }
}
