package io.pushgate.gateway.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushgate.gateway.security.Access;
import io.pushgate.gateway.security.Credentials;
import io.pushgate.gateway.security.SecurityService;
import io.pushgate.gateway.topics.TopicTree;
import io.pushgate.protocol.CloseCodes;
import io.pushgate.protocol.delta.DeltaFormat;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Who a session is, through the session (the part it concerns is {@link SessionAccess}): the
 * principal and roles before and after it authenticates, and the expiry of its token. The
 * rechecks with the issuer are {@link SessionRecheckTest}'s.
 */
class SessionAccessTest {

    private static final Instant EXPIRY = Instant.parse("2026-11-22T12:00:00Z");

    private final TopicTree tree = new TopicTree();
    private final SecurityService security = new SecurityService(List.of("GUEST"));
    private final AtomicLong clock = new AtomicLong(1_000);
    private final RecordingOutbound out = new RecordingOutbound();

    private Session session(SecurityService security) {
        Hub hub = new Hub(tree, new GatewayStats(), null, security);
        return new Session(1, hub, out, DeltaFormat.JSON_PATCH, new Session.Limits(5_000, 10), clock::get);
    }

    @Test
    void withoutSecurityASessionMayDoEverythingAndHasNoRoles() {
        Session session = session(null);
        assertThat(session.access()).isSameAs(Access.ALLOW_ALL);
        assertThat(session.principal()).isEqualTo("anonymous");
        assertThat(session.roles()).isEmpty();
    }

    @Test
    void beforeAuthenticatingASessionHasTheAnonymousRolesAfterItTheToken() {
        Session session = session(security);
        assertThat(session.principal()).isEqualTo("anonymous");
        assertThat(session.roles()).containsExactly("GUEST");
        assertThat(session.credentials()).isNull();

        session.authenticated(new Credentials("alice", List.of("CLIENT"), EXPIRY));
        assertThat(session.principal()).isEqualTo("alice");
        assertThat(session.roles()).containsExactly("CLIENT");
    }

    @Test
    void aTokenPastItsExpiryClosesTheSessionWithUnauthenticated() {
        Session session = session(security);
        session.authenticated(new Credentials("alice", List.of("CLIENT"), EXPIRY));

        session.checkExpiry(EXPIRY.toEpochMilli() - 1);
        assertThat(session.isClosed()).isFalse();
        session.checkExpiry(EXPIRY.toEpochMilli());
        assertThat(session.isClosed()).isTrue();
        assertThat(out.closedWith).isEqualTo(CloseCodes.UNAUTHENTICATED);
    }

    @Test
    void anAnonymousSessionOrATokenWithoutExpiryNeverExpires() {
        Session anonymous = session(security);
        anonymous.checkExpiry(Long.MAX_VALUE);
        assertThat(anonymous.isClosed()).isFalse();

        Session forever = session(security);
        forever.authenticated(new Credentials("svc", List.of("CLIENT"), null));
        forever.checkExpiry(Long.MAX_VALUE);
        assertThat(forever.isClosed()).isFalse();
        assertThat(out.closedWith).isZero();
    }
}
