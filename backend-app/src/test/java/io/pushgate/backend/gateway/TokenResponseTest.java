package io.pushgate.backend.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class TokenResponseTest {

    static String jwt(String claims) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".c2lnbmF0dXJl";
    }

    @Test
    void readsTheTokenItsLifetimeAndItsSubject() {
        String token = jwt("{\"sub\":\"backend-app\",\"roles\":[\"TOPIC_CONTROL\"]}");
        TokenResponse r = TokenResponse.parse("{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}");
        assertThat(r.accessToken()).isEqualTo(token);
        assertThat(r.expiresIn()).isEqualTo(Duration.ofHours(1));
        assertThat(r.subject()).isEqualTo("backend-app");
    }

    @Test
    void aTokenThatIsNotAJwtHasNoSubject() {
        assertThat(TokenResponse.parse("{\"access_token\":\"opaque\",\"expires_in\":60}").subject()).isNull();
        assertThat(TokenResponse.subjectOf("a.!!!.c")).isNull();
    }

    @Test
    void refusesAnAnswerWithoutAUsableToken() {
        assertThatThrownBy(() -> TokenResponse.parse("<html>")).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> TokenResponse.parse("{\"expires_in\":60}")).hasMessageContaining("no access_token");
        assertThatThrownBy(() -> TokenResponse.parse("{\"access_token\":\"t\",\"token_type\":\"MAC\",\"expires_in\":60}"))
                .hasMessageContaining("MAC");
        assertThatThrownBy(() -> TokenResponse.parse("{\"access_token\":\"t\"}")).hasMessageContaining("expires_in");
        assertThatThrownBy(() -> TokenResponse.parse("{\"access_token\":\"t\",\"expires_in\":0}")).hasMessageContaining("expires_in");
    }

    @Test
    void saysWhyAnErrorAnswerFailed() {
        assertThat(TokenResponse.errorOf("{\"code\":\"UNAUTHENTICATED\",\"message\":\"bad client\",\"error\":\"invalid_client\"}"))
                .isEqualTo("bad client");
        assertThat(TokenResponse.errorOf("{\"error\":\"invalid_client\",\"error_description\":\"no such client\"}")).isEqualTo("no such client");
        assertThat(TokenResponse.errorOf("Bad Gateway")).isEqualTo("Bad Gateway");
    }
}
