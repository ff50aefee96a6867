package io.pushgate.bridge.passthrough;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The reason of a refused upgrade goes into a header: it must stay one valid quoted string. */
class TokenCheckTest {

    @Test
    void quotesBackslashesAndControlCharactersCannotBreakTheHeader() {
        assertThat(TokenCheck.quoted("the token's issuer 'a\"b\\c' is not trusted")).isEqualTo("the token's issuer 'a\\\"b\\\\c' is not trusted");
        assertThat(TokenCheck.quoted("line\r\nSet-Cookie: x=1 \u20ac")).isEqualTo("line??Set-Cookie: x=1 ?");
        assertThat(TokenCheck.quoted("x".repeat(1000))).hasSize(300);
    }
}
