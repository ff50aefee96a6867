/**
 * Topic views: the parser of the view language and the pure functions a view runtime needs
 * (path expansion, value mapping, throttle decisions). No threads, no I/O, no framework.
 *
 * <p>The language is a subset of Diffusion's topic view specifications, with Diffusion's
 * semantics where they overlap:
 * <ul>
 * <li>{@code <path(n)>} takes source path segments from the 0-based index n to the end,
 *     {@code <path(n, count)>} takes count of them; out of range, the source maps to nothing.
 * <li>{@code <scalar(/pointer)>} takes a string, number, boolean or null ({@code "null"});
 *     an object, an array or nothing at the pointer maps the source to nothing. A {@code /} in
 *     the text adds path levels unless a {@code separator} replaces it (Diffusion's default).
 * <li>{@code throttle} is topic-scoped conflation: at most N updates per period, the held
 *     value replaced by newer ones, so the reference topic ends on the latest value.
 * <li>{@code type} converts as Diffusion's table says, but reads any JSON number.
 * <li>Only the JSON pointer of {@code as} differs in outcome: Diffusion gives the reference
 *     topic the value {@code null} when the pointer selects nothing, {@link
 *     io.pushgate.gateway.views.ValueMapper} answers "no value" and lets the runtime decide.
 * </ul>
 * Pushgate additions: milliseconds as a unit; unit words singular or plural with any number.
 * Not supported (refused by name): {@code expand}, {@code from}, {@code with properties},
 * {@code patch}, {@code process}, {@code insert}, {@code preserve topics}, a TIME_SERIES type.
 *
 * <p>What the runtime must still do: parse {@link io.pushgate.gateway.views.ViewSpec#selector()}
 * with the gateway's TopicSelector, feed only JSON sources to views that
 * {@link io.pushgate.gateway.views.ViewSpec#requiresJsonSource() require them}, map a time
 * series event by event with its event type, apply {@code delay} to additions, updates and
 * removals alike, drive a {@link io.pushgate.gateway.views.ThrottleWindow} per reference topic
 * with a timer, and decide which of two sources mapping to one path wins.
 */
package io.pushgate.gateway.views;
