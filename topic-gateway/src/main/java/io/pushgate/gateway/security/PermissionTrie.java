package io.pushgate.gateway.security;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The path permissions of one set of roles, compiled: a trie of path segments whose every node
 * holds the permissions in force at that prefix (assigned there, or inherited from above). A check
 * walks down the trie along the path's segments as far as nodes exist and answers with the last
 * node's set: one hash lookup per segment, and none at all for roles without path prefixes.
 *
 * <p>Immutable once built; safe to share between threads.
 */
final class PermissionTrie {

    private final Node root;

    private PermissionTrie(Node root) {
        this.root = root;
    }

    /** The permissions in force for the path (a topic path, or {@code ""} for the root). */
    Set<PathPermission> permissions(String path) {
        Node node = root;
        if (node.children.isEmpty() || path.isEmpty()) {
            return node.permissions;
        }
        int start = 0;
        while (true) {
            int slash = path.indexOf('/', start);
            Node child = node.children.get(slash < 0 ? path.substring(start) : path.substring(start, slash));
            if (child == null) {
                return node.permissions;
            }
            node = child;
            if (slash < 0 || node.children.isEmpty()) {
                return node.permissions;
            }
            start = slash + 1;
        }
    }

    boolean has(PathPermission permission, String path) {
        return permissions(path).contains(permission);
    }

    /** Number of nodes, for tests and diagnostics. */
    int size() {
        return root.count();
    }

    /**
     * Compiles the roles' path permissions (the roles are already the whole closure: included roles
     * are in the list) by the given evaluation rule.
     */
    static PermissionTrie compile(List<RoleDefinition> roles, SecurityModel.PathEvaluation evaluation) {
        MutableNode root = new MutableNode();
        for (RoleDefinition role : roles) {
            for (Map.Entry<String, Set<PathPermission>> e : role.pathPermissions().entrySet()) {
                MutableNode node = root;
                if (!e.getKey().isEmpty()) {
                    for (String segment : e.getKey().split("/", -1)) {
                        node = node.children.computeIfAbsent(segment, s -> new MutableNode());
                    }
                }
                node.assigned = true;
                node.assignments.add(e.getValue());
            }
        }
        return new PermissionTrie(switch (evaluation) {
            case NEAREST_ASSIGNMENT -> nearestAssignment(root, null, roles);
            case PER_ROLE -> perRole(root, "", initialPerRole(roles), roles);
        });
    }

    /**
     * Diffusion's rule: the nearest prefix at which any of the roles has an assignment decides, by
     * the union of the assignments there; with none on the way up, the union of the defaults.
     */
    private static Node nearestAssignment(MutableNode node, EnumSet<PathPermission> inherited, List<RoleDefinition> roles) {
        EnumSet<PathPermission> here = inForce(node, inherited, roles);
        Map<String, Node> children = new HashMap<>();
        node.children.forEach((segment, child) -> children.put(segment, nearestAssignment(child, here, roles)));
        return new Node(here, children);
    }

    private static EnumSet<PathPermission> inForce(MutableNode node, EnumSet<PathPermission> inherited, List<RoleDefinition> roles) {
        if (node.assigned) {
            EnumSet<PathPermission> here = EnumSet.noneOf(PathPermission.class);
            node.assignments.forEach(here::addAll);
            return here;
        }
        if (inherited == null) { // the root, without an assignment at ""
            EnumSet<PathPermission> defaults = EnumSet.noneOf(PathPermission.class);
            roles.forEach(r -> defaults.addAll(r.defaultPathPermissions()));
            return defaults;
        }
        return inherited;
    }

    private static List<Set<PathPermission>> initialPerRole(List<RoleDefinition> roles) {
        List<Set<PathPermission>> sets = new ArrayList<>(roles.size());
        roles.forEach(r -> sets.add(r.defaultPathPermissions()));
        return sets;
    }

    /** Per role, its nearest assignment or else its defaults; the union over the roles. */
    private static Node perRole(MutableNode node, String prefix, List<Set<PathPermission>> inherited, List<RoleDefinition> roles) {
        List<Set<PathPermission>> current = inherited;
        if (node.assigned) {
            current = new ArrayList<>(inherited);
            for (int i = 0; i < roles.size(); i++) {
                Set<PathPermission> assigned = roles.get(i).pathPermissions().get(prefix);
                if (assigned != null) {
                    current.set(i, assigned);
                }
            }
        }
        EnumSet<PathPermission> here = EnumSet.noneOf(PathPermission.class);
        current.forEach(here::addAll);
        Map<String, Node> children = new HashMap<>();
        List<Set<PathPermission>> forChildren = current;
        node.children.forEach((segment, child) ->
                children.put(segment, perRole(child, prefix.isEmpty() ? segment : prefix + "/" + segment, forChildren, roles)));
        return new Node(here, children);
    }

    private static final class MutableNode {
        final Map<String, MutableNode> children = new HashMap<>();
        final List<Set<PathPermission>> assignments = new ArrayList<>(1);
        boolean assigned;
    }

    private static final class Node {
        final Set<PathPermission> permissions;
        final Map<String, Node> children;

        Node(EnumSet<PathPermission> permissions, Map<String, Node> children) {
            this.permissions = Collections.unmodifiableSet(permissions);
            this.children = children.isEmpty() ? Map.of() : Map.copyOf(children);
        }

        int count() {
            int n = 1;
            for (Node child : children.values()) {
                n += child.count();
            }
            return n;
        }
    }
}
