package io.pushgate.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.ProtocolException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RequiredRolesTest {

    private static Optional<VerifiedToken> token(String principal, String... roles) {
        return Optional.of(new VerifiedToken(principal, principal, List.of(roles), Instant.now().plusSeconds(60), "http://issuer"));
    }

    @Test
    void anyOfTheRolesAdmits() {
        RequiredRoles roles = RequiredRoles.of(List.of("TOPIC_CONTROL", "ADMINISTRATOR"));
        assertThat(roles.refusal("starting", token("carol", "CLIENT", "TOPIC_CONTROL"))).isEmpty();
        assertThat(roles.refusal("starting", token("root", "ADMINISTRATOR"))).isEmpty();
        assertThat(roles.isAnyone()).isFalse();
        assertThat(roles).hasToString("TOPIC_CONTROL,ADMINISTRATOR");
    }

    @Test
    void noTokenIsUnauthenticatedAndATokenWithoutTheRoleIsDenied() {
        RequiredRoles roles = RequiredRoles.of(List.of("TOPIC_CONTROL", "ADMINISTRATOR"));

        ProtocolException none = roles.refusal("starting the feed", Optional.empty()).orElseThrow();
        assertThat(none.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
        assertThat(none.getMessage()).isEqualTo("starting the feed needs a bearer token with one of the roles TOPIC_CONTROL, ADMINISTRATOR; none was presented");

        ProtocolException client = roles.refusal("starting the feed", token("alice", "CLIENT", "OTHER")).orElseThrow();
        assertThat(client.code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
        assertThat(client.getMessage()).isEqualTo("starting the feed needs one of the roles TOPIC_CONTROL, ADMINISTRATOR; the token of 'alice' has only CLIENT, OTHER");

        assertThat(roles.refusal("x", token("nobody")).orElseThrow().getMessage()).endsWith("the token of 'nobody' has no role");
        assertThat(RequiredRoles.of(List.of("WRITER")).refusal("x", token("alice", "CLIENT")).orElseThrow().getMessage())
                .isEqualTo("x needs the role WRITER; the token of 'alice' has only CLIENT");
    }

    @Test
    void roleNamesAreExact() {
        RequiredRoles roles = RequiredRoles.of(List.of("TOPIC_CONTROL"));
        assertThat(roles.refusal("x", token("eve", "topic_control", "TOPIC_CONTROL_X"))).isPresent();
    }

    @Test
    void aStarLetsAnyoneInEvenWithoutAToken() {
        RequiredRoles anyone = RequiredRoles.of(List.of(" * "));
        assertThat(anyone.isAnyone()).isTrue();
        assertThat(anyone.refusal("x", Optional.empty())).isEmpty();
        assertThat(anyone.refusal("x", token("alice"))).isEmpty();
        assertThat(anyone).hasToString("*");
    }

    @Test
    void nothingOrAStarWithRolesIsAMistakeInTheConfiguration() {
        assertThatThrownBy(() -> RequiredRoles.of(List.of())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no role given");
        assertThatThrownBy(() -> RequiredRoles.of(List.of(" ", ""))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RequiredRoles.of(List.of("*", "ADMINISTRATOR"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot be combined");
    }
}
