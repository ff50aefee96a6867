package io.pushgate.gateway.transport;

import io.vertx.core.http.HttpServerRequest;
import java.util.Optional;

/** Where a request carries its token: {@code Authorization: Bearer}, or {@code ?access_token=} (browsers). */
public final class BearerToken {

    private BearerToken() {
    }

    /** The token, if any; an Authorization header of another scheme is refused (the rules: {@link io.pushgate.jwt.BearerToken}). */
    public static Optional<String> of(HttpServerRequest request) {
        return io.pushgate.jwt.BearerToken.of(request.getHeader("Authorization"), request.getParam("access_token"));
    }
}
