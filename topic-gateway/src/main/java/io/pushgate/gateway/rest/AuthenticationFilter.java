package io.pushgate.gateway.rest;

import io.pushgate.protocol.Causes;
import io.pushgate.gateway.security.Authenticator;
import io.pushgate.gateway.security.Credentials;
import io.pushgate.gateway.security.SecurityService;
import io.pushgate.gateway.transport.BearerToken;
import io.pushgate.gateway.views.ViewDefinition;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.ProtocolException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Resolves the caller of every REST request: a bearer token (header or {@code access_token})
 * is verified and gives its roles; no token gives the anonymous roles; a bad token is refused
 * with 401 and nothing else happens.
 */
public class AuthenticationFilter {

    private final SecurityService security;
    private final Authenticator authenticator;
    private final RequestAccess requestAccess;
    private final ErrorMapper errors = new ErrorMapper();

    public AuthenticationFilter(SecurityService security, Authenticator authenticator, RequestAccess requestAccess) {
        this.security = security;
        this.authenticator = authenticator;
        this.requestAccess = requestAccess;
    }

    @ServerRequestFilter
    public Uni<Response> authenticate(RoutingContext rc) {
        Optional<String> token;
        try {
            token = BearerToken.of(rc.request());
        } catch (ProtocolException e) {
            return Uni.createFrom().item(errors.protocol(e));
        }
        if (token.isEmpty()) {
            requestAccess.set(security.anonymous(), false,
                    new ViewDefinition.Creator("anonymous", security.anonymousRoles()));
            return Uni.createFrom().nullItem();
        }
        // Verification completes on the HTTP client's threads when the issuer had to be asked (keys,
        // token introspection): come back to the request's own context before touching request state.
        Context context = Vertx.currentContext();
        Uni<Credentials> credentials = Uni.createFrom().completionStage(authenticator.authenticate(token.get()));
        if (context != null) {
            credentials = credentials.emitOn(task -> context.runOnContext(v -> task.run()));
        }
        return credentials
                .onItem().transform(caller -> {
                    requestAccess.set(security.accessFor(caller.principal(), caller.roles()), true,
                            new ViewDefinition.Creator(caller.principal(), caller.roles()));
                    return (Response) null;
                })
                .onFailure().recoverWithItem(error -> {
                    Throwable cause = Causes.unwrap(error);
                    return errors.protocol(cause instanceof ProtocolException pe ? pe
                            : new ProtocolException(ErrorCode.UNAUTHENTICATED, "the token was not accepted"));
                });
    }
}
