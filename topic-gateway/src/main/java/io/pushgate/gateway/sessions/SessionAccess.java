package io.pushgate.gateway.sessions;

import io.pushgate.gateway.security.Access;
import io.pushgate.gateway.security.CredentialCheck;
import io.pushgate.gateway.security.Credentials;
import io.pushgate.gateway.security.SecurityService;
import io.pushgate.protocol.Causes;
import io.pushgate.protocol.CloseCodes;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.ProtocolException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Who a session is and what it may do: its credentials, the rights they resolve to, their
 * expiry and their periodic confirmation with the issuer. Applying a change of rights to the
 * subscriptions is the session's ({@link Session#refreshAccess()}); this part only decides.
 */
final class SessionAccess {

    private static final Logger LOG = Logger.getLogger(Session.class);

    private final Session session;
    /** Null when the gateway runs without security: every session may do everything. */
    private final SecurityService security;
    private final LongSupplier nanoClock;
    private volatile Access access;
    private volatile String principal = "anonymous";
    private Credentials credentials;
    /** When the issuer last confirmed the credentials (or they were presented), on the nano clock. */
    private long confirmedAt;
    private long checkedAt;
    private boolean recheckRunning;
    private long accessVersion = -1;

    SessionAccess(Session session, SecurityService security, LongSupplier nanoClock) {
        this.session = session;
        this.security = security;
        this.nanoClock = nanoClock;
        this.access = security == null ? Access.ALLOW_ALL : security.anonymous();
    }

    boolean hasSecurity() {
        return security != null;
    }

    /** The rights as of the last security change (see {@link Session#access()}). */
    Access access() {
        if (security != null && accessVersion != security.version()) {
            resolve();
        }
        return access;
    }

    /** Resolves the rights again from the credentials held (or the anonymous roles). */
    void resolve() {
        accessVersion = security.version();
        access = credentials == null ? security.anonymous() : security.accessFor(credentials.principal(), credentials.roles());
    }

    String principal() {
        return principal;
    }

    void principal(String principal) {
        this.principal = principal;
    }

    Credentials credentials() {
        return credentials;
    }

    /** Holds fresh credentials (the caller applies the rights they give). */
    void authenticated(Credentials credentials) {
        this.credentials = credentials;
        this.principal = credentials.principal();
        confirmedAt = nanoClock.getAsLong();
        checkedAt = confirmedAt;
    }

    /** The credentials' roles, or the anonymous roles. */
    List<String> roles() {
        Credentials held = credentials;
        if (held != null) {
            return held.roles();
        }
        return security == null ? List.of() : security.anonymousRoles();
    }

    /** True when the credentials held have an expiry and it has passed. */
    boolean expired(long nowMillis) {
        return credentials != null && credentials.expiresAt() != null && nowMillis >= credentials.expiresAt().toEpochMilli();
    }

    /** See {@link Session#recheckCredentials()}. */
    void recheck() {
        Credentials held = credentials;
        if (session.isClosed() || recheckRunning || held == null || held.recheck() == null) {
            return;
        }
        CredentialCheck check = held.recheck();
        long now = nanoClock.getAsLong();
        if (now - checkedAt < check.interval().toNanos()) {
            return;
        }
        recheckRunning = true;
        checkedAt = now;
        CompletionStage<Credentials> answer;
        try {
            answer = check.check();
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenCompleteAsync((fresh, error) -> rechecked(held, fresh, error), session.executor());
    }

    private void rechecked(Credentials asked, Credentials fresh, Throwable error) {
        recheckRunning = false;
        if (session.isClosed() || credentials != asked) {
            return;
        }
        if (error == null) {
            confirmedAt = nanoClock.getAsLong();
            credentials = fresh;
            if (!Set.copyOf(fresh.roles()).equals(Set.copyOf(asked.roles()))) {
                LOG.debugv("{0}: the roles of {1} changed at the issuer: {2} -> {3}",
                        session, principal, asked.roles(), fresh.roles());
                session.refreshAccess();
            }
            return;
        }
        Throwable cause = Causes.unwrap(error);
        if (cause instanceof ProtocolException p && p.code() == ErrorCode.UNAUTHENTICATED) {
            session.closeWith(CloseCodes.UNAUTHENTICATED, "the token is no longer accepted: connect again with a fresh one");
            return;
        }
        long unconfirmed = nanoClock.getAsLong() - confirmedAt;
        if (unconfirmed > asked.recheck().grace().toNanos()) {
            session.closeWith(CloseCodes.TRY_AGAIN_LATER, "the token could not be confirmed with its issuer for longer than the grace time: reconnect later");
        } else {
            LOG.debugv("{0}: keeps its last known roles: {1}", session, cause.getMessage());
        }
    }
}
