package io.pushgate.gateway.wiring;

import io.pushgate.gateway.config.GatewayConfig;
import io.pushgate.gateway.oidc.HttpIntrospectionEndpoint;
import io.pushgate.gateway.security.Authenticator;
import io.pushgate.gateway.security.SecurityService;
import io.pushgate.gateway.security.introspection.IntrospectingAuthenticator;
import io.pushgate.gateway.security.introspection.TokenIntrospection;
import io.pushgate.jwt.TokenVerifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The security model ({@link SecurityService}) and how a bearer token becomes credentials: offline
 * checks against the trusted issuers ({@link TokenVerifier}) and, per issuer where configured,
 * token introspection.
 */
@ApplicationScoped
public class SecurityProducers {

    private static final Logger LOG = Logger.getLogger(SecurityProducers.class);

    /** One HTTP client for the issuers' discovery, JWKS and introspection endpoints. */
    @Produces
    @Singleton
    @Issuers
    HttpClient issuersHttp() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Produces
    @Singleton
    SecurityService security(GatewayConfig config) {
        return new SecurityService(config.security().anonymousRoles());
    }

    @Produces
    @Singleton
    TokenVerifier tokens(GatewayConfig config, @Issuers HttpClient http) {
        return TokenVerifier.builder(http)
                .issuers(config.security().issuers())
                .audience(config.security().audience())
                .clockSkew(config.security().clockSkew())
                .build();
    }

    /**
     * Verifies a bearer token against the trusted issuers and, for an issuer with token
     * introspection, asks the issuer whether it is still active and with which roles. Fails with
     * UNAUTHENTICATED (refused) or UNAVAILABLE (the issuer's introspection cannot be reached).
     */
    @Produces
    @Singleton
    Authenticator authenticator(TokenVerifier tokens, GatewayConfig config, @Issuers HttpClient http) {
        return new IntrospectingAuthenticator(tokens::verify, introspections(http, config.security()));
    }

    /** The token introspection of each issuer configured for it (none by default). */
    private static List<TokenIntrospection> introspections(HttpClient http, GatewayConfig.Security security) {
        List<TokenIntrospection> out = new ArrayList<>();
        for (Map.Entry<String, GatewayConfig.Introspection> entry : security.introspection().entrySet()) {
            String prefix = "gateway.security.introspection." + entry.getKey();
            GatewayConfig.Introspection c = entry.getValue();
            if (!security.issuers().contains(c.issuer())) {
                throw new IllegalStateException(prefix + ".issuer '" + c.issuer() + "' is not one of gateway.security.issuers "
                        + security.issuers());
            }
            URI url;
            try {
                url = URI.create(c.url());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(prefix + ".url is not a URL: " + e.getMessage());
            }
            HttpIntrospectionEndpoint endpoint;
            try {
                endpoint = new HttpIntrospectionEndpoint(http, url, c.clientId(), c.clientSecret(), c.timeout());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(prefix + ": " + e.getMessage());
            }
            out.add(new TokenIntrospection(endpoint,
                    new TokenIntrospection.Settings(c.issuer(), c.cacheTtl(), c.recheckInterval(), c.grace()), System::nanoTime));
            LOG.infof("tokens of issuer %s are introspected: %s (answers kept %s, open sessions re-checked every %s, grace %s)",
                    c.issuer(), endpoint, c.cacheTtl(), c.recheckInterval(), c.grace());
        }
        return out;
    }
}
