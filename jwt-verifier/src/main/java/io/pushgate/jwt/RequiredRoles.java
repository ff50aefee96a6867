package io.pushgate.jwt;

import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.ProtocolException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The roles of which a caller must hold at least one to do something, or {@value #ANYONE}: anyone,
 * with or without a token. A refusal says what was needed and what the caller had, as
 * {@code UNAUTHENTICATED} (no token: present one) or {@code PERMISSION_DENIED} (a token without
 * any of the roles: another token would be needed).
 */
public final class RequiredRoles {

    /** The configuration value that lets anyone in, even without a token. */
    public static final String ANYONE = "*";

    private final List<String> roles;

    private RequiredRoles(List<String> roles) {
        this.roles = roles;
    }

    /** From configuration: a list of role names, or the single value {@value #ANYONE}. */
    public static RequiredRoles of(Collection<String> configured) {
        List<String> roles = configured.stream().map(String::trim).filter(r -> !r.isEmpty()).distinct().toList();
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("no role given: name at least one, or '" + ANYONE + "' for anyone");
        }
        if (roles.contains(ANYONE)) {
            if (roles.size() > 1) {
                throw new IllegalArgumentException("'" + ANYONE + "' (anyone) cannot be combined with role names: " + roles);
            }
            return new RequiredRoles(List.of());
        }
        return new RequiredRoles(roles);
    }

    /** Whether anyone may, even without a token. */
    public boolean isAnyone() {
        return roles.isEmpty();
    }

    /** The roles, one of which is needed (empty for anyone). */
    public List<String> roles() {
        return roles;
    }

    /**
     * Why the caller may not do {@code action} (for example "publishing on prices.btc"), or empty
     * if it may: the caller's verified token, or empty for a caller without one.
     */
    public Optional<ProtocolException> refusal(String action, Optional<VerifiedToken> caller) {
        if (isAnyone()) {
            return Optional.empty();
        }
        if (caller.isEmpty()) {
            return Optional.of(new ProtocolException(ErrorCode.UNAUTHENTICATED, action + " needs a bearer token with "
                    + describe() + "; none was presented"));
        }
        VerifiedToken token = caller.get();
        if (token.roles().stream().anyMatch(roles::contains)) {
            return Optional.empty();
        }
        return Optional.of(new ProtocolException(ErrorCode.PERMISSION_DENIED, action + " needs " + describe() + "; the token of '"
                + TokenVerifier.printable(token.principal()) + "' has " + (token.roles().isEmpty() ? "no role"
                : "only " + String.join(", ", token.roles().stream().map(TokenVerifier::printable).toList()))));
    }

    private String describe() {
        return roles.size() == 1 ? "the role " + roles.get(0) : "one of the roles " + String.join(", ", roles);
    }

    @Override
    public String toString() {
        return isAnyone() ? ANYONE : String.join(",", roles);
    }
}
