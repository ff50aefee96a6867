package io.pushgate.gateway.selectors;

/**
 * The optional suffix of a path, split-path or full-path selector that extends it to descendants.
 */
enum DescendantQualifier {

    /** No suffix: the matched path only. */
    MATCH(""),
    /** A trailing {@code /}: the proper descendants of a matched path, not the path itself. */
    DESCENDANTS_OF_MATCH("/"),
    /** A trailing {@code //}: a matched path and all of its descendants. */
    MATCH_AND_DESCENDANTS("//");

    private final String suffix;

    DescendantQualifier(String suffix) {
        this.suffix = suffix;
    }

    String suffix() {
        return suffix;
    }

    /** The qualifier for a body followed by this many trailing separators (0, 1 or 2). */
    static DescendantQualifier ofTrailingSeparators(int count) {
        return switch (count) {
            case 0 -> MATCH;
            case 1 -> DESCENDANTS_OF_MATCH;
            case 2 -> MATCH_AND_DESCENDANTS;
            default -> throw new IllegalArgumentException("no qualifier has " + count + " separators");
        };
    }
}
