package io.pushgate.bridge.passthrough;

import io.pushgate.jwt.BearerToken;
import io.pushgate.jwt.TokenVerifier;
import io.pushgate.jwt.VerifiedToken;
import io.pushgate.protocol.Causes;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.ProtocolException;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Verifies the token of a passthrough upgrade, as the gateway does before its own: from
 * {@code Authorization: Bearer <JWT>} or {@code ?access_token=<JWT>} (browsers). No token: the
 * client connects anonymously (unless {@code read-roles} says otherwise). A token that is not
 * valid: HTTP 401, whatever the roles, so that a client never believes a refused token counts. A
 * valid token lacking the read roles: 403. The reason is in {@code WWW-Authenticate} (RFC 6750's
 * {@code error_description}), since websockets-next refuses an upgrade without a body. The verified
 * token goes with the connection ({@link #CALLER}) for the publish checks.
 */
@ApplicationScoped
public class TokenCheck implements HttpUpgradeCheck {

    /** The verified token of a connection, absent for an anonymous one. */
    public static final UserData.TypedKey<VerifiedToken> CALLER = new UserData.TypedKey<>("pushgate.caller");

    private static final Logger LOG = Logger.getLogger(TokenCheck.class);

    /** Longest reason put into a response header. */
    private static final int MAX_DESCRIPTION_CHARS = 300;

    private final TokenVerifier verifier;
    private final PassthroughAccess access;

    public TokenCheck(TokenVerifier verifier, PassthroughAccess access) {
        this.verifier = verifier;
        this.access = access;
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        HttpServerRequest request = context.httpRequest();
        String channel = String.valueOf(context.pathParam(PassthroughEndpoint.CHANNEL_PARAM));
        Optional<String> token;
        try {
            token = BearerToken.of(request.getHeader("Authorization"), request.getParam("access_token"));
        } catch (ProtocolException refused) {
            return Uni.createFrom().item(reject(refused, true));
        }
        if (token.isEmpty()) {
            return Uni.createFrom().item(access.readRefusal(channel, Optional.empty())
                    .map(refused -> reject(refused, false))
                    .orElseGet(CheckResult::permitUpgradeSync));
        }
        // The verification completes on the HTTP client's thread when keys had to be fetched:
        // the upgrade goes on on the request's own context.
        Context requestContext = Vertx.currentContext();
        return Uni.createFrom().completionStage(() -> verifier.verify(token.get()))
                .emitOn(task -> {
                    if (requestContext == null) {
                        task.run();
                    } else {
                        requestContext.runOnContext(ignored -> task.run());
                    }
                })
                .map(caller -> access.readRefusal(channel, Optional.of(caller))
                        .map(refused -> reject(refused, true))
                        .orElseGet(() -> {
                            context.userData().put(CALLER, caller);
                            return CheckResult.permitUpgradeSync();
                        }))
                .onFailure().recoverWithItem(error -> reject(Causes.unwrap(error) instanceof ProtocolException p ? p
                        : new ProtocolException(ErrorCode.UNAUTHENTICATED, "cannot verify the token"), true));
    }

    @Override
    public boolean appliesTo(String endpointId) {
        return PassthroughEndpoint.ID.equals(endpointId);
    }

    /** 401 or 403 by the refusal's code, with the reason in {@code WWW-Authenticate} when a token was presented. */
    private static CheckResult reject(ProtocolException refused, boolean tokenPresented) {
        LOG.debugf("refused an upgrade: %s", refused.getMessage());
        boolean forbidden = refused.code() == ErrorCode.PERMISSION_DENIED;
        StringBuilder challenge = new StringBuilder("Bearer realm=\"redis-bridge\"");
        if (tokenPresented || forbidden) {
            challenge.append(", error=\"").append(forbidden ? "insufficient_scope" : "invalid_token").append('"');
        }
        challenge.append(", error_description=\"").append(quoted(refused.getMessage())).append('"');
        return CheckResult.rejectUpgradeSync(refused.code().httpStatus(), Map.of("WWW-Authenticate", List.of(challenge.toString())));
    }

    /** The message as the inside of an RFC 7230 quoted string: printable ASCII (else '?'), quotes and backslashes escaped. */
    static String quoted(String message) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < message.length() && i < MAX_DESCRIPTION_CHARS; i++) {
            char c = message.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return out.toString();
    }
}
