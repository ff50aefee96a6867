package io.pushgate.gateway.transport;

import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.ProtocolException;
import io.vertx.core.http.HttpServerRequest;
import java.util.Locale;
import java.util.Optional;

/** Where a request carries its token: {@code Authorization: Bearer}, or {@code ?access_token=} (browsers). */
public final class BearerToken {

    private BearerToken() {
    }

    /** The token, if any; an Authorization header of another scheme is refused. */
    public static Optional<String> of(HttpServerRequest request) {
        String header = request.getHeader("Authorization");
        if (header != null && !header.isBlank()) {
            if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                throw new ProtocolException(ErrorCode.UNAUTHENTICATED, "the Authorization header must be 'Bearer <token>', not "
                        + header.split(" ", 2)[0].toLowerCase(Locale.ROOT));
            }
            return Optional.of(header.substring(7).trim());
        }
        String param = request.getParam("access_token");
        return param == null || param.isBlank() ? Optional.empty() : Optional.of(param.trim());
    }
}
