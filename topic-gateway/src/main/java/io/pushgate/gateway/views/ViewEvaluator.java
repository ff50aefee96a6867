package io.pushgate.gateway.views;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.protocol.TopicType;
import io.pushgate.protocol.delta.JsonPatchDelta;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A view applied to one source value: the reference topics it gives and their values. Pure: the
 * only thing it reads besides its arguments is the value of each insertion topic, asked of
 * {@link Insertions}, so that the same function serves the runtime (which reads the local topic
 * tree with the creator's rights) and the tests.
 *
 * <p>The pipeline, in Diffusion's order: the path mapping ({@code <path>}, {@code <scalar>} and
 * {@code <expand>}, giving one or more (path, current value) pairs, the first of two with one path
 * kept), then each transformation in order on each current value ({@code patch}: atomic, one that
 * fails drops that reference; {@code process}: may drop it; {@code insert}: reads the insertion
 * topic now), then {@code as <value(...)>} and {@code type}.
 */
public final class ViewEvaluator {

    /** The value of an insertion topic, in the JSON form of its type. */
    @FunctionalInterface
    public interface Insertions {
        /**
         * The value of the topic at this path, if it exists, may be read by the view's creator and is
         * of a type that can be inserted (JSON, STRING, INT64 or DOUBLE); empty otherwise.
         */
        Optional<JsonNode> value(String path);

        Insertions NONE = path -> Optional.empty();
    }

    /** A reference topic the view gives: its path and its value (before conversion to its topic type's value). */
    public record Reference(String path, JsonNode value) {
    }

    /**
     * What a source gives.
     *
     * @param references in the order of the mapping, no two with one path
     * @param insertedFrom the paths of the insertion topics read (whether they existed or not)
     */
    public record Result(List<Reference> references, Set<String> insertedFrom) {
        static final Result NOTHING = new Result(List.of(), Set.of());
    }

    private ViewEvaluator() {
    }

    /**
     * Applies the view to a source's value.
     *
     * @param sourceType the type of the source (for a time series, its event type)
     * @param value the source's value in the JSON form of its type; null when it has none
     */
    public static Result evaluate(ViewSpec spec, String sourcePath, TopicType sourceType, JsonNode value, Insertions insertions) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(insertions, "insertions");
        if (value == null || value.isMissingNode() || (spec.requiresJsonSource() && sourceType != TopicType.JSON)) {
            return Result.NOTHING;
        }
        String separator = spec.separator().orElse(null);
        List<Reference> references = new ArrayList<>();
        Set<String> insertedFrom = new LinkedHashSet<>();
        for (PathTemplate.Mapping mapping : spec.target().expandAll(sourcePath, value, separator)) {
            transform(spec, sourcePath, mapping.value(), insertions, insertedFrom)
                    .flatMap(current -> ValueMapper.map(current, sourceType, spec))
                    .ifPresent(mapped -> references.add(new Reference(mapping.path(), mapped)));
        }
        return new Result(List.copyOf(references), Set.copyOf(insertedFrom));
    }

    /** The transformations on one current value; empty when one of them drops it. */
    private static Optional<JsonNode> transform(ViewSpec spec, String sourcePath, JsonNode value, Insertions insertions,
                                                Set<String> insertedFrom) {
        JsonNode current = value;
        for (Transformation t : spec.transformations()) {
            if (t instanceof Transformation.Patch p) {
                if (!current.isContainerNode()) {
                    return Optional.empty(); // Diffusion: patches apply to JSON objects and arrays only
                }
                try {
                    current = JsonPatchDelta.apply(p.patch(), current);
                } catch (RuntimeException failed) {
                    return Optional.empty();
                }
            } else if (t instanceof Transformation.Process p) {
                Optional<JsonNode> processed = p.statement().apply(current);
                if (processed.isEmpty()) {
                    return Optional.empty();
                }
                current = processed.get();
            } else {
                current = insert((Transformation.Insert) t, sourcePath, current, spec.separator().orElse(null), insertions, insertedFrom);
            }
        }
        return Optional.of(current);
    }

    /**
     * Diffusion's insert: the insertion topic's value (or its part at {@code key}, else the
     * default) replaces what is at {@code at} or is added there; with nothing to insert, or a
     * place that cannot take it (a missing parent, an index past the end), the value passes unchanged.
     */
    private static JsonNode insert(Transformation.Insert insert, String sourcePath, JsonNode current, String separator,
                                   Insertions insertions, Set<String> insertedFrom) {
        Optional<JsonNode> inserted = insert.path().expand(sourcePath, current, separator).flatMap(path -> {
            insertedFrom.add(path);
            return insertions.value(path);
        });
        if (insert.key().isPresent()) {
            inserted = inserted.map(v -> JsonPointers.at(v, insert.key().get())).filter(v -> !v.isMissingNode());
        }
        inserted = inserted.or(insert::fallback);
        if (inserted.isEmpty()) {
            return current;
        }
        JsonNode copy = current.deepCopy();
        return ProcessStatement.JsonTree.put(copy, insert.at(), inserted.get().deepCopy()) ? copy : current;
    }
}
