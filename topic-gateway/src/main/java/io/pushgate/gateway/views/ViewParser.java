package io.pushgate.gateway.views;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.TopicType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Parses the view language, in Diffusion's order:
 *
 * <pre>
 * map SELECTOR [from SERVER] to TEMPLATE              the mapping
 *     [patch '...' | process {...}]... [insert ...]...  transformations, every insert last
 *     [with properties K:V, ...] [as &lt;value(/pointer)&gt;] [throttle to N update[s] every T]
 *     [delay by T] [type JSON|STRING|INT64|DOUBLE|BINARY] [separator 'x'] [preserve topics]
 *     [live inserts]                                   options, any order, each at most once
 * </pre>
 *
 * Keywords in any case, tokens separated by any whitespace including newlines. {@code live inserts}
 * is Pushgate's extension (see {@link ViewSpec#liveInserts()}). An invalid view throws a
 * {@link ViewSyntaxException} that points at the offending token.
 */
public final class ViewParser {

    private static final Set<String> TRANSFORMATIONS = Set.of("patch", "process", "insert");
    private static final Set<String> OPTIONS = Set.of("with", "as", "throttle", "delay", "type", "separator", "preserve", "live");
    static final String EXPECTED_CLAUSES = "expected patch, process, insert, with properties, as, throttle, delay, type, separator,"
            + " preserve topics or live inserts";

    private final String text;
    private final DslScanner in;
    private final Set<String> seen = new HashSet<>();

    private String selector;
    private Optional<String> remoteServer = Optional.empty();
    private PathTemplate target;
    private final List<Transformation> transformations = new ArrayList<>();
    private boolean optionSeen;
    private boolean insertSeen;
    private Optional<String> valuePointer = Optional.empty();
    private Optional<Throttle> throttle = Optional.empty();
    private Optional<Duration> delay = Optional.empty();
    private Optional<TopicType> type = Optional.empty();
    private Optional<String> separator = Optional.empty();
    private final Map<String, String> properties = new LinkedHashMap<>();
    private boolean preserveTopics;
    private boolean liveInserts;
    private int liveInsertsAt;

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
        if (nextWordIs("from")) {
            keyword("from");
            remoteServer = Optional.of(server());
        }
        keyword("to");
        in.skipWhitespace();
        target = TemplateParser.quotedOrPlain(in, true, "path template");
        for (in.skipWhitespace(); !in.atEnd(); in.skipWhitespace()) {
            clause();
        }
        if (liveInserts && !insertSeen) {
            throw in.error(liveInsertsAt, "'live inserts' without an insert: there is no inserted topic to watch");
        }
        return new ViewSpec(text, selector, remoteServer, target, transformations, valuePointer, throttle, delay, type, separator,
                properties, preserveTopics, liveInserts);
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

    /** The name of a remote server: a word ({@code \x} escapes) or a quoted name such as 'Remote Server 1'. */
    private String server() {
        in.skipWhitespace();
        int at = in.pos();
        String name;
        if (!in.atEnd() && (in.peek() == '"' || in.peek() == '\'')) {
            name = in.quoted();
            in.endOfToken("the closing quote of the server name");
        } else {
            name = in.escapedWord("");
        }
        if (name.isEmpty() || name.equalsIgnoreCase("to") && !nextWordIs("to")) {
            throw in.error(at, "expected the name of a remote server after 'from'");
        }
        return name;
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
        if (clause.equals("from")) {
            throw in.error(at, "'from' belongs between the selector and 'to'");
        }
        if (TRANSFORMATIONS.contains(clause)) {
            if (optionSeen) {
                throw in.error(at, "'" + clause + "' after an option: transformations (patch, process, insert) come before the options");
            }
            if (insertSeen && !clause.equals("insert")) {
                throw in.error(at, "'" + clause + "' after an insert: every insert comes after the other transformations");
            }
            in.skipWhitespace();
            switch (clause) {
                case "patch" -> transformations.add(patch());
                case "process" -> transformations.add(new Transformation.Process(ProcessParser.parse(in)));
                default -> {
                    transformations.add(insert());
                    insertSeen = true;
                }
            }
            return;
        }
        if (!OPTIONS.contains(clause)) {
            throw in.error(at, "unknown clause '" + DslScanner.shown(word) + "': " + EXPECTED_CLAUSES);
        }
        if (!seen.add(clause)) {
            throw in.error(at, "duplicated clause '" + clause + "'");
        }
        optionSeen = true;
        switch (clause) {
            case "as" -> valuePointer = Optional.of(valueDirective());
            case "throttle" -> throttle = Optional.of(throttleClause());
            case "delay" -> {
                keyword("by");
                delay = Optional.of(duration());
            }
            case "type" -> type = Optional.of(topicType());
            case "with" -> {
                keyword("properties");
                withProperties();
            }
            case "preserve" -> {
                keyword("topics");
                preserveTopics = true;
            }
            case "live" -> {
                keyword("inserts");
                liveInserts = true;
                liveInsertsAt = at;
            }
            default -> separator = Optional.of(separatorClause());
        }
    }

