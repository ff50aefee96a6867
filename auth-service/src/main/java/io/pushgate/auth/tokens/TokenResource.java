package io.pushgate.auth.tokens;

import io.pushgate.auth.errors.AuthException;
import io.pushgate.protocol.ErrorCode;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestHeader;

/**
 * {@code POST /v1/token}, the OAuth 2.0 token endpoint (RFC 6749): the password grant, the
 * client-credentials grant, whose credentials may come in the form ({@code client_secret_post})
 * or in HTTP Basic ({@code client_secret_basic}), and the token exchange of RFC 8693, which
 * renews a sign-in's token with that token ({@code subject_token}).
 */
@Path("/v1/token")
public class TokenResource {

    private final TokenService tokens;

    public TokenResource(TokenService tokens) {
        this.tokens = tokens;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public Response token(
            @RestForm("grant_type") String grantType,
            @RestForm String username,
            @RestForm String password,
            @RestForm("client_id") String clientId,
            @RestForm("client_secret") String clientSecret,
            @RestForm("subject_token") String subjectToken,
            @RestForm("subject_token_type") String subjectTokenType,
            @RestHeader(HttpHeaders.AUTHORIZATION) String authorization,
            @Context HttpServerRequest request) {
        String address = addressOf(request);
        IssuedToken token;
        if (TokenService.PASSWORD.equals(grantType)) {
            token = tokens.passwordGrant(username, password, address);
        } else if (TokenService.CLIENT_CREDENTIALS.equals(grantType)) {
            String[] basic = basicCredentials(authorization);
            token = basic != null
                    ? tokens.clientCredentialsGrant(basic[0], basic[1], address)
                    : tokens.clientCredentialsGrant(clientId, clientSecret, address);
        } else if (TokenService.TOKEN_EXCHANGE.equals(grantType)) {
            token = tokens.tokenExchange(subjectToken, subjectTokenType);
        } else {
            throw new AuthException(ErrorCode.INVALID,
                    "grant_type must be password, client_credentials or " + TokenService.TOKEN_EXCHANGE, "unsupported_grant_type");
        }
        // RFC 6749 section 5.1: responses holding tokens must not be cached
        return Response.ok(token).header("Cache-Control", "no-store").header("Pragma", "no-cache").build();
    }

    /**
     * The caller's address for the per-address limit. Behind a proxy this is the proxy unless
     * {@code quarkus.http.proxy.proxy-address-forwarding} is on (and only trusted proxies may set it).
     */
    private static String addressOf(HttpServerRequest request) {
        SocketAddress remote = request.remoteAddress();
        return remote == null || remote.hostAddress() == null ? "unknown" : remote.hostAddress();
    }

    /** {@code [id, secret]} from {@code Authorization: Basic}, or null when the header is not Basic. */
    private static String[] basicCredentials(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("no colon");
            }
            // RFC 6749 section 2.3.1: both parts are form-urlencoded before being joined
            return new String[] {URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)};
        } catch (IllegalArgumentException e) {
            throw new AuthException(ErrorCode.INVALID, "malformed Basic credentials", "invalid_request");
        }
    }
}
