package io.pushgate.auth.discovery;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.pushgate.auth.config.AuthConfig;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * {@code GET /.well-known/openid-configuration}: the OpenID Connect discovery document, so that
 * an OIDC library given only the issuer URL finds the JWKS and the token endpoint. The URLs are
 * built from {@code auth.issuer}, the public base URL, not from the request.
 */
@Path("/.well-known/openid-configuration")
public class DiscoveryResource {

    private final AuthConfig config;

    public DiscoveryResource(AuthConfig config) {
        this.config = config;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Discovery discovery() {
        String base = config.issuer().endsWith("/") ? config.issuer().substring(0, config.issuer().length() - 1) : config.issuer();
        return new Discovery(
                config.issuer(),
                base + "/v1/token",
                base + "/v1/jwks",
                List.of("password", "client_credentials", "urn:ietf:params:oauth:grant-type:token-exchange"),
                List.of("token"),
                List.of("public"),
                List.of("RS256"),
                List.of("client_secret_post", "client_secret_basic"),
                List.of("iss", "sub", "aud", "exp", "iat", "jti", "roles", "auth_time"));
    }

    /** The fields of OpenID Connect Discovery 1.0 section 3 that apply to this service. */
    public record Discovery(
            String issuer,
            @JsonProperty("token_endpoint") String tokenEndpoint,
            @JsonProperty("jwks_uri") String jwksUri,
            @JsonProperty("grant_types_supported") List<String> grantTypes,
            @JsonProperty("response_types_supported") List<String> responseTypes,
            @JsonProperty("subject_types_supported") List<String> subjectTypes,
            @JsonProperty("id_token_signing_alg_values_supported") List<String> signingAlgorithms,
            @JsonProperty("token_endpoint_auth_methods_supported") List<String> tokenEndpointAuthMethods,
            @JsonProperty("claims_supported") List<String> claims) {
    }
}
