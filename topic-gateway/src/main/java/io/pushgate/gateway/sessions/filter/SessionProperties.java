package io.pushgate.gateway.sessions.filter;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The names of the fixed session properties and the rules for user properties, shared by the
 * sessions that carry them and the filters that read them.
 *
 * <p>A session's properties are a map of name to string value. Fixed properties start with
 * {@code $} and are set by the gateway; user properties are any other name of
 * {@link #USER_KEY} and are set by the client when it connects or by a controller later.
 * {@code $Roles} is the one multi-valued property: its value is written in Diffusion's form, each
 * role quoted and separated by commas ({@code "CLIENT","MODERATOR"}), see {@link #roles(Collection)}.
 */
public final class SessionProperties {

    public static final String SESSION_ID = "$SessionId";
    public static final String PRINCIPAL = "$Principal";
    public static final String ROLES = "$Roles";
    /** {@code WEBSOCKET} or {@code SSE}. */
    public static final String TRANSPORT = "$Transport";
    public static final String CLIENT_IP = "$ClientIP";
    /** When the session started, milliseconds since the epoch, in decimal. */
    public static final String START_TIME = "$StartTime";

    /** Every fixed property, in the order they are listed. */
    public static final List<String> FIXED = List.of(SESSION_ID, PRINCIPAL, ROLES, TRANSPORT, CLIENT_IP, START_TIME);

    /** A user property's name: a letter or {@code _}, then letters, digits, {@code _ . -}; at most 64 characters. */
    public static final Pattern USER_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,63}");

    private SessionProperties() {
    }

    /** True for a name a client or controller may set: a user property, not a fixed one. */
    public static boolean isUserKey(String name) {
        return name != null && USER_KEY.matcher(name).matches();
    }

    /** {@code $Roles}'s value for these roles: {@code "A","B"} (a quote or backslash in a role escaped with a backslash). */
    public static String roles(Collection<String> roles) {
        StringBuilder sb = new StringBuilder();
        for (String role : roles) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append('"').append(role.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return sb.toString();
    }

    /**
     * The roles in a {@code $Roles} value: quoted names (either quote) separated by commas or
     * spaces; an unquoted value is read as names separated by commas or spaces. Never throws.
     */
    public static Set<String> parseRoles(String value) {
        Set<String> roles = new LinkedHashSet<>();
        if (value == null) {
            return roles;
        }
        int i = 0;
        int n = value.length();
        while (i < n) {
            char c = value.charAt(i);
            if (c == ',' || Character.isWhitespace(c)) {
                i++;
            } else if (c == '"' || c == '\'') {
                StringBuilder role = new StringBuilder();
                i++;
                while (i < n && value.charAt(i) != c) {
                    if (value.charAt(i) == '\\' && i + 1 < n) {
                        i++;
                    }
                    role.append(value.charAt(i++));
                }
                i++;
                roles.add(role.toString());
            } else {
                int start = i;
                while (i < n && value.charAt(i) != ',' && !Character.isWhitespace(value.charAt(i))) {
                    i++;
                }
                roles.add(value.substring(start, i));
            }
        }
        return roles;
    }

    static List<String> sorted(Collection<String> values) {
        List<String> list = new ArrayList<>(values);
        list.sort(null);
        return list;
    }
}
