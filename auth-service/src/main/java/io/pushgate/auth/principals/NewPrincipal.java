package io.pushgate.auth.principals;

import java.util.List;

/** The body of {@code POST /v1/principals}; {@code roles} absent means {@code ["CLIENT"]}. */
public record NewPrincipal(String name, String password, List<String> roles) {

    @Override
    public String toString() {
        return "NewPrincipal[name=" + name + ", roles=" + roles + "]";
    }
}
