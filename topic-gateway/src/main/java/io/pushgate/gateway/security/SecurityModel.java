package io.pushgate.gateway.security;

import io.pushgate.protocol.GlobalPermission;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An immutable snapshot of every role: the built-in ones ({@code CLIENT}, {@code TOPIC_CONTROL},
 * {@code ADMINISTRATOR}, {@code OPERATOR}), each replaceable by a stored definition of the same
 * name, and the stored ones. A change to a role makes a new snapshot ({@link #withRole}); sessions
 * then resolve their {@link Access} again from it.
 *
 * <h2>How a session's permissions are worked out</h2>
 * <ol>
 * <li><b>Roles.</b> The session's roles and, transitively, every role they include. An include
 * cycle is harmless (each role is counted once); a role name without a definition grants nothing.
 * <li><b>Global permissions:</b> the union of the global permissions of those roles.
 * <li><b>Path permissions</b> ({@link PathEvaluation#NEAREST_ASSIGNMENT}, the default, Diffusion's
 * rule): start at the path and walk up its prefixes ({@code a/b/c}, {@code a/b}, {@code a},
 * {@code ""}) to the first one at which <em>any</em> of those roles has an assignment. The
 * permissions there are the union of the assignments of the roles that have one at that prefix; the
 * assignments further up and every role's defaults are not looked at. When no prefix has an
 * assignment, the permissions are the union of the roles' default path permissions.
 * </ol>
 * So an assignment is an override, and an empty one takes permissions away at and below its prefix
 * for the whole session: with {@code CLIENT} (defaults select and read) and a role {@code R} that
 * assigns {@code []} to {@code secret}, the session may not read {@code secret/x}. This is how
 * Diffusion's manual describes its path-scoped permissions (Permissions reference,
 * "Understanding topic-scoped permissions", docs.diffusiondata.com .../designguide/security/
 * permissions_reference.html): the server searches up from the topic for the nearest assignment,
 * only that first assignment counts even when the session has roles with assignments higher up,
 * and the default assignments apply only when no path assignment is found.
 *
 * <p>{@link PathEvaluation#PER_ROLE} is the other reading, for deployments that want it: each role
 * on its own (its nearest assignment, else its defaults), then the union over the roles; there an
 * assignment only ever narrows the role that makes it.
 *
 * <p>A resolved {@link Access} is a {@link PermissionTrie} per set of roles, cached in the snapshot,
 * so sessions with the same roles share one and a check is a walk over the path's segments.
 */
public final class SecurityModel {

    /** How path assignments of several roles combine; see the class comment. */
    public enum PathEvaluation {
        /** Diffusion's rule: the nearest prefix assigned by any of the roles decides. */
        NEAREST_ASSIGNMENT,
        /** Each role by its own nearest assignment or defaults; the union over the roles. */
        PER_ROLE
    }

    public static final String CLIENT = "CLIENT";
    public static final String TOPIC_CONTROL = "TOPIC_CONTROL";
    public static final String ADMINISTRATOR = "ADMINISTRATOR";
    public static final String OPERATOR = "OPERATOR";

    /** The built-in roles, by name. */
    public static final Map<String, RoleDefinition> BUILT_IN_ROLES = builtInRoles();

    /** Resolved role sets kept per snapshot; past this many the cache starts afresh. */
    static final int MAX_CACHED_ROLE_SETS = 4096;

    private static final SecurityModel BUILT_IN = new SecurityModel(Map.of(), PathEvaluation.NEAREST_ASSIGNMENT);

    private final Map<String, RoleDefinition> stored;
    private final Map<String, RoleDefinition> roles;
    private final PathEvaluation evaluation;
    private final ConcurrentHashMap<Set<String>, Resolved> cache = new ConcurrentHashMap<>();

    private SecurityModel(Map<String, RoleDefinition> stored, PathEvaluation evaluation) {
        this.stored = Collections.unmodifiableMap(new TreeMap<>(stored));
        TreeMap<String, RoleDefinition> all = new TreeMap<>(BUILT_IN_ROLES);
        all.putAll(stored);
        this.roles = Collections.unmodifiableMap(all);
        this.evaluation = Objects.requireNonNull(evaluation);
    }

    /** Only the built-in roles. */
    public static SecurityModel builtIn() {
        return BUILT_IN;
    }

    /** The built-in roles, replaced or added to by the stored definitions. */
    public static SecurityModel of(Collection<RoleDefinition> stored) {
        return of(stored, PathEvaluation.NEAREST_ASSIGNMENT);
    }

    public static SecurityModel of(Collection<RoleDefinition> stored, PathEvaluation evaluation) {
        Map<String, RoleDefinition> byName = new LinkedHashMap<>();
        for (RoleDefinition role : stored) {
            byName.put(role.name(), role);
        }
        return new SecurityModel(byName, evaluation);
    }

    /** A snapshot in which the role has this definition (a built-in one is replaced). */
    public SecurityModel withRole(RoleDefinition role) {
        Map<String, RoleDefinition> next = new LinkedHashMap<>(stored);
        next.put(role.name(), role);
        return new SecurityModel(next, evaluation);
    }

    /** A snapshot without the stored definition of the role: a built-in role is back to its built-in definition. */
    public SecurityModel withoutRole(String name) {
        if (!stored.containsKey(name)) {
            return this;
        }
        Map<String, RoleDefinition> next = new LinkedHashMap<>(stored);
        next.remove(name);
        return new SecurityModel(next, evaluation);
    }

    /** The same roles, evaluated by the other rule. */
    public SecurityModel withEvaluation(PathEvaluation evaluation) {
        return evaluation == this.evaluation ? this : new SecurityModel(stored, evaluation);
    }

    public PathEvaluation evaluation() {
        return evaluation;
    }

    /** Every role of the snapshot, by name, sorted. */
    public Map<String, RoleDefinition> roles() {
        return roles;
    }

    /** The stored definitions only (what a store persists), by name, sorted. */
    public Map<String, RoleDefinition> storedRoles() {
        return stored;
    }

    public Optional<RoleDefinition> role(String name) {
        return Optional.ofNullable(roles.get(name));
    }

    public static boolean isBuiltIn(String name) {
        return BUILT_IN_ROLES.containsKey(name);
    }

    /**
     * A chain of includes that leads from the role back to itself ({@code [A, B, A]}), if there is
     * one. Resolution tolerates cycles; an editor may still want to refuse them, as Diffusion does.
     */
    public Optional<List<String>> inclusionCycle(String name) {
        RoleDefinition start = roles.get(name);
        if (start == null) {
            return Optional.empty();
        }
        Deque<List<String>> paths = new ArrayDeque<>();
        paths.push(List.of(name));
        Set<String> seen = new HashSet<>();
        while (!paths.isEmpty()) {
            List<String> path = paths.pop();
            RoleDefinition last = roles.get(path.get(path.size() - 1));
            if (last == null) {
                continue;
            }
            for (String included : last.includes()) {
                List<String> next = new ArrayList<>(path);
                next.add(included);
                if (included.equals(name)) {
                    return Optional.of(List.copyOf(next));
                }
                if (seen.add(included)) {
                    paths.push(next);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * What a session with this principal and these roles may do. Sessions with the same roles share
     * the compiled permissions; the returned {@link Access} only adds the principal.
     */
    public Access accessFor(String principal, Collection<String> sessionRoles) {
        Objects.requireNonNull(principal, "principal");
        SortedSet<String> known = new TreeSet<>();
        for (String role : sessionRoles) {
            if (role != null && roles.containsKey(role)) {
                known.add(role);
            }
        }
        Set<String> key = Collections.unmodifiableSortedSet(known);
        Resolved resolved = cache.get(key);
        if (resolved == null) {
            if (cache.size() >= MAX_CACHED_ROLE_SETS) {
                cache.clear();
            }
            resolved = cache.computeIfAbsent(key, this::resolve);
        }
        return new ResolvedAccess(principal, resolved);
    }

    /** The session's roles with every included role, each once, in a stable order. */
    public List<RoleDefinition> closure(Collection<String> sessionRoles) {
        Map<String, RoleDefinition> found = new LinkedHashMap<>();
        Deque<String> pending = new ArrayDeque<>(new TreeSet<>(sessionRoles.stream().filter(Objects::nonNull).toList()));
        while (!pending.isEmpty()) {
            String name = pending.poll();
            if (found.containsKey(name)) {
                continue;
            }
            RoleDefinition role = roles.get(name);
            if (role == null) {
                continue;
            }
            found.put(name, role);
            pending.addAll(role.includes());
        }
        return List.copyOf(found.values());
    }

    int cachedRoleSets() {
        return cache.size();
    }

    private Resolved resolve(Set<String> sessionRoles) {
        List<RoleDefinition> closure = closure(sessionRoles);
        EnumSet<GlobalPermission> global = EnumSet.noneOf(GlobalPermission.class);
        closure.forEach(r -> global.addAll(r.globalPermissions()));
        List<String> names = closure.stream().map(RoleDefinition::name).toList();
        return new Resolved(List.copyOf(sessionRoles), names, PermissionTrie.compile(closure, evaluation), global);
    }

    /** The compiled permissions of one set of roles. */
    record Resolved(List<String> roles, List<String> closure, PermissionTrie paths, Set<GlobalPermission> global) {
    }

    private static Map<String, RoleDefinition> builtInRoles() {
        Map<String, RoleDefinition> map = new TreeMap<>();
        map.put(CLIENT, RoleDefinition.builder(CLIENT)
                .defaults(PathPermission.SELECT_TOPIC, PathPermission.READ_TOPIC)
                .build());
        map.put(TOPIC_CONTROL, RoleDefinition.builder(TOPIC_CONTROL)
                .defaults(PathPermission.SELECT_TOPIC, PathPermission.READ_TOPIC, PathPermission.UPDATE_TOPIC,
                        PathPermission.MODIFY_TOPIC)
                .build());
        map.put(ADMINISTRATOR, RoleDefinition.builder(ADMINISTRATOR)
                .defaults(EnumSet.allOf(PathPermission.class))
                .global(EnumSet.allOf(GlobalPermission.class))
                .build());
        map.put(OPERATOR, RoleDefinition.builder(OPERATOR)
                .defaults(PathPermission.SELECT_TOPIC, PathPermission.READ_TOPIC)
                .global(GlobalPermission.VIEW_SERVER, GlobalPermission.CONTROL_SERVER, GlobalPermission.VIEW_SESSION)
                .build());
        return Collections.unmodifiableMap(map);
    }
}
