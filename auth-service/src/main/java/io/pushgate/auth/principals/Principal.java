package io.pushgate.auth.principals;

import java.util.List;

/**
 * A principal as stored: its name, its bcrypt hash and its roles. Never serialized into a
 * response; {@link PrincipalView} is what callers see.
 */
public record Principal(String name, String passwordHash, List<String> roles) {

    public Principal {
        roles = List.copyOf(roles);
    }

    public Principal withRoles(List<String> newRoles) {
        return new Principal(name, passwordHash, newRoles);
    }

    @Override
    public String toString() {
        // keeps the hash out of logs and exception messages
        return "Principal[name=" + name + ", roles=" + roles + "]";
    }
}
