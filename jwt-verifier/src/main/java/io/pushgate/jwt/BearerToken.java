package io.pushgate.jwt;

import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.ProtocolException;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a request carries its token, as on every Pushgate service: the header
 * {@code Authorization: Bearer <JWT>}, or the query parameter {@code access_token} (browsers, which
 * cannot set headers on a WebSocket). The header wins when both are there.
 */
public final class BearerToken {

    private BearerToken() {
    }

    /**
     * The token, if any, from the request's {@code Authorization} header and {@code access_token}
     * parameter (either may be null). An Authorization header of another scheme is refused with
     * {@code UNAUTHENTICATED}, rather than ignored, so that a client never mistakes it for accepted.
     */
    public static Optional<String> of(String authorizationHeader, String accessTokenParam) {
        if (authorizationHeader != null && !authorizationHeader.isBlank()) {
            if (!authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
                throw new ProtocolException(ErrorCode.UNAUTHENTICATED, "the Authorization header must be 'Bearer <token>', not "
                        + authorizationHeader.trim().split(" ", 2)[0].toLowerCase(Locale.ROOT));
            }
            return Optional.of(authorizationHeader.substring(7).trim());
        }
        return accessTokenParam == null || accessTokenParam.isBlank() ? Optional.empty() : Optional.of(accessTokenParam.trim());
    }
}
