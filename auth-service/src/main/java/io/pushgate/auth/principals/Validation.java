package io.pushgate.auth.principals;

import io.pushgate.auth.errors.AuthException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/** The rules for names, passwords and roles, checked before anything is stored. */
public final class Validation {

    /** Also what keeps names safe inside Redis keys and URL paths. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.@-]{1,64}");
    /** Role names as the gateway's role store accepts them. */
    public static final Pattern ROLE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    public static final int MIN_PASSWORD_LENGTH = 8;
    /** bcrypt reads only the first 72 bytes: longer passwords are refused rather than silently cut. */
    public static final int MAX_PASSWORD_BYTES = 72;
    private static final int MAX_ROLES = 64;

    private Validation() {
    }

    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    public static String name(String name) {
        if (!isValidName(name)) {
            throw AuthException.invalid("a name is 1 to 64 of A-Z a-z 0-9 _ . @ -");
        }
        return name;
    }

    public static String password(String password) {
        if (password == null || password.codePointCount(0, password.length()) < MIN_PASSWORD_LENGTH) {
            throw AuthException.invalid("a password has at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            throw AuthException.invalid("a password has at most " + MAX_PASSWORD_BYTES + " bytes in UTF-8");
        }
        return password;
    }

    /** The roles, without duplicates, in the order given. */
    public static List<String> roles(List<String> roles) {
        if (roles == null) {
            throw AuthException.invalid("roles are required");
        }
        if (roles.size() > MAX_ROLES) {
            throw AuthException.invalid("at most " + MAX_ROLES + " roles");
        }
        for (String role : roles) {
            if (role == null || !ROLE.matcher(role).matches()) {
                throw AuthException.invalid("a role name is 1 to 64 of A-Z a-z 0-9 _ . -");
            }
        }
        return List.copyOf(new LinkedHashSet<>(roles));
    }
}
