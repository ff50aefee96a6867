/**
 * Topic views: the parser of the view language, the pure evaluation of a view on a source value,
 * and the runtime that keeps reference topics up to date. The language and its evaluation have no
 * threads, no I/O and no framework; the runtime is confined to the engine's one thread.
 *
 * <p>The language is Diffusion's topic view DSL, with Diffusion's semantics:
 * <ul>
 * <li>the mapping {@code map SELECTOR [from SERVER] to TEMPLATE}; the template's directives are
 *     {@code <path(n[, count])>}, {@code <scalar(/pointer)>} (an object, an array or nothing at the
 *     pointer maps to nothing; a {@code /} in the text adds levels unless a {@code separator}
 *     replaces it) and {@code <expand([/pointer][,/name])>} (each direct child, nested expands and
 *     scalars after them working on the child; two children on one path: the first);
 * <li>transformations, applied in order to each current value: {@code patch} (RFC 6902, atomic;
 *     failing, no reference), {@code process} ({@link io.pushgate.gateway.views.ProcessStatement}:
 *     set, calc, remove, continue, if/elseif/else; no branch taken, no reference), {@code insert}
 *     (every insert after the others; the insertion topic read when the source is evaluated);
 * <li>options, each at most once: {@code with properties}
 *     ({@link io.pushgate.gateway.views.PropertyMapping}), {@code as <value(/pointer)>},
 *     {@code throttle} (topic-scoped conflation ending on the latest value), {@code delay by},
 *     {@code type} (Diffusion's conversions, but any JSON number reads), {@code separator},
 *     {@code preserve topics}.
 * </ul>
 * Departures, each documented in docs/protocol.md: {@code as} selecting nothing gives no value
 * (Diffusion: {@code null}); calculations and ordering comparisons take decimals (as Diffusion's
 * later examples do); a patch's {@code test} compares JSON values, not CBOR bytes; Pushgate's
 * paths have no white space, so an escaped space in a template is refused; a TIME_SERIES
 * {@code type} and the properties Pushgate does not have ({@code COMPRESSION}, {@code PRIORITY},
 * {@code TIDY_ON_UNSUBSCRIBE}) are refused by name. Pushgate additions: milliseconds as a unit;
 * unit words singular or plural with any number; {@code /p exists} and {@code /p in (...)} in
 * conditions; and the option {@code live inserts}, which re-evaluates the sources that inserted a
 * topic when it changes, up to a configured number of watched topics per view.
 *
 * <p>{@link io.pushgate.gateway.views.ViewEvaluator} turns one source value into the list of
 * (reference path, value) it gives; {@link io.pushgate.gateway.views.ViewRuntime} diffs that list
 * per source against the last one to add, update and remove reference topics (keeping them, with
 * {@code preserve topics}, until the source goes), and takes a remote view's sources from
 * {@link io.pushgate.gateway.views.RemoteSources} instead of the local topic tree.
 */
package io.pushgate.gateway.views;
