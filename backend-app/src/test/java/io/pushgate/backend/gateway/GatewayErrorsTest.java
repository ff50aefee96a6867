package io.pushgate.backend.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushgate.protocol.ErrorCode;
import org.junit.jupiter.api.Test;

class GatewayErrorsTest {

    @Test
    void readsTheGatewaysErrorCode() {
        assertThat(Gateway.codeOf(409, "{\"code\":\"CONFLICT\",\"message\":\"exists\"}")).isEqualTo(ErrorCode.CONFLICT);
        assertThat(Gateway.codeOf(400, "{\"code\":\"NOPE\"}")).isEqualTo(ErrorCode.INVALID);
    }

    @Test
    void goesByTheStatusWithoutIt() {
        assertThat(Gateway.codeOf(503, "Service Unavailable")).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(Gateway.codeOf(502, "<html>")).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(Gateway.codeOf(404, "")).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(Gateway.codeOf(405, "")).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(Gateway.codeOf(401, "")).isEqualTo(ErrorCode.UNAUTHENTICATED);
    }

    @Test
    void onlyPassingFailuresAreTransient() {
        assertThat(GatewayException.unavailable("x", true, null).isTransient()).isTrue();
        assertThat(GatewayException.refused(ErrorCode.RATE_LIMITED, "x").isTransient()).isTrue();
        assertThat(GatewayException.refused(ErrorCode.UNAUTHENTICATED, "x").isTransient()).isTrue();
        assertThat(GatewayException.refused(ErrorCode.PERMISSION_DENIED, "x").isTransient()).isFalse();
        assertThat(GatewayException.refused(ErrorCode.NOT_FOUND, "x").isTransient()).isFalse();
    }
}
