package io.pushgate.client;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which topic paths a selector matches, on the client's side: the gateway sends one stream of
 * values per topic, whatever the number of selectors that matched it, and the client uses this to
 * hand each topic to the subscriptions whose selectors match it.
 *
 * <p>The five forms of the contract: {@code >path} (or a bare path), {@code ?split/path/pattern},
 * {@code *full-path-pattern}, {@code #sel1////sel2}, each with the descendant qualifiers
 * {@code //} (the path and its descendants) and {@code /} (descendants only). Patterns must match
 * a whole segment (split-path) or the whole path (full-path).
 *
 * <p>The gateway uses RE2 regular expressions; this uses {@code java.util.regex}, which reads the
 * same syntax the same way for everything but a few rarities (e.g. RE2's {@code (?P<name>...)}).
 * A selector this cannot read is <em>uncertain</em>: the client then hands it the topics that no
 * certain selector matches, so that nothing the gateway sends is lost.
 */
final class SelectorMatcher {

    private interface Rule {
        boolean matches(String path);
    }

    private enum Scope {
        /** Only the matching paths themselves. */
        SELF,
        /** {@code //}: the matching paths and all their descendants. */
        SELF_AND_DESCENDANTS,
        /** {@code /}: only the descendants of the matching paths. */
        DESCENDANTS
    }

    private static final Rule NOTHING = path -> false;

    private final String selector;
    private final Rule rule;
    private final boolean certain;

    private SelectorMatcher(String selector, Rule rule, boolean certain) {
        this.selector = selector;
        this.rule = rule;
        this.certain = certain;
    }

    /** Reads a selector. Never throws: a selector it cannot read is {@link #certain() uncertain}. */
    static SelectorMatcher parse(String selector) {
        try {
            return new SelectorMatcher(selector, rule(selector), true);
        } catch (IllegalArgumentException e) { // a PatternSyntaxException, or a malformed selector
            return new SelectorMatcher(selector, NOTHING, false);
        }
    }

    /**
     * The form of a selector the client uses as its key: a bare path is written as {@code >path},
     * which is what the contract says it means.
     */
    static String normalize(String selector) {
        if (selector.isEmpty()) {
            return selector;
        }
        char first = selector.charAt(0);
        return first == '>' || first == '?' || first == '*' || first == '#' ? selector : ">" + selector;
    }

    String selector() {
        return selector;
    }

    /** False when the selector could not be read here (the gateway may still accept it). */
    boolean certain() {
        return certain;
    }

    boolean matches(String path) {
        return rule.matches(path);
    }

    private static Rule rule(String selector) {
        if (selector.isEmpty()) {
            throw new IllegalArgumentException("empty selector");
        }
        switch (selector.charAt(0)) {
            case '#': {
                List<Rule> rules = new ArrayList<>();
                for (String part : selector.substring(1).split("////", -1)) {
                    if (!part.isEmpty()) {
                        rules.add(rule(part));
                    }
                }
                if (rules.isEmpty()) {
                    throw new IllegalArgumentException("empty selector set");
                }
                return path -> rules.stream().anyMatch(r -> r.matches(path));
            }
            case '>':
                return pathRule(selector.substring(1));
            case '?':
                return splitPathRule(selector.substring(1));
            case '*':
                return fullPathRule(selector.substring(1));
            default:
                return pathRule(selector);
        }
    }

    private static Scope scope(String body) {
        if (body.endsWith("//")) {
            return Scope.SELF_AND_DESCENDANTS;
        }
        return body.endsWith("/") ? Scope.DESCENDANTS : Scope.SELF;
    }

    private static String stripScope(String body, Scope scope) {
        return switch (scope) {
            case SELF -> body;
            case DESCENDANTS -> body.substring(0, body.length() - 1);
            case SELF_AND_DESCENDANTS -> body.substring(0, body.length() - 2);
        };
    }

    private static Rule pathRule(String body) {
        Scope scope = scope(body);
        String base = stripScope(body, scope);
        if (base.isEmpty()) {
            throw new IllegalArgumentException("empty path");
        }
        String prefix = base + "/";
        return switch (scope) {
            case SELF -> base::equals;
            case DESCENDANTS -> path -> path.startsWith(prefix);
            case SELF_AND_DESCENDANTS -> path -> path.equals(base) || path.startsWith(prefix);
        };
    }

    private static Rule splitPathRule(String body) {
        Scope scope = scope(body);
        List<String> parts = splitSegments(stripScope(body, scope));
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("empty split-path pattern");
        }
        Pattern[] patterns = new Pattern[parts.size()];
        for (int i = 0; i < patterns.length; i++) {
            patterns[i] = Pattern.compile(parts.get(i));
        }
        return path -> {
            String[] segments = path.split("/", -1);
            int n = patterns.length;
            boolean depthOk = switch (scope) {
                case SELF -> segments.length == n;
                case DESCENDANTS -> segments.length > n;
                case SELF_AND_DESCENDANTS -> segments.length >= n;
            };
            if (!depthOk) {
                return false;
            }
            for (int i = 0; i < n; i++) {
                if (!patterns[i].matcher(segments[i]).matches()) {
                    return false;
                }
            }
            return true;
        };
    }

    private static Rule fullPathRule(String body) {
        Scope scope = scope(body);
        Pattern pattern = Pattern.compile(stripScope(body, scope));
        return path -> {
            if (scope != Scope.DESCENDANTS && pattern.matcher(path).matches()) {
                return true;
            }
            if (scope == Scope.SELF) {
                return false;
            }
            // an ancestor of the path (a prefix ending before a '/') matches
            for (int i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) {
                if (pattern.matcher(path.substring(0, i)).matches()) {
                    return true;
                }
            }
            return false;
        };
    }

    /**
     * Splits a split-path pattern into one expression per segment, on the {@code /} that are
     * neither escaped nor inside a character class ({@code ?a/[^/]+/c} is three segments).
     */
    static List<String> splitSegments(String pattern) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inClass = false;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) {
                current.append(c).append(pattern.charAt(++i));
                continue;
            }
            if (inClass) {
                if (c == ']') {
                    inClass = false;
                }
            } else if (c == '[') {
                inClass = true;
                current.append(c);
                // a ']' right after '[' or '[^' is a literal member of the class
                int j = i + 1;
                if (j < pattern.length() && pattern.charAt(j) == '^') {
                    current.append('^');
                    j++;
                }
                if (j < pattern.length() && pattern.charAt(j) == ']') {
                    current.append(']');
                    j++;
                }
                i = j - 1;
                continue;
            } else if (c == '/') {
                parts.add(current.toString());
                current.setLength(0);
                continue;
            }
            current.append(c);
        }
        if (inClass) {
            throw new IllegalArgumentException("unclosed character class");
        }
        parts.add(current.toString());
        for (String part : parts) {
            if (part.isEmpty()) {
                throw new IllegalArgumentException("empty segment");
            }
        }
        return parts;
    }

    @Override
    public String toString() {
        return selector;
    }
}
