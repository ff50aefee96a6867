package io.pushgate.gateway.selectors;

import java.util.List;

/** {@code #s1////s2...}: the union of two or more (non-set) selectors, normalized. */
final class SelectorSet extends TopicSelector {

    static final String SEPARATOR = "////";

    private final List<TopicSelector> members;

    /** @param members two or more distinct non-set selectors, sorted by expression */
    SelectorSet(List<TopicSelector> members) {
        super(expression(members), commonRoot(members));
        this.members = List.copyOf(members);
    }

    @Override
    boolean matchesValidPath(String path) {
        for (TopicSelector member : members) {
            if (member.matchesValidPath(path)) {
                return true;
            }
        }
        return false;
    }

    /** Each member by its own rule for reserved paths (the set's common root is not its members'). */
    @Override
    boolean selectsValidPath(String path) {
        for (TopicSelector member : members) {
            if (member.selectsValidPath(path)) {
                return true;
            }
        }
        return false;
    }

    @Override
    List<TopicSelector> members() {
        return members;
    }

    @Override
    public Type type() {
        return Type.SELECTOR_SET;
    }

    private static String expression(List<TopicSelector> members) {
        StringBuilder expression = new StringBuilder("#");
        for (TopicSelector member : members) {
            expression.append(expression.length() > 1 ? SEPARATOR : "").append(member.expression());
        }
        return expression.toString();
    }

    /** The deepest path that every member's root equals or descends from. */
    private static String commonRoot(List<TopicSelector> members) {
        String common = members.get(0).rootPath();
        for (TopicSelector member : members) {
            String root = member.rootPath();
            int length = 0; // of the common prefix that ends at a segment boundary of both
            for (int k = 0; k <= Math.min(common.length(), root.length()); k++) {
                boolean commonEnds = k == common.length() || common.charAt(k) == '/';
                boolean rootEnds = k == root.length() || root.charAt(k) == '/';
                if (commonEnds && rootEnds) {
                    length = k;
                }
                if (k == common.length() || k == root.length() || common.charAt(k) != root.charAt(k)) {
                    break;
                }
            }
            common = common.substring(0, length);
        }
        return common;
    }
}
