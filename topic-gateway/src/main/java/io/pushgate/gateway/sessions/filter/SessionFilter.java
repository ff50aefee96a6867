package io.pushgate.gateway.sessions.filter;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed session filter (Diffusion's syntax), evaluated against a session's properties.
 *
 * <pre>
 * filter  := or
 * or      := and ( "or" and )*                  "and" binds tighter than "or"
 * and     := unary ( "and" unary )*
 * unary   := "not" unary | "(" or ")" | "all" | clause
 * clause  := key ( "is" | "eq" | "ne" | "has" ) value
 *          | key "in" list
 *          | "hasRoles" list
 * list    := "[" ( value ( ","? value )* )? "]"   values separated by commas or spaces
 * key     := a fixed property ($Principal...) or a user property name ({@link SessionProperties#USER_KEY})
 * value   := 'text' | "text"                      a backslash escapes the quote or a backslash
 * </pre>
 *
 * <p>Keywords and operators are case-insensitive; keys and values are case-sensitive. The words
 * {@code and or not all in is eq ne has hasRoles} cannot be used as keys.
 *
 * <p>What each clause means, for a session whose properties are {@code p}:
 * <ul>
 * <li>{@code k is v}, {@code k eq v}: {@code p} has {@code k} and its value is {@code v}. For
 * {@code $Roles}, the session's roles are exactly the roles listed in {@code v}
 * ({@code $Roles eq '"CLIENT","MODERATOR"'}, in any order).
 * <li>{@code k ne v}: not {@code k eq v}, so also true when {@code p} has no {@code k}.
 * <li>{@code k in [v1, v2]}: {@code k eq} one of them (false for an empty list).
 * <li>{@code k has v}: for {@code $Roles}, the session has the role {@code v}; for a
 * single-valued property, the same as {@code eq} (its one value is {@code v}).
 * <li>{@code hasRoles [r1 r2]}: the session has every one of these roles.
 * <li>{@code all}: every session.
 * </ul>
 * A filter is immutable: parse it once, evaluate it from any thread.
 */
public sealed interface SessionFilter {

    /** The most brackets and {@code not}s one filter may nest, by default. */
    int DEFAULT_MAX_DEPTH = 32;

    /** Parses a filter; an invalid one throws {@link SessionFilterSyntaxException} with its position. */
    static SessionFilter parse(String text) {
        return parse(text, DEFAULT_MAX_DEPTH);
    }

    /** Parses a filter that nests brackets and {@code not}s at most {@code maxDepth} deep. */
    static SessionFilter parse(String text, int maxDepth) {
        return new SessionFilterParser(text, maxDepth).parse();
    }

    /** True when a session with these properties is selected by the filter. */
    boolean matches(Map<String, String> properties);

    /** The filter in canonical form: parsing it gives an equal filter. */
    String text();

    /** Every session. */
    record All() implements SessionFilter {
        @Override
        public boolean matches(Map<String, String> properties) {
            return true;
        }

        @Override
        public String text() {
            return "all";
        }
    }

    record Not(SessionFilter operand) implements SessionFilter {
        @Override
        public boolean matches(Map<String, String> properties) {
            return !operand.matches(properties);
        }

        @Override
        public String text() {
            return "not " + operand.text();
        }
    }

    /** All of the operands (two or more). */
    record And(List<SessionFilter> operands) implements SessionFilter {
        public And {
            operands = List.copyOf(operands);
        }

        @Override
        public boolean matches(Map<String, String> properties) {
            for (SessionFilter f : operands) {
                if (!f.matches(properties)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String text() {
            return joined(operands, " and ");
        }
    }

    /** Any of the operands (two or more). */
    record Or(List<SessionFilter> operands) implements SessionFilter {
        public Or {
            operands = List.copyOf(operands);
        }

        @Override
        public boolean matches(Map<String, String> properties) {
            for (SessionFilter f : operands) {
                if (f.matches(properties)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String text() {
            return joined(operands, " or ");
        }
    }

    /** {@code key is value} / {@code key eq value}. */
    record Equals(String key, String value) implements SessionFilter {
        @Override
        public boolean matches(Map<String, String> properties) {
            return equal(properties, key, value);
        }

        @Override
        public String text() {
            return key + " eq " + quote(value);
        }
    }

    /** {@code key ne value}: true too when the session has no such property. */
    record NotEquals(String key, String value) implements SessionFilter {
        @Override
        public boolean matches(Map<String, String> properties) {
            return !equal(properties, key, value);
        }

        @Override
        public String text() {
            return key + " ne " + quote(value);
        }
    }

    /** {@code key in [v1, v2, ...]}. */
    record In(String key, List<String> values) implements SessionFilter {
        public In {
            values = List.copyOf(values);
        }

        @Override
        public boolean matches(Map<String, String> properties) {
            for (String v : values) {
                if (equal(properties, key, v)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String text() {
            return key + " in " + list(values);
        }
    }

    /** {@code key has value}: a role of {@code $Roles}, or the one value of another property. */
    record Has(String key, String value) implements SessionFilter {
        @Override
        public boolean matches(Map<String, String> properties) {
            String actual = properties.get(key);
            if (actual == null) {
                return false;
            }
            return SessionProperties.ROLES.equals(key) ? SessionProperties.parseRoles(actual).contains(value) : actual.equals(value);
        }

        @Override
        public String text() {
            return key + " has " + quote(value);
        }
    }

    /** {@code hasRoles [r1 r2 ...]}: every one of these roles. */
    record HasRoles(List<String> roles) implements SessionFilter {
        public HasRoles {
            roles = List.copyOf(roles);
        }

        @Override
        public boolean matches(Map<String, String> properties) {
            String actual = properties.get(SessionProperties.ROLES);
            Set<String> held = SessionProperties.parseRoles(actual);
            return held.containsAll(roles);
        }

        @Override
        public String text() {
            return "hasRoles " + list(roles);
        }
    }

    private static boolean equal(Map<String, String> properties, String key, String value) {
        String actual = properties.get(key);
        if (actual == null) {
            return false;
        }
        if (SessionProperties.ROLES.equals(key)) {
            return SessionProperties.parseRoles(actual).equals(SessionProperties.parseRoles(value));
        }
        return actual.equals(value);
    }

    /** A value in single quotes, a quote or backslash in it escaped. */
    static String quote(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static String list(List<String> values) {
        StringBuilder sb = new StringBuilder("[");
        for (String v : values) {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append(quote(v));
        }
        return sb.append(']').toString();
    }

    private static String joined(List<SessionFilter> operands, String separator) {
        StringBuilder sb = new StringBuilder("(");
        for (SessionFilter f : operands) {
            if (sb.length() > 1) {
                sb.append(separator);
            }
            sb.append(f.text());
        }
        return sb.append(')').toString();
    }
}
