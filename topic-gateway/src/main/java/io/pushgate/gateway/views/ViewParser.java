package io.pushgate.gateway.views;

import io.pushgate.protocol.TopicType;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Parses the view language:
 *
 * <pre>
 * map SELECTOR to TEMPLATE [as &lt;value(/pointer)&gt;] [throttle to N update[s] every T]
 *     [delay by T] [type JSON|STRING|INT64|DOUBLE|BINARY] [separator 'x']
 * </pre>
 *
 * Keywords in any case, tokens separated by any whitespace including newlines, clauses in any
 * order and each at most once (as in Diffusion). An invalid view throws a
 * {@link ViewSyntaxException} that points at the offending token.
 */
public final class ViewParser {

    /** Diffusion clauses Pushgate does not have: named as such rather than "unknown". */
    private static final Set<String> UNSUPPORTED = Set.of("from", "with", "patch", "process", "insert", "preserve");
    private static final Set<String> CLAUSES = Set.of("as", "throttle", "delay", "type", "separator");

    private final String text;
    private final DslScanner in;
    private final Set<String> seen = new HashSet<>();

    private String selector;
    private PathTemplate target;
    private Optional<String> valuePointer = Optional.empty();
    private Optional<Throttle> throttle = Optional.empty();
    private Optional<Duration> delay = Optional.empty();
    private Optional<TopicType> type = Optional.empty();
    private Optional<String> separator = Optional.empty();

    private ViewParser(String text) {
        this.text = text;
        this.in = new DslScanner(text);
    }

    /** Parses a view, or throws {@link ViewSyntaxException} (an {@code INVALID} protocol error). */
    public static ViewSpec parse(String text) {
        if (text == null || text.isBlank()) {
            throw new ViewSyntaxException(1, 1, "empty text");
        }
        return new ViewParser(text).view();
    }

    private ViewSpec view() {
        in.skipWhitespace();
        keyword("map");
        selector();
        keyword("to");
        in.skipWhitespace();
        target = new TemplateParser(in).template();
        for (in.skipWhitespace(); !in.atEnd(); in.skipWhitespace()) {
            clause();
        }
        return new ViewSpec(text, selector, target, valuePointer, throttle, delay, type, separator);
    }

    private void selector() {
        in.skipWhitespace();
        int at = in.pos();
        if (in.atEnd()) {
            throw in.error(at, "missing selector");
        }
        char c = in.peek();
        if (c == '"' || c == '\'') {
            selector = in.quoted();
            in.endOfToken("the closing quote of the selector");
            if (selector.isEmpty()) {
                throw in.error(at, "missing selector");
            }
            return;
        }
        selector = in.word();
        if (selector.equalsIgnoreCase("to") && !nextWordIs("to")) {
            throw in.error(at, "missing selector"); // "map to x": the user forgot the selector
        }
    }

    private boolean nextWordIs(String word) {
        int mark = in.pos();
        in.skipWhitespace();
        boolean is = in.word().equalsIgnoreCase(word);
        in.rewind(mark);
        return is;
    }

    private void clause() {
        int at = in.pos();
        String word = in.word();
        String clause = word.toLowerCase(Locale.ROOT);
        if (clause.equals("map")) {
            throw in.error(at, "text after the end of the view: a view has one 'map'");
        }
        if (UNSUPPORTED.contains(clause)) {
            throw in.error(at, "unsupported clause '" + word + "': expected as, throttle, delay, type or separator");
        }
        if (!CLAUSES.contains(clause)) {
            throw in.error(at, "unknown clause '" + DslScanner.shown(word)
                    + "': expected as, throttle, delay, type or separator");
        }
        if (!seen.add(clause)) {
            throw in.error(at, "duplicated clause '" + clause + "'");
        }
        switch (clause) {
            case "as" -> valuePointer = Optional.of(valueDirective());
            case "throttle" -> throttle = Optional.of(throttleClause());
            case "delay" -> {
                keyword("by");
                delay = Optional.of(duration());
            }
            case "type" -> type = Optional.of(topicType());
            default -> separator = Optional.of(separatorClause());
        }
    }

    private String valueDirective() {
        in.skipWhitespace();
        int at = in.pos();
        if (in.atEnd() || in.peek() != '<') {
            throw in.error(at, "expected <value(/pointer)> after 'as'");
        }
        in.advance();
        if (!in.name().equalsIgnoreCase("value") || in.atEnd() || in.peek() != '(') {
            throw in.error(at, "expected <value(/pointer)> after 'as'");
        }
        in.advance();
        String pointer = pointer(in, at);
        in.advance(); // ')'
        if (in.atEnd() || in.peek() != '>') {
            throw in.error(in.pos(), "expected '>'");
        }
        in.advance();
        in.endOfToken("<value(...)>");
        return pointer;
    }

