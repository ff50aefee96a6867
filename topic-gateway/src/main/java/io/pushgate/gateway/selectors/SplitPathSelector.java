package io.pushgate.gateway.selectors;

import com.google.re2j.Pattern;
import java.util.List;

/** {@code ?p1/p2/...}: one pattern per segment, each matching its segment in full. */
final class SplitPathSelector extends TopicSelector {

    /** A segment's matcher: a literal (compared as a string) or a compiled pattern. */
    record Segment(String literal, Pattern pattern) {

        static Segment literal(String literal) {
            return new Segment(literal, null);
        }

        static Segment pattern(Pattern pattern) {
            return new Segment(null, pattern);
        }

        boolean isLiteral() {
            return literal != null;
        }

        boolean matches(String path, int start, int end) {
            return literal != null
                    ? end - start == literal.length() && path.startsWith(literal, start)
                    : pattern.matches(path.substring(start, end));
        }

        /** As written in a normalized expression: a literal's dots escaped. */
        String expression() {
            return literal != null ? literal.replace(".", "\\.") : pattern.pattern();
        }
    }

    private final List<Segment> segments;
    private final DescendantQualifier qualifier;

    SplitPathSelector(List<Segment> segments, DescendantQualifier qualifier) {
        super(expression(segments, qualifier), leadingLiterals(segments));
        this.segments = List.copyOf(segments);
        this.qualifier = qualifier;
    }

    @Override
    boolean matchesValidPath(String path) {
        int start = 0;
        for (Segment segment : segments) {
            if (start > path.length()) {
                return false; // the path has fewer segments
            }
            int slash = path.indexOf('/', start);
            int end = slash < 0 ? path.length() : slash;
            if (!segment.matches(path, start, end)) {
                return false;
            }
            start = end + 1;
        }
        boolean deeper = start <= path.length(); // the path goes on below the matched segments
        return switch (qualifier) {
            case MATCH -> !deeper;
            case DESCENDANTS_OF_MATCH -> deeper;
            case MATCH_AND_DESCENDANTS -> true;
        };
    }

    @Override
    public Type type() {
        return Type.SPLIT_PATH_PATTERN;
    }

    private static String expression(List<Segment> segments, DescendantQualifier qualifier) {
        StringBuilder expression = new StringBuilder("?");
        for (Segment segment : segments) {
            expression.append(expression.length() > 1 ? "/" : "").append(segment.expression());
        }
        return expression.append(qualifier.suffix()).toString();
    }

    /** Every selected path starts with the literal segments that lead the pattern. */
    private static String leadingLiterals(List<Segment> segments) {
        StringBuilder root = new StringBuilder();
        for (Segment segment : segments) {
            if (!segment.isLiteral()) {
                break;
            }
            root.append(root.length() > 0 ? "/" : "").append(segment.literal());
        }
        return root.toString();
    }
}
