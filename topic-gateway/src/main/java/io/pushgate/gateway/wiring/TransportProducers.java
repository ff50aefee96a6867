package io.pushgate.gateway.wiring;

import io.pushgate.gateway.config.GatewayConfig;
import io.pushgate.gateway.control.SessionControl;
import io.pushgate.gateway.security.Authenticator;
import io.pushgate.gateway.sessions.Hub;
import io.pushgate.gateway.sessions.Session;
import io.pushgate.gateway.transport.ConnectionLimiter;
import io.pushgate.gateway.transport.Draining;
import io.pushgate.gateway.transport.OriginCheck;
import io.pushgate.gateway.transport.SessionOpener;
import io.pushgate.gateway.transport.UpgradeGate;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** What the WebSocket and SSE transports share: the gate a request passes for a session, and how the session opens. */
@ApplicationScoped
public class TransportProducers {

    /** Set when shutdown begins ({@link GatewayLifecycle}); the gate and readiness read it. */
    @Produces
    @Singleton
    Draining draining() {
        return new Draining();
    }

    /** Open connections per client address. */
    @Produces
    @Singleton
    ConnectionLimiter connections(GatewayConfig config) {
        return new ConnectionLimiter(config.limits().maxConnectionsPerAddress());
    }

    @Produces
    @Singleton
    UpgradeGate upgradeGate(Draining draining, ConnectionLimiter connections, Authenticator authenticator, GatewayConfig config) {
        return new UpgradeGate(draining, new OriginCheck(config.security().allowedOrigins()), connections, authenticator);
    }

    @Produces
    @Singleton
    SessionOpener sessionOpener(Hub hub, Session.Limits limits, SessionControl control) {
        return new SessionOpener(hub, limits, control);
    }
}
