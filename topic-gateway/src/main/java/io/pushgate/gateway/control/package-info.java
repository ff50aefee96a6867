/**
 * Session control: the sessions of every replica, and operations on them wherever they are.
 *
 * <p>The pieces, and what another feature (send-to-session, presence) may reuse:
 * <ul>
 * <li>{@link io.pushgate.gateway.control.SessionDirectory}: the port (Redis implementation
 * {@code io.pushgate.gateway.redis.RedisSessionDirectory}). {@code list()} gives every live
 * session of every replica as {@link io.pushgate.gateway.control.SessionEntry}; {@code call(replica,
 * kind, payload, timeout)} and {@code handle(kind, handler)} carry a command to the replica that
 * holds a session and its answer back (at most once, UNAVAILABLE on timeout). A session id is
 * {@code <replica>-<n>}: {@code SessionDirectory.replicaOf(id)} names its replica. Register
 * handlers before the gateway starts (where the handler's owner is produced, in {@code io.pushgate.gateway.wiring}).
 * <li>{@link io.pushgate.gateway.control.SessionControl}: list (VIEW_SESSION), close, set
 * properties, subscribe, unsubscribe (MODIFY_SESSION), by id or by filter
 * ({@link io.pushgate.gateway.control.SessionTarget}); its kinds of commands are
 * {@code session.close}, {@code session.properties}, {@code session.subscribe},
 * {@code session.unsubscribe}.
 * <li>{@link io.pushgate.gateway.control.SessionOps}: the same as JSON requests, for the WebSocket
 * ops and the REST resource.
 * </ul>
 * On one replica, a session's properties are {@code Session.properties()} (the fixed ones and the
 * user ones) and a filter is {@code io.pushgate.gateway.sessions.filter.SessionFilter.parse(text)
 * .matches(session.properties())}.
 */
package io.pushgate.gateway.control;
