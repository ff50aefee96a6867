package io.pushgate.gateway.sessions;

import io.pushgate.gateway.sessions.filter.SessionProperties;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a session is, apart from its subscriptions: the fixed properties the transport knows when
 * it opens ({@code $SessionId}, {@code $Transport}, {@code $ClientIP}, {@code $StartTime}) and the
 * user properties (set by the client when it connects, or by a controller later). Immutable: a
 * change makes a new one ({@link #withUserProperties}).
 */
public record SessionDescription(String sessionId, String transport, String clientIp, long startTimeMillis,
                                 Map<String, String> userProperties) {

    public SessionDescription {
        userProperties = Map.copyOf(userProperties);
    }

    /** With these user properties instead. */
    public SessionDescription withUserProperties(Map<String, String> properties) {
        return new SessionDescription(sessionId, transport, clientIp, startTimeMillis, properties);
    }

    /** Every property of a session with this principal and these roles: the fixed ones, then the user ones. */
    public Map<String, String> properties(String principal, Collection<String> roles) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put(SessionProperties.SESSION_ID, sessionId);
        all.put(SessionProperties.PRINCIPAL, principal);
        all.put(SessionProperties.ROLES, SessionProperties.roles(roles));
        all.put(SessionProperties.TRANSPORT, transport);
        if (clientIp != null) {
            all.put(SessionProperties.CLIENT_IP, clientIp);
        }
        all.put(SessionProperties.START_TIME, Long.toString(startTimeMillis));
        all.putAll(userProperties);
        return all;
    }
}
