package io.pushgate.gateway.messaging;

import io.pushgate.protocol.ProtocolException;

/**
 * A session's id across replicas, {@code <replica>-<n>}: the replica that holds it (a random
 * 16-hex-digit id each gateway process draws at start, as Diffusion's session ids carry their
 * server's) and the session's number there. A request to a session goes straight to its replica.
 */
public record SessionAddress(String replica, long local) {

    public static SessionAddress parse(String sessionId) {
        int dash = sessionId == null ? -1 : sessionId.lastIndexOf('-');
        if (dash < 1 || dash == sessionId.length() - 1) {
            throw ProtocolException.invalid("a session id is <replica>-<number>, not '" + abbreviate(sessionId) + "'");
        }
        String replica = sessionId.substring(0, dash);
        if (!replica.matches("[0-9a-f]{1,32}")) {
            throw ProtocolException.invalid("a session id is <replica>-<number>, not '" + abbreviate(sessionId) + "'");
        }
        try {
            return new SessionAddress(replica, Long.parseLong(sessionId.substring(dash + 1)));
        } catch (NumberFormatException e) {
            throw ProtocolException.invalid("a session id is <replica>-<number>, not '" + abbreviate(sessionId) + "'");
        }
    }

    @Override
    public String toString() {
        return replica + "-" + local;
    }

    private static String abbreviate(String s) {
        return s == null ? "null" : s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
