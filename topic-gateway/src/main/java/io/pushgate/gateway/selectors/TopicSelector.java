package io.pushgate.gateway.selectors;

import io.pushgate.protocol.TopicPath;
import java.util.List;

/**
 * A topic selector in Diffusion's syntax: a compiled, immutable expression that says which topic paths
 * it selects. Two selectors are equal when their normalized {@link #expression()}s are.
 *
 * <h2>Forms</h2>
 * <table>
 * <caption>selector forms</caption>
 * <tr><th>expression</th><th>selects</th></tr>
 * <tr><td>{@code >a/b} or {@code a/b}</td><td>the path {@code a/b}. The body must be a valid topic path
 * (segments of {@code [A-Za-z0-9_.-]}); a {@code .} here is a dot.</td></tr>
 * <tr><td>{@code ?a/[^/]+/c}</td><td>split-path pattern: paths with as many segments as the pattern,
 * each matched in full by the regular expression at the same place. The pattern is split at each
 * {@code /} that is neither in a character class ({@code [^/]}), escaped ({@code \/}) nor quoted
 * ({@code \Q/\E}); such a {@code /} stays in its segment's expression (and, since segments contain no
 * {@code /}, can never match).</td></tr>
 * <tr><td>{@code *a/.*}</td><td>full-path pattern: paths matched in full by the regular expression.</td></tr>
 * <tr><td>{@code #s1////s2}</td><td>selector set: paths selected by any member. Members are separated by
 * {@code ////}, recognized in the text: in a run of more than four {@code /}, the last four are separators
 * (eight make two, with an empty member between) and the rest end the previous member, so
 * {@code #>a//////>b} is {@code >a//} and {@code >b}. Empty members are ignored; nested sets are
 * flattened; a set needs at least one member.</td></tr>
 * </table>
 *
 * <h2>Descendant qualifiers</h2>
 * A path, split-path or full-path selector may end with a qualifier. Say the selector without it
 * selects a path {@code m}:
 * <ul>
 * <li>a trailing {@code //} selects {@code m} and every path below it ({@code m/x}, {@code m/x/y} ...);</li>
 * <li>a trailing {@code /} selects only the paths below {@code m}, not {@code m} itself.</li>
 * </ul>
 * For a split-path pattern of n segments, that is: the first n segments of the path match, and the
 * path has at least n ({@code //}) or more than n ({@code /}) segments. For a full-path pattern
 * {@code R}, {@code *R//} selects exactly the paths matched in full by {@code (?:R)(?:/.+)?} and
 * {@code *R/} those matched by {@code (?:R)/.+}: a path whose leading segments (the whole path, or a
 * proper ancestor for {@code /}) are matched by {@code R}. Because {@code R} still runs over the whole
 * path, an end anchor in it ({@code $}, {@code \z}) means the end of the whole path: {@code *a$//}
 * selects only {@code a}. More than two trailing {@code /} is an error.
 *
 * <h2>Regular expressions and bounds</h2>
 * Patterns use RE2 syntax and run on RE2/J, so matching time is linear in the path's length whatever
 * the pattern: backreferences, lookarounds, atomic groups and possessive quantifiers are refused.
 * An expression has at most {@value #MAX_EXPRESSION_LENGTH} characters, groups nest at most
 * 32 deep, and counted repetitions may expand a pattern to at most 4,096 atoms (see {@code RegexLexer}:
 * RE2/J itself overflows the stack on deep nesting and exhausts the heap on nested counts). A split-path segment made only of literal characters
 * ({@code [A-Za-z0-9_-]}, or an escaped {@code \.}) is compared as a string, not run as a pattern, and a
 * pattern that is only literals normalizes to the path selector: {@code ?prices/btc//} is
 * {@code >prices/btc//}.
 *
 * <h2>Normalization</h2>
 * A bare path gets its {@code >}; literal patterns become path selectors (above); a set lists its
 * flattened members once each, sorted by expression, and a set of one member is that member.
 */
public abstract sealed class TopicSelector permits PathSelector, SplitPathSelector, FullPathSelector, SelectorSet {

    /** Longest expression accepted. */
    public static final int MAX_EXPRESSION_LENGTH = 4096;

    /** The form of a selector, by the first character of its normalized expression. */
    public enum Type { PATH, SPLIT_PATH_PATTERN, FULL_PATH_PATTERN, SELECTOR_SET }

    private final String expression;
    private final String rootPath;

    TopicSelector(String expression, String rootPath) {
        this.expression = expression;
        this.rootPath = rootPath;
    }

    /**
     * Parses and compiles an expression, or throws {@code ProtocolException} ({@code INVALID}) saying
     * what is wrong and where.
     */
    public static TopicSelector parse(String expression) {
        return SelectorParser.parse(expression);
    }

    /**
     * Whether {@code path} is a valid topic path that this selector selects. A path of the gateway's
     * own topics ({@code $presence/chat/lobby}, {@link TopicPath#isReserved}) is selected only by a
     * selector whose root path is itself one ({@code >$presence/chat/lobby}, {@code >$presence/chat//}):
     * a selector of every topic ({@code ?.+}, with descendants) does not pick up every presence topic too.
     */
    public final boolean matches(String path) {
        return path != null && TopicPath.isValid(path) && selectsValidPath(path);
    }

    /** {@link #matches} for a path known to be valid: {@link #matchesValidPath} and the rule for reserved paths. */
    boolean selectsValidPath(String path) {
        return (!TopicPath.isReserved(path) || TopicPath.isReserved(rootPath)) && matchesValidPath(path);
    }

    /** {@link #matches} for a path known to be valid. */
    abstract boolean matchesValidPath(String path);

    /** The normalized expression. */
    public final String expression() {
        return expression;
    }

    /**
     * The longest path that every selected path equals or descends from, or {@code ""} when a selected
     * path can be anywhere. Topics outside {@code rootPath} and {@code rootPath + "/"...} need not be
     * looked at.
     */
    public final String rootPath() {
        return rootPath;
    }

    public abstract Type type();

    /** The selectors this one is the union of: a set's members, else just this one. Never a set. */
    List<TopicSelector> members() {
        return List.of(this);
    }

    @Override
    public final boolean equals(Object other) {
        return other instanceof TopicSelector selector && expression.equals(selector.expression);
    }

    @Override
    public final int hashCode() {
        return expression.hashCode();
    }

    @Override
    public final String toString() {
        return expression;
    }
}
