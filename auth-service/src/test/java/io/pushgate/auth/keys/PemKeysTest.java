package io.pushgate.auth.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PemKeysTest {

    @Test
    void aConfiguredPemGivesTheSameKeyAndKidOnEveryReplica() {
        SigningKey original = SigningKey.generate();
        String pem = PemKeys.toPem(original.privateKey());

        SigningKey one = SigningKey.of(PemKeys.parsePem(pem), null);
        SigningKey other = SigningKey.of(PemKeys.parsePem("\n  " + pem + "\n"), null);

        assertThat(one.kid()).isEqualTo(original.kid()).isEqualTo(other.kid());
        assertThat(one.publicKey()).isEqualTo(original.publicKey());
    }

    @Test
    void aConfiguredKidIsKept() {
        String pem = PemKeys.toPem(SigningKey.generate().privateKey());

        assertThat(SigningKey.of(PemKeys.parsePem(pem), "key-2026").kid()).isEqualTo("key-2026");
    }

    @Test
    void aPkcs1KeyIsRefusedWithTheCommandThatConvertsIt() {
        assertThatThrownBy(() -> PemKeys.parsePem("-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("openssl pkcs8 -topk8");
        assertThatThrownBy(() -> PemKeys.parsePem("not a key")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theKeyNeverShowsInToString() {
        SigningKey key = SigningKey.generate();

        assertThat(key.toString()).isEqualTo("SigningKey[kid=" + key.kid() + "]");
    }
}
