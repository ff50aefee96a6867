package io.pushgate.auth.principals;

import java.util.List;

/** What the API returns about a principal: never its password hash. */
public record PrincipalView(String name, List<String> roles) {

    static PrincipalView of(Principal principal) {
        return new PrincipalView(principal.name(), principal.roles());
    }
}
