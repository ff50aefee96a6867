/**
 * Session filters in Diffusion's syntax: a query over a session's properties that selects the
 * sessions an operation acts on (list, close, set properties, subscribe, send a request).
 *
 * <p>Plain Java, no framework types. The public API, kept stable for every caller:
 * <ul>
 * <li>{@link io.pushgate.gateway.sessions.filter.SessionFilter#parse(String)} (and the overload
 * with a nesting limit) parses a filter once, or throws
 * {@link io.pushgate.gateway.sessions.filter.SessionFilterSyntaxException} (an {@code INVALID}
 * protocol error whose message is {@code line L, column C: reason});
 * <li>{@link io.pushgate.gateway.sessions.filter.SessionFilter#matches(java.util.Map)} evaluates it
 * against one session's properties, a map of property name to value as in
 * {@link io.pushgate.gateway.sessions.filter.SessionProperties} ({@code $Roles} in Diffusion's
 * form, {@code "A","B"}); it never throws and is safe from any thread.
 * </ul>
 */
package io.pushgate.gateway.sessions.filter;
