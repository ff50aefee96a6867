package io.pushgate.auth.principals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.configuration.ConfigurationException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdminPasswordTest {

    @Test
    void prodWithoutAPasswordRefusesToStartWithAClearMessage() {
        assertThatThrownBy(() -> AdminPassword.resolve(Optional.empty(), LaunchMode.NORMAL))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("auth.admin-password")
                .hasMessageContaining("AUTH_ADMIN_PASSWORD");
        assertThatThrownBy(() -> AdminPassword.resolve(Optional.of("  "), LaunchMode.NORMAL))
                .isInstanceOf(ConfigurationException.class);
    }

    @Test
    void devAndTestGenerateADifferentPasswordEachTime() {
        AdminPassword one = AdminPassword.resolve(Optional.empty(), LaunchMode.DEVELOPMENT);
        AdminPassword other = AdminPassword.resolve(Optional.empty(), LaunchMode.TEST);

        assertThat(one.generated()).isTrue();
        assertThat(one.password()).hasSizeGreaterThanOrEqualTo(Validation.MIN_PASSWORD_LENGTH);
        assertThat(one.password()).isNotEqualTo(other.password());
        assertThat(one.toString()).doesNotContain(one.password());
    }

    @Test
    void aConfiguredPasswordIsUsedInEveryMode() {
        AdminPassword password = AdminPassword.resolve(Optional.of("configured-pw"), LaunchMode.NORMAL);

        assertThat(password.password()).isEqualTo("configured-pw");
        assertThat(password.generated()).isFalse();
    }

    @Test
    void aConfiguredPasswordMustBeLongEnough() {
        assertThatThrownBy(() -> AdminPassword.resolve(Optional.of("short"), LaunchMode.NORMAL))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("at least 8");
    }
}