    /** {@code patch '[...]'}: an RFC 6902 patch, checked for its shape here so that a view that could never apply it is refused. */
    private Transformation.Patch patch() {
        int at = in.pos();
        if (in.atEnd() || (in.peek() != '\'' && in.peek() != '"')) {
            throw in.error(at, "expected a quoted JSON patch after 'patch', such as '[{\"op\": \"remove\", \"path\": \"/x\"}]'");
        }
        String json = in.quoted();
        in.endOfToken("the patch");
        JsonNode patch;
        try {
            patch = Json.MAPPER.readTree(json);
        } catch (java.io.IOException | RuntimeException e) {
            throw in.error(at, "bad patch: not JSON");
        }
        if (patch == null || !patch.isArray()) {
            throw in.error(at, "bad patch: an RFC 6902 patch is an array of operations");
        }
        for (int i = 0; i < patch.size(); i++) {
            String problem = patchOperationProblem(patch.get(i));
            if (problem != null) {
                throw in.error(at, "bad patch: operation " + i + " " + problem);
            }
        }
        return new Transformation.Patch(patch);
    }

    private static String patchOperationProblem(JsonNode op) {
        if (!op.isObject()) {
            return "is not an object";
        }
        String name = op.path("op").asText("");
        if (!Set.of("add", "remove", "replace", "move", "copy", "test").contains(name) || !op.path("op").isTextual()) {
            return "has no op add, remove, replace, move, copy or test";
        }
        if (!op.path("path").isTextual() || JsonPointers.problem(op.path("path").textValue()) != null) {
            return "has no valid 'path'";
        }
        if ((name.equals("move") || name.equals("copy"))
                && (!op.path("from").isTextual() || JsonPointers.problem(op.path("from").textValue()) != null)) {
            return "(" + name + ") has no valid 'from'";
        }
        if (Set.of("add", "replace", "test").contains(name) && !op.has("value")) {
            return "(" + name + ") has no 'value'";
        }
        return null;
    }

    /** {@code insert PATH [key POINTER] at POINTER [default VALUE]}. */
    private Transformation.Insert insert() {
        int at = in.pos();
        if (in.atEnd()) {
            throw in.error(at, "expected the path of the topic to insert after 'insert'");
        }
        PathTemplate path = TemplateParser.quotedOrPlain(in, false, "insert path");
        Optional<String> key = Optional.empty();
        if (nextWordIs("key")) {
            keyword("key");
            key = Optional.of(wordPointer("key", true));
        }
        keyword("at", "expected 'at' (or 'key') after the path of the insert");
        String atPointer = wordPointer("at", false);
        Optional<JsonNode> fallback = Optional.empty();
        if (nextWordIs("default")) {
            keyword("default");
            in.skipWhitespace();
            int valueAt = in.pos();
            if (in.atEnd()) {
                throw in.error(valueAt, "expected a value after 'default'");
            }
            if (in.peek() == '\'' || in.peek() == '"') {
                fallback = Optional.of(TextNode.valueOf(in.quoted()));
                in.endOfToken("the default");
            } else {
                String word = in.escapedWord("");
                fallback = Optional.of(ProcessParser.literal(in, word, valueAt).orElse(TextNode.valueOf(word)));
            }
        }
        return new Transformation.Insert(path, key, atPointer, fallback);
    }

    private String wordPointer(String after, boolean emptyAllowed) {
        in.skipWhitespace();
        int at = in.pos();
        String pointer = in.escapedWord("");
        if (pointer.isEmpty() && !emptyAllowed) {
            throw in.error(at, "expected a JSON pointer after '" + after + "', such as /name or /-");
        }
        String problem = JsonPointers.problem(pointer);
        if (problem == null && pointer.isEmpty()) {
            problem = "expected a JSON pointer such as /name";
        }
        if (problem != null) {
            throw in.error(at, "bad pointer '" + DslScanner.shown(pointer) + "': " + problem);
        }
        return pointer;
    }

    /** {@code with properties K:V, K:V...}, keys and values plain, escaped or quoted. */
    private void withProperties() {
        while (true) {
            in.skipWhitespace();
            int keyAt = in.pos();
            String rawKey = propertyToken(":,");
            if (rawKey.isEmpty()) {
                throw in.error(keyAt, "expected a property such as CONFLATION:off after 'with properties'");
            }
            String key = PropertyMapping.key(rawKey);
            String problem = PropertyMapping.keyProblem(key);
            if (problem != null) {
                throw in.error(keyAt, problem);
            }
            if (properties.containsKey(key)) {
                throw in.error(keyAt, "duplicated property " + key);
            }
            in.skipWhitespace();
            if (in.atEnd() || in.peek() != ':') {
                throw in.error(in.pos(), "expected ':' and a value after the property " + key);
            }
            in.advance();
            in.skipWhitespace();
            int valueAt = in.pos();
            String raw = propertyToken(",");
            String value = PropertyMapping.value(key, raw);
            if (value == null) {
                throw in.error(valueAt, "bad value '" + DslScanner.shown(raw) + "' for " + key + ": expected "
                        + PropertyMapping.expectedValue(key));
            }
            properties.put(key, value);
            int mark = in.pos();
            in.skipWhitespace();
            if (in.atEnd() || in.peek() != ',') {
                in.rewind(mark);
                return;
            }
            in.advance();
        }
    }

    private String propertyToken(String ends) {
        if (!in.atEnd() && (in.peek() == '\'' || in.peek() == '"')) {
            return in.quoted();
        }
        return in.escapedWord(ends);
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
        keyword(keyword, "expected '" + keyword + "'");
    }

    private void keyword(String keyword, String message) {
        in.skipWhitespace();
        int at = in.pos();
        if (!in.word().equalsIgnoreCase(keyword)) {
            throw in.error(at, message);
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
