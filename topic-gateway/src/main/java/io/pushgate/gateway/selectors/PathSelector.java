package io.pushgate.gateway.selectors;

/** {@code >a/b}, {@code >a/b/} or {@code >a/b//}: a literal path, and perhaps its descendants. */
final class PathSelector extends TopicSelector {

    private final String path;
    private final DescendantQualifier qualifier;

    PathSelector(String path, DescendantQualifier qualifier) {
        super(">" + path + qualifier.suffix(), path);
        this.path = path;
        this.qualifier = qualifier;
    }

    String path() {
        return path;
    }

    DescendantQualifier qualifier() {
        return qualifier;
    }

    @Override
    boolean matchesValidPath(String candidate) {
        boolean below = candidate.length() > path.length() && candidate.startsWith(path)
                && candidate.charAt(path.length()) == '/';
        return switch (qualifier) {
            case MATCH -> candidate.equals(path);
            case DESCENDANTS_OF_MATCH -> below;
            case MATCH_AND_DESCENDANTS -> below || candidate.equals(path);
        };
    }

    @Override
    public Type type() {
        return Type.PATH;
    }
}
