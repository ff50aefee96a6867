package io.pushgate.bridge.security;

import io.pushgate.bridge.config.BridgeConfig;
import io.pushgate.jwt.TokenVerifier;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.http.HttpClient;

/** The bridge's {@link TokenVerifier}: the gateway's verification, against {@code bridge.security.issuers}. */
public class VerifierProducer {

    @Produces
    @Singleton
    TokenVerifier verifier(BridgeConfig config) {
        BridgeConfig.Security security = config.security();
        HttpClient http = HttpClient.newBuilder().connectTimeout(security.keysFetchTimeout()).build();
        return TokenVerifier.builder(http)
                .issuers(security.issuers())
                .audience(security.audience())
                .clockSkew(security.clockSkew())
                .minRefreshInterval(security.keysRefreshInterval())
                .fetchTimeout(security.keysFetchTimeout())
                .build();
    }
}
