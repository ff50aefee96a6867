package io.pushgate.gateway.views;

import io.pushgate.protocol.TopicType;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
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
 * @param remoteServer the server named by {@code from}: the selector is evaluated there
 * @param transformations {@code patch}, {@code process} and {@code insert}, in order (every insert last)
 * @param properties {@code with properties}: reference topic properties, by their Pushgate names
 * @param preserveTopics {@code preserve topics}: references stay until their source or the view goes
 * @param liveInserts the {@code live inserts} option (a Pushgate extension): a change of an inserted
 *                    topic re-evaluates the sources that inserted it
 */
public record ViewSpec(
        String text,
        String selector,
        Optional<String> remoteServer,
        PathTemplate target,
        List<Transformation> transformations,
        Optional<String> valuePointer,
        Optional<Throttle> throttle,
        Optional<Duration> delay,
        Optional<TopicType> type,
        Optional<String> separator,
        Map<String, String> properties,
        boolean preserveTopics,
        boolean liveInserts) {

    /** A view of the first language (mapping and the options it had). */
    public ViewSpec(String text, String selector, PathTemplate target, Optional<String> valuePointer, Optional<Throttle> throttle,
                    Optional<Duration> delay, Optional<TopicType> type, Optional<String> separator) {
        this(text, selector, Optional.empty(), target, List.of(), valuePointer, throttle, delay, type, separator, Map.of(), false, false);
    }

    /** The types a reference topic may be given; a time series is not one (Diffusion has it, Pushgate not yet). */
    public static final Set<TopicType> TARGET_TYPES = Collections.unmodifiableSet(
            EnumSet.of(TopicType.JSON, TopicType.STRING, TopicType.INT64, TopicType.DOUBLE, TopicType.BINARY));

    public ViewSpec {
        Objects.requireNonNull(text, "text");
        if (selector == null || selector.isEmpty()) {
            throw new IllegalArgumentException("missing selector");
        }
        Objects.requireNonNull(remoteServer, "remoteServer").ifPresent(s -> {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("empty remote server name");
            }
        });
        Objects.requireNonNull(target, "target");
        transformations = List.copyOf(transformations);
        boolean insertSeen = false;
        for (Transformation t : transformations) {
            if (t instanceof Transformation.Insert) {
                insertSeen = true;
            } else if (insertSeen) {
                throw new IllegalArgumentException("every insert comes after the other transformations");
            }
        }
        if (liveInserts && !insertSeen) {
            throw new IllegalArgumentException("live inserts needs an insert");
        }
        properties = Collections.unmodifiableMap(new java.util.TreeMap<>(PropertyMapping.require(properties)));
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
        return target.needsValue() || valuePointer.isPresent() || !transformations.isEmpty();
    }

    /** The inserts of this view (the last transformations). */
    public List<Transformation.Insert> inserts() {
        return transformations.stream().filter(t -> t instanceof Transformation.Insert)
                .map(t -> (Transformation.Insert) t).toList();
    }

    /** The canonical text of this view, which parses back to an equal spec. */
    public String toDsl() {
        StringBuilder out = new StringBuilder("map ").append(selectorToDsl(selector));
        remoteServer.ifPresent(s -> out.append(" from ").append(serverToDsl(s)));
        out.append(" to ").append(target.toDsl());
        transformations.forEach(t -> out.append(' ').append(t.toDsl()));
        if (!properties.isEmpty()) {
            out.append(" with properties ");
            out.append(String.join(", ", properties.entrySet().stream().map(e -> e.getKey() + ":" + propertyValueToDsl(e.getValue())).toList()));
        }
        valuePointer.ifPresent(p -> out.append(" as <value(").append(JsonPointers.toDsl(p)).append(")>"));
        throttle.ifPresent(t -> out.append(' ').append(t.toDsl()));
        delay.ifPresent(d -> out.append(" delay by ").append(DurationUnit.toDsl(d)));
        type.ifPresent(t -> out.append(" type ").append(t.name()));
        separator.ifPresent(s -> out.append(" separator '").append(s).append('\''));
        if (preserveTopics) {
            out.append(" preserve topics");
        }
        if (liveInserts) {
            out.append(" live inserts");
        }
        return out.toString();
    }

    private static String propertyValueToDsl(String value) {
        return value.matches("[A-Za-z0-9_.-]+") ? value : Transformation.quote(value);
    }

    /** A server name as a word, quoted when it holds white space or a quote. */
    private static String serverToDsl(String server) {
        boolean quote = server.startsWith("\"") || server.startsWith("'") || server.contains("\\")
                || server.chars().anyMatch(Character::isWhitespace);
        return quote ? '"' + server.replace("\\", "\\\\").replace("\"", "\\\"") + '"' : server;
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
        return o instanceof ViewSpec v && v.selector.equals(selector) && v.remoteServer.equals(remoteServer) && v.target.equals(target)
                && v.transformations.equals(transformations)
                && v.valuePointer.equals(valuePointer) && v.throttle.equals(throttle) && v.delay.equals(delay)
                && v.type.equals(type) && v.separator.equals(separator) && v.properties.equals(properties)
                && v.preserveTopics == preserveTopics && v.liveInserts == liveInserts;
    }

    @Override
    public int hashCode() {
        return Objects.hash(selector, remoteServer, target, transformations, valuePointer, throttle, delay, type, separator, properties,
                preserveTopics, liveInserts);
    }
}
