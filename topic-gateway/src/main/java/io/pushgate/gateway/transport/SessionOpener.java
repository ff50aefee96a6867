package io.pushgate.gateway.transport;

import io.pushgate.gateway.control.SessionControl;
import io.pushgate.gateway.security.Credentials;
import io.pushgate.gateway.sessions.Hub;
import io.pushgate.gateway.sessions.Outbound;
import io.pushgate.gateway.sessions.Session;
import io.pushgate.gateway.sessions.SessionDescription;
import io.pushgate.protocol.delta.DeltaFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Opens the session of an admitted connection, the same way for every transport: its local id,
 * its limits, the credentials it came with, and its entry in the cross-replica directory.
 */
public final class SessionOpener {

    private final Hub hub;
    private final Session.Limits limits;
    private final SessionControl control;
    private final AtomicLong ids = new AtomicLong();

    public SessionOpener(Hub hub, Session.Limits limits, SessionControl control) {
        this.hub = hub;
        this.limits = limits;
        this.control = control;
    }

    /** The user properties a connection asks for ({@code ?properties=} JSON): INVALID or TOO_LARGE past the limits. */
    public Map<String, String> connectProperties(String json) {
        return control.connectProperties(json);
    }

    /**
     * A new session on the caller's event loop, described (its id across replicas, its transport
     * {@code WEBSOCKET} or {@code SSE}, the client's address, its user properties) and entered in
     * the directory.
     */
    public Session open(Outbound out, DeltaFormat format, Credentials credentials, String transport, String address,
                        Map<String, String> userProperties) {
        Session session = new Session(ids.incrementAndGet(), hub, out, format, limits, System::nanoTime);
        if (credentials != null) {
            session.authenticated(credentials);
        }
        session.describe(new SessionDescription(control.sessionIdFor(session.id()), transport, address, System.currentTimeMillis(),
                userProperties));
        control.opened(session);
        return session;
    }

    /** The hub the sessions join. */
    public Hub hub() {
        return hub;
    }
}
