package io.pushgate.gateway.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushgate.testsupport.TestIssuer;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tokens by the password grant, from a real token endpoint over HTTP (test-support's TestIssuer). */
class PasswordGrantTokensTest {

    private TestIssuer issuer;
    private PublicJsonWebKey key;
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        issuer = new TestIssuer("/realm");
        key = issuer.addRsaKey("k1");
        issuer.principal("edge-1", "edge pass&word=1", key, "CLIENT");
    }

    @AfterEach
    void stop() {
        issuer.close();
    }

    private PasswordGrantTokens tokens(String password) {
        return new PasswordGrantTokens(new RemoteServerSettings.Login.Password(URI.create(issuer.tokenEndpoint()), "edge-1", password,
                Optional.empty()), http, Duration.ofSeconds(5), nanos::get);
    }

    @Test
    void aTokenOfThePrincipalIsAskedForOnceAndUsedUntilThreeQuartersOfItsLifetime() throws Exception {
        PasswordGrantTokens tokens = tokens("edge pass&word=1");

        String first = tokens.get();
        var claims = new JwtConsumerBuilder().setVerificationKey(key.getPublicKey()).setExpectedIssuer(issuer.issuer())
                .build().processToClaims(first);
        assertThat(claims.getSubject()).isEqualTo("edge-1");
        assertThat(claims.getStringListClaimValue("roles")).containsExactly("CLIENT");
        assertThat(tokens.get()).isSameAs(first);
        nanos.addAndGet(Duration.ofSeconds(224).toNanos()); // the endpoint's tokens live 300 s
        assertThat(tokens.get()).isSameAs(first);
        assertThat(issuer.tokenRequests()).isEqualTo(1);

        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        tokens.get();
        assertThat(issuer.tokenRequests()).isEqualTo(2);
    }

    @Test
    void aWrongPasswordIsAClearErrorThatDoesNotShowThePassword() {
        assertThatThrownBy(() -> tokens("not-it").get()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("gave no token to edge-1: HTTP 401 invalid_grant").hasMessageNotContaining("not-it");
    }

    @Test
    void anEndpointThatDoesNotAnswerIsAClearError() {
        PasswordGrantTokens tokens = new PasswordGrantTokens(new RemoteServerSettings.Login.Password(
                URI.create("http://127.0.0.1:1/token"), "edge-1", "pw", Optional.empty()), http, Duration.ofSeconds(2), nanos::get);
        assertThatThrownBy(tokens::get).isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot ask http://127.0.0.1:1/token");
    }
}
