package io.pushgate.auth.principals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushgate.auth.errors.AuthException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValidationTest {

    @Test
    void namesAreShortAndSafeInKeysAndPaths() {
        assertThat(Validation.isValidName("alice.smith@example-1_x")).isTrue();
        assertThat(Validation.isValidName("x".repeat(64))).isTrue();
        assertThat(Validation.isValidName("x".repeat(65))).isFalse();
        assertThat(Validation.isValidName("")).isFalse();
        assertThat(Validation.isValidName(null)).isFalse();
        assertThat(Validation.isValidName("a/b")).isFalse();
        assertThat(Validation.isValidName("a:b")).isFalse();
        assertThat(Validation.isValidName("a*")).isFalse();
    }

    @Test
    void passwordsHaveAtLeastEightCharactersAndAtMost72Bytes() {
        assertThat(Validation.password("12345678")).isEqualTo("12345678");
        assertThatThrownBy(() -> Validation.password("1234567")).isInstanceOf(AuthException.class);
        assertThatThrownBy(() -> Validation.password(null)).isInstanceOf(AuthException.class);
        assertThat(Validation.password("p".repeat(72))).hasSize(72);
        // 25 three-byte characters: 75 bytes, which bcrypt would cut
        assertThatThrownBy(() -> Validation.password("€".repeat(25))).isInstanceOf(AuthException.class);
    }

    @Test
    void rolesAreDeduplicatedInOrder() {
        assertThat(Validation.roles(List.of("CLIENT", "TOPIC_CONTROL", "CLIENT"))).containsExactly("CLIENT", "TOPIC_CONTROL");
        assertThatThrownBy(() -> Validation.roles(List.of("has space"))).isInstanceOf(AuthException.class);
    }
}
