package io.pushgate.gateway.security;

import io.pushgate.protocol.GlobalPermission;
import io.pushgate.protocol.ProtocolException;
import io.pushgate.protocol.TopicPath;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One role, immutable: the path permissions it grants by default, the path permissions it grants
 * under particular path prefixes, its global permissions, and the roles it includes.
 *
 * <p>A path prefix is {@code ""} (every path) or a topic path; {@code "prices"} covers
 * {@code prices} and everything below it ({@code prices/btc}), never {@code prices2}. An empty set
 * under a prefix is an assignment too: it takes away there what the defaults would grant (see
 * {@link SecurityModel} for how assignments are evaluated).
 *
 * @param name                   {@code [A-Za-z0-9_.-]{1,64}}
 * @param defaultPathPermissions granted where no prefix of the path has an assignment
 * @param pathPermissions        assignments by path prefix, sorted
 * @param globalPermissions      granted whatever the path
 * @param includes               names of roles whose permissions this role also has, sorted
 */
public record RoleDefinition(
        String name,
        Set<PathPermission> defaultPathPermissions,
        SortedMap<String, Set<PathPermission>> pathPermissions,
        Set<GlobalPermission> globalPermissions,
        SortedSet<String> includes) {

    /** Most path prefixes one role may have, so that a stored role stays cheap to resolve. */
    public static final int MAX_PATH_PREFIXES = 10_000;
    /** Most roles one role may include directly. */
    public static final int MAX_INCLUDES = 256;
    public static final int MAX_NAME_LENGTH = 64;

    public RoleDefinition {
        validateName(name, "role name");
        defaultPathPermissions = Collections.unmodifiableSet(pathSet(defaultPathPermissions));
        globalPermissions = Collections.unmodifiableSet(globalSet(globalPermissions));

        if (pathPermissions == null) {
            pathPermissions = new TreeMap<>();
        }
        if (pathPermissions.size() > MAX_PATH_PREFIXES) {
            throw ProtocolException.invalid("role '" + name + "' has more than " + MAX_PATH_PREFIXES + " path prefixes");
        }
        TreeMap<String, Set<PathPermission>> paths = new TreeMap<>();
        for (Map.Entry<String, Set<PathPermission>> e : pathPermissions.entrySet()) {
            paths.put(validatePrefix(e.getKey()), Collections.unmodifiableSet(pathSet(e.getValue())));
        }
        pathPermissions = Collections.unmodifiableSortedMap(paths);

        if (includes == null) {
            includes = new TreeSet<>();
        }
        if (includes.size() > MAX_INCLUDES) {
            throw ProtocolException.invalid("role '" + name + "' includes more than " + MAX_INCLUDES + " roles");
        }
        TreeSet<String> included = new TreeSet<>();
        for (String include : includes) {
            included.add(validateName(include, "included role name"));
        }
        includes = Collections.unmodifiableSortedSet(included);
    }

    /** A role with nothing in it yet. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder that starts from this role, to change part of it. */
    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.defaults.addAll(defaultPathPermissions);
        pathPermissions.forEach((prefix, perms) -> b.paths.put(prefix, EnumSet.copyOf(pathSet(perms))));
        b.globals.addAll(globalPermissions);
        b.includes.addAll(includes);
        return b;
    }

    /** Is the text a valid role name ({@code [A-Za-z0-9_.-]{1,64}})? */
    public static boolean isValidName(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (!TopicPath.isSegmentChar(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static String validateName(String name, String what) {
        if (!isValidName(name)) {
            String shown = name == null ? "null" : name.length() > 70 ? name.substring(0, 67) + "..." : name;
            throw ProtocolException.invalid(what + " '" + shown + "' is not valid: 1 to " + MAX_NAME_LENGTH
                    + " characters of A-Z a-z 0-9 _ . -");
        }
        return name;
    }

    /** Returns the prefix if it is {@code ""} or a valid topic path, or throws {@code INVALID}. */
    public static String validatePrefix(String prefix) {
        if (prefix == null) {
            throw ProtocolException.invalid("missing path prefix");
        }
        if (prefix.isEmpty()) {
            return prefix;
        }
        try {
            return TopicPath.validate(prefix);
        } catch (ProtocolException e) {
            throw ProtocolException.invalid("bad path prefix: " + e.getMessage());
        }
    }

    private static EnumSet<PathPermission> pathSet(Collection<PathPermission> perms) {
        EnumSet<PathPermission> set = EnumSet.noneOf(PathPermission.class);
        if (perms != null) {
            for (PathPermission p : perms) {
                if (p == null) {
                    throw ProtocolException.invalid("null path permission");
                }
                set.add(p);
            }
        }
        return set;
    }

    private static EnumSet<GlobalPermission> globalSet(Collection<GlobalPermission> perms) {
        EnumSet<GlobalPermission> set = EnumSet.noneOf(GlobalPermission.class);
        if (perms != null) {
            for (GlobalPermission p : perms) {
                if (p == null) {
                    throw ProtocolException.invalid("null global permission");
                }
                set.add(p);
            }
        }
        return set;
    }

    /** Builds a {@link RoleDefinition}; validation happens in {@link #build()}. */
    public static final class Builder {
        private final String name;
        private final EnumSet<PathPermission> defaults = EnumSet.noneOf(PathPermission.class);
        private final TreeMap<String, Set<PathPermission>> paths = new TreeMap<>();
        private final EnumSet<GlobalPermission> globals = EnumSet.noneOf(GlobalPermission.class);
        private final TreeSet<String> includes = new TreeSet<>();

        private Builder(String name) {
            this.name = name;
        }

        /** Replaces the default path permissions. */
        public Builder defaults(PathPermission... permissions) {
            defaults.clear();
            defaults.addAll(Arrays.asList(permissions));
            return this;
        }

        /** Replaces the default path permissions. */
        public Builder defaults(Collection<PathPermission> permissions) {
            defaults.clear();
            defaults.addAll(permissions);
            return this;
        }

        /** Assigns exactly these permissions (none is allowed) under the prefix, replacing any earlier assignment. */
        public Builder path(String prefix, PathPermission... permissions) {
            return path(prefix, Arrays.asList(permissions));
        }

        public Builder path(String prefix, Collection<PathPermission> permissions) {
            EnumSet<PathPermission> set = EnumSet.noneOf(PathPermission.class);
            set.addAll(permissions);
            paths.put(prefix, set);
            return this;
        }

        /** Removes the assignment under the prefix, so that the path inherits again. */
        public Builder removePath(String prefix) {
            paths.remove(prefix);
            return this;
        }

        /** Replaces the global permissions. */
        public Builder global(GlobalPermission... permissions) {
            globals.clear();
            globals.addAll(Arrays.asList(permissions));
            return this;
        }

        public Builder global(Collection<GlobalPermission> permissions) {
            globals.clear();
            globals.addAll(permissions);
            return this;
        }

        /** Replaces the included roles. */
        public Builder includes(String... roles) {
            return includes(Arrays.asList(roles));
        }

        public Builder includes(Collection<String> roles) {
            includes.clear();
            includes.addAll(roles);
            return this;
        }

        public RoleDefinition build() {
            return new RoleDefinition(name, defaults, paths, globals, includes);
        }
    }
}
