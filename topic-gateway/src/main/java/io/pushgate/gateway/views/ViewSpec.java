package io.pushgate.gateway.views;

import io.pushgate.protocol.TopicType;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A parsed topic view. Immutable. Two specs are equal when they mean the same view: the
 * original {@link #text()} is kept for display but left out of equality, so that a spec equals
 * the parse of its canonical {@link #toDsl()} rendering whatever spacing, case or units the
 * original used.
 *
 * @param text the text the view was parsed from (as given, for listing views back)
 * @param selector the source topic selector expression, left to the gateway's selector parser
 */
public record ViewSpec(
        String text,
        String selector,
        PathTemplate target,
        Optional<String> valuePointer,
        Optional<Throttle> throttle,
        Optional<Duration> delay,
        Optional<TopicType> type,
        Optional<String> separator) {

    /** The types a reference topic may be given; a time series is not one (Diffusion has it, Pushgate not yet). */
    public static final Set<TopicType> TARGET_TYPES = Collections.unmodifiableSet(
            EnumSet.of(TopicType.JSON, TopicType.STRING, TopicType.INT64, TopicType.DOUBLE, TopicType.BINARY));

    public ViewSpec {
        Objects.requireNonNull(text, "text");
        if (selector == null || selector.isEmpty()) {
            throw new IllegalArgumentException("missing selector");
        }
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(valuePointer, "valuePointer").ifPresent(JsonPointers::require);
        Objects.requireNonNull(throttle, "throttle");
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(separator, "separator");
        delay.ifPresent(d -> DurationUnit.require(d, "delay"));
        type.ifPresent(t -> {
            if (!TARGET_TYPES.contains(t)) {
                throw new IllegalArgumentException("a reference topic cannot be of type " + t);
            }
        });
        separator.ifPresent(s -> {
            String problem = Separators.problem(s);
            if (problem != null) {
                throw new IllegalArgumentException("bad separator '" + s + "': " + problem);
            }
        });
    }

    /**
     * True when only JSON sources can feed this view: a {@code <scalar>} or an {@code as}
     * clause reads inside the value, and Diffusion ignores sources of other types for such
     * views (for a time series, read "whose event type is JSON").
     */
    public boolean requiresJsonSource() {
        return target.needsValue() || valuePointer.isPresent();
    }

    /** The canonical text of this view, which parses back to an equal spec. */
    public String toDsl() {
        StringBuilder out = new StringBuilder("map ").append(selectorToDsl(selector)).append(" to ").append(target.toDsl());
        valuePointer.ifPresent(p -> out.append(" as <value(").append(JsonPointers.toDsl(p)).append(")>"));
        throttle.ifPresent(t -> out.append(' ').append(t.toDsl()));
        delay.ifPresent(d -> out.append(" delay by ").append(DurationUnit.toDsl(d)));
        type.ifPresent(t -> out.append(" type ").append(t.name()));
        separator.ifPresent(s -> out.append(" separator '").append(s).append('\''));
        return out.toString();
    }

    /** Quoted only when it has to be: a selector with whitespace, or one that starts like a quote. */
    private static String selectorToDsl(String selector) {
        boolean quote = selector.startsWith("\"") || selector.startsWith("'")
                || selector.chars().anyMatch(Character::isWhitespace);
        if (!quote) {
            return selector;
        }
        return '"' + selector.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ViewSpec v && v.selector.equals(selector) && v.target.equals(target)
                && v.valuePointer.equals(valuePointer) && v.throttle.equals(throttle) && v.delay.equals(delay)
                && v.type.equals(type) && v.separator.equals(separator);
    }

    @Override
    public int hashCode() {
        return Objects.hash(selector, target, valuePointer, throttle, delay, type, separator);
    }
}
