package io.pushgate.gateway.selectors;

import com.google.re2j.Pattern;

/** {@code *regex}, perhaps qualified: one pattern over the whole path. */
final class FullPathSelector extends TopicSelector {

    /** The pattern with its qualifier folded in (see {@link TopicSelector}), matched against whole paths. */
    private final Pattern qualified;

    /**
     * @param regex the pattern as written, already compiled alone: so its groups are balanced and
     *              wrapping it in {@code (?:...)} cannot change what it means
     */
    FullPathSelector(String regex, Pattern compiled, DescendantQualifier qualifier, String rootPath) {
        super("*" + regex + qualifier.suffix(), rootPath);
        this.qualified = switch (qualifier) {
            case MATCH -> compiled;
            case DESCENDANTS_OF_MATCH -> Pattern.compile("(?:" + regex + ")/.+");
            case MATCH_AND_DESCENDANTS -> Pattern.compile("(?:" + regex + ")(?:/.+)?");
        };
    }

    @Override
    boolean matchesValidPath(String path) {
        return qualified.matches(path);
    }

    @Override
    public Type type() {
        return Type.FULL_PATH_PATTERN;
    }
}
