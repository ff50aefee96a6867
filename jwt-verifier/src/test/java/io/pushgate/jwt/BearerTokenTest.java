package io.pushgate.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.ProtocolException;
import org.junit.jupiter.api.Test;

class BearerTokenTest {

    @Test
    void theHeaderOrTheParameter() {
        assertThat(BearerToken.of("Bearer abc.def.ghi", null)).contains("abc.def.ghi");
        assertThat(BearerToken.of("bearer  abc ", null)).contains("abc");
        assertThat(BearerToken.of(null, "abc.def.ghi")).contains("abc.def.ghi");
        assertThat(BearerToken.of("Bearer from-header", "from-param")).contains("from-header");
    }

    @Test
    void noneIsEmpty() {
        assertThat(BearerToken.of(null, null)).isEmpty();
        assertThat(BearerToken.of(" ", "")).isEmpty();
    }

    @Test
    void anotherSchemeIsRefusedRatherThanIgnored() {
        assertThatThrownBy(() -> BearerToken.of("Basic YTpi", "a.b.c"))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED))
                .hasMessage("the Authorization header must be 'Bearer <token>', not basic");
    }
}
