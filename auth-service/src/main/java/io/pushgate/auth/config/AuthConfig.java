package io.pushgate.auth.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the auth-service reads from configuration ({@code auth.*}); each value also
 * works as an environment variable ({@code auth.admin-password} is {@code AUTH_ADMIN_PASSWORD}).
 * The README has the same table with defaults.
 */
@ConfigMapping(prefix = "auth")
public interface AuthConfig {

    /** The {@code iss} of every token and the base of the URLs in discovery: the service's public base URL. */
    @WithDefault("http://localhost:8081")
    String issuer();

    /** How long an access token is valid ({@code exp - iat}). */
    @WithDefault("1h")
    Duration tokenLifetime();

    /**
     * How long a sign-in (password grant) lasts, renewals by token exchange included: no token
     * of that sign-in expires later than its {@code auth_time} plus this, and none is renewed after.
     */
    @WithDefault("12h")
    Duration sessionLifetime();

    /** When set, every token carries it as {@code aud} and only tokens with it are accepted here. */
    Optional<String> audience();

    /**
     * Password of the built-in principal {@code admin} (role ADMINISTRATOR). Without one the
     * service refuses to start in prod; in dev and test it generates one and logs it once.
     */
    Optional<String> adminPassword();

    /** Whether {@code POST /v1/principals} without a token may create principals with only the CLIENT role. */
    @WithDefault("true")
    boolean selfSignup();

    /** Creates the demo principals (alice, bob: CLIENT; carol: TOPIC_CONTROL) at start when they are missing. */
    @WithDefault("false")
    boolean demoPrincipals();

    /**
     * Roles that hold the global permissions VIEW_SECURITY and MODIFY_SECURITY here, besides
     * ADMINISTRATOR which holds every permission and every role.
     */
    @WithDefault("ADMINISTRATOR")
    List<String> securityRoles();

    /** bcrypt cost (log2 of the rounds) for new password hashes; 10 to 12 for production, lower only in tests. */
    @WithDefault("10")
    int bcryptCost();

    /** Clients of the client-credentials grant, by client id ({@code auth.clients.<id>.secret}, {@code .roles}). */
    Map<String, Client> clients();

    /** Failed-login limits. */
    RateLimit rateLimit();

    /** Where the RS256 signing key comes from. */
    SigningKey signingKey();

    /** A client of the client-credentials grant. */
    interface Client {

        /** The client secret; a client without one is disabled (so a demo client can ship without a secret). */
        Optional<String> secret();

        /** Roles put into the client's tokens. */
        @WithDefault("CLIENT")
        List<String> roles();
    }

    /** Failed logins counted in fixed windows in Redis, so that all replicas share the counts. */
    interface RateLimit {

        /** Failed logins allowed per principal (or client id) in one window; then 429 until the window ends. */
        @WithDefault("5")
        int perPrincipal();

        /** Failed logins allowed per remote address in one window. */
        @WithDefault("20")
        int perAddress();

        /** Length of the window. */
        @WithDefault("1m")
        Duration window();
    }

    /** The signing key. */
    interface SigningKey {

        /**
         * An RSA private key as PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}). When absent,
         * a key is generated once and kept in Redis so that every replica signs with the same one.
         */
        Optional<String> pem();

        /** Key id for the configured key; by default its RFC 7638 thumbprint. */
        Optional<String> kid();
    }
}