    private Throttle throttleClause() {
        keyword("to");
        in.skipWhitespace();
        int at = in.pos();
        if (in.atEnd()) {
            throw in.error(at, "expected a number of updates");
        }
        int updates = integer(in, in.word(), at, 1, "a positive integer");
        in.skipWhitespace();
        at = in.pos();
        String word = in.word();
        if (!word.equalsIgnoreCase("update") && !word.equalsIgnoreCase("updates")) {
            throw in.error(at, "expected 'update' or 'updates'");
        }
        keyword("every");
        return new Throttle(updates, duration());
    }

    /** {@code N unit} or, as in Diffusion's {@code every second}, a bare singular unit. */
    private Duration duration() {
        in.skipWhitespace();
        int at = in.pos();
        if (in.atEnd()) {
            throw in.error(at, "expected a duration such as '5 seconds'");
        }
        String word = in.word();
        if (!word.isEmpty() && Character.isDigit(word.charAt(0))) {
            int count = integer(in, word, at, 1, "a positive integer");
            in.skipWhitespace();
            int unitAt = in.pos();
            String unit = in.word();
            if (unit.isEmpty()) {
                throw in.error(unitAt, "expected a unit: " + DurationUnit.UNITS);
            }
            DurationUnit d = DurationUnit.unit(unit);
            if (d == null) {
                throw in.error(unitAt, "unknown unit '" + DslScanner.shown(unit) + "': expected " + DurationUnit.UNITS);
            }
            return d.of(count);
        }
        if (DurationUnit.isSingular(word)) {
            return DurationUnit.unit(word).of(1);
        }
        if (DurationUnit.unit(word) != null) {
            throw in.error(at, "expected a number before '" + word + "'");
        }
        throw in.error(at, "expected a duration such as '5 seconds', found '" + DslScanner.shown(word) + "'");
    }

    private TopicType topicType() {
        in.skipWhitespace();
        int at = in.pos();
        String word = in.word();
        String expected = "expected JSON, STRING, INT64, DOUBLE or BINARY";
        if (word.isEmpty()) {
            throw in.error(at, "expected a topic type: " + expected.substring("expected ".length()));
        }
        for (TopicType t : ViewSpec.TARGET_TYPES) {
            if (t.name().equalsIgnoreCase(word)) {
                return t;
            }
        }
        if (word.equalsIgnoreCase(TopicType.TIME_SERIES.name())) {
            throw in.error(at, "unsupported type '" + word + "' for a reference topic: " + expected);
        }
        throw in.error(at, "unknown type '" + DslScanner.shown(word) + "': " + expected);
    }

    private String separatorClause() {
        in.skipWhitespace();
        int at = in.pos();
        if (in.atEnd() || (in.peek() != '\'' && in.peek() != '"')) {
            throw in.error(at, "expected a quoted separator such as '_'");
        }
        String value = in.quoted();
        in.endOfToken("the separator");
        String problem = Separators.problem(value);
        if (problem != null) {
            throw in.error(at, "bad separator '" + DslScanner.shown(value) + "': " + problem);
        }
        return value;
    }

    private void keyword(String keyword) {
        in.skipWhitespace();
        int at = in.pos();
        if (!in.word().equalsIgnoreCase(keyword)) {
            throw in.error(at, "expected '" + keyword + "'");
        }
    }

    /** The JSON pointer argument of a directive whose '(' was just read; leaves the ')' unread. */
    static String pointer(DslScanner in, int directiveStart) {
        int at = in.pos();
        String pointer = in.pointerArgument(directiveStart);
        String problem = JsonPointers.problem(pointer);
        if (problem != null) {
            throw in.error(at, "bad pointer '" + DslScanner.shown(pointer) + "': " + problem);
        }
        return pointer;
    }

    /** A decimal integer token, at least {@code min}. */
    static int integer(DslScanner in, String token, int at, int min, String expected) {
        String shown = "bad number '" + DslScanner.shown(token) + "': ";
        if (!token.chars().allMatch(c -> c >= '0' && c <= '9') || token.isEmpty()) {
            throw in.error(at, shown + "expected " + expected);
        }
        String digits = token.replaceFirst("^0+(?=.)", "");
        if (digits.length() > 10 || Long.parseLong(digits) > Integer.MAX_VALUE) {
            throw in.error(at, shown + "at most " + Integer.MAX_VALUE);
        }
        int value = Integer.parseInt(digits);
        if (value < min) {
            throw in.error(at, shown + "expected " + expected);
        }
        return value;
    }
}
