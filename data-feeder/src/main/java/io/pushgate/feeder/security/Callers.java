package io.pushgate.feeder.security;

import io.pushgate.feeder.config.FeederConfig;
import io.pushgate.jwt.BearerToken;
import io.pushgate.jwt.TokenVerifier;
import io.pushgate.jwt.VerifiedToken;
import io.pushgate.protocol.Causes;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.ProtocolException;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.http.HttpClient;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/**
 * Who is calling: the token a request carries ({@code Authorization: Bearer}, or
 * {@code access_token}), verified as the gateway verifies it, against the trusted issuers'
 * discovery documents and key sets ({@link TokenVerifier}).
 */
@ApplicationScoped
public class Callers {

    private final TokenVerifier verifier;

    public Callers(FeederConfig config) {
        FeederConfig.Security security = config.security();
        HttpClient http = HttpClient.newBuilder().connectTimeout(security.keysFetchTimeout()).build();
        this.verifier = TokenVerifier.builder(http)
                .issuers(security.issuers())
                .audience(security.audience())
                .clockSkew(security.clockSkew())
                .minRefreshInterval(security.keysRefreshInterval())
                .fetchTimeout(security.keysFetchTimeout())
                .build();
    }

    /**
     * The verified token of a request, or empty for a request without one. Blocks while the
     * issuer's keys are fetched (the first token, or a new key id), so call it on a worker thread.
     *
     * @throws ProtocolException {@code UNAUTHENTICATED} for a token that is not valid, saying why
     */
    public Optional<VerifiedToken> of(String authorizationHeader, String accessTokenParam) {
        Optional<String> token = BearerToken.of(authorizationHeader, accessTokenParam);
        if (token.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(verifier.verify(token.get()).toCompletableFuture().join());
        } catch (CompletionException e) {
            throw Causes.unwrap(e) instanceof ProtocolException refusal ? refusal
                    : new ProtocolException(ErrorCode.UNAUTHENTICATED, "cannot verify the token");
        }
    }
}
