package io.pushgate.gateway.views;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.protocol.TopicPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The path mapping of a view ({@code views/<path(1)>/usd}): literal text and directives that
 * take part of the source path ({@code <path(start)>}, {@code <path(start, count)>}) or a
 * scalar of the source value ({@code <scalar(/pointer)>}). Immutable; equal templates have
 * equal parts, adjacent literals being merged so that a template has one representation.
 */
public final class PathTemplate {

    /** A piece of a template. */
    public sealed interface Part permits Literal, SourcePath, Scalar, Expand {
    }

    /** Literal text: segment characters and {@code /}. */
    public record Literal(String text) implements Part {
        public Literal {
            if (text == null || text.isEmpty()) {
                throw new IllegalArgumentException("empty literal");
            }
        }
    }

    /**
     * {@code <path(start)>} (to the end of the source path) or {@code <path(start, count)>}:
     * source path segments from the 0-based index {@code start}.
     */
    public record SourcePath(int start, OptionalInt count) implements Part {
        public SourcePath {
            Objects.requireNonNull(count, "count");
            if (start < 0 || (count.isPresent() && count.getAsInt() < 1)) {
                throw new IllegalArgumentException("bad <path(" + start + ", " + count + ")>");
            }
        }
    }

    /** {@code <scalar(/pointer)>}: the scalar at an RFC 6901 pointer of the source value. */
    public record Scalar(String pointer) implements Part {
        public Scalar {
            JsonPointers.require(Objects.requireNonNull(pointer, "pointer"));
        }
    }

    /**
     * {@code <expand(pointer[, namePointer])>}: every direct child of the element at {@code pointer}
     * (the root when empty) gives a reference topic, or the input of the directives after it; its
     * path fragment is the scalar at {@code namePointer} inside the child if there is one, else its
     * key or index. A scalar element expands to itself and adds nothing to the path.
     */
    public record Expand(String pointer, Optional<String> namePointer) implements Part {
        public Expand {
            JsonPointers.require(Objects.requireNonNull(pointer, "pointer"));
            Objects.requireNonNull(namePointer, "namePointer").ifPresent(JsonPointers::require);
        }
    }

    /** One reference topic a template gives: its path and the current value (an expanded child, or the source value). */
    public record Mapping(String path, JsonNode value) {
    }

    private final List<Part> parts;

    private PathTemplate(List<Part> parts) {
        this.parts = parts;
    }

    /** A template of these parts; adjacent literals are merged. */
    public static PathTemplate of(List<? extends Part> parts) {
        List<Part> merged = new ArrayList<>();
        for (Part part : parts) {
            int last = merged.size() - 1;
            if (part instanceof Literal l && last >= 0 && merged.get(last) instanceof Literal previous) {
                merged.set(last, new Literal(previous.text() + l.text()));
            } else {
                merged.add(Objects.requireNonNull(part, "part"));
            }
        }
        if (merged.isEmpty()) {
            throw new IllegalArgumentException("empty path template");
        }
        return new PathTemplate(List.copyOf(merged));
    }

    /** Parses a template alone, e.g. to check a user's input; errors are positioned in it. */
    public static PathTemplate parse(String template) {
        DslScanner scanner = new DslScanner(template == null ? "" : template);
        PathTemplate result = new TemplateParser(scanner).template();
        scanner.endOfToken("the path template");
        return result;
    }

    public List<Part> parts() {
        return parts;
    }

    /** True when expanding needs the source value: there is a {@code <scalar>} or {@code <expand>} directive. */
    public boolean needsValue() {
        return parts.stream().anyMatch(p -> p instanceof Scalar || p instanceof Expand);
    }

    /** True when there is an {@code <expand>} directive: one source may give many reference topics. */
    public boolean expands() {
        return parts.stream().anyMatch(p -> p instanceof Expand);
    }

    /**
     * Every reference topic this template gives for a source, in document order, with the current
     * value each carries (the expanded child after the last {@code <expand>}, else the source value).
     * Expansions that give no valid topic path are dropped; when two give one path, only the first
     * is kept (Diffusion: "only the first encountered will be created and updated").
     */
    public List<Mapping> expandAll(String sourcePath, JsonNode sourceValue, String separatorOrNull) {
        Objects.requireNonNull(sourcePath, "sourcePath");
        String[] segments = TopicPath.segments(sourcePath);
        List<Mapping> partial = List.of(new Mapping("", sourceValue));
        for (Part part : parts) {
            List<Mapping> next = new ArrayList<>();
            for (Mapping m : partial) {
                if (part instanceof Expand e) {
                    expandChildren(e, m, separatorOrNull, next);
                } else {
                    expand(part, segments, m.value(), separatorOrNull)
                            .filter(text -> m.path().length() + text.length() <= TopicPath.MAX_LENGTH)
                            .ifPresent(text -> next.add(new Mapping(m.path() + text, m.value())));
                }
            }
            partial = next;
        }
        java.util.LinkedHashMap<String, Mapping> unique = new java.util.LinkedHashMap<>();
        for (Mapping m : partial) {
            if (TopicPath.isValid(m.path())) {
                unique.putIfAbsent(m.path(), m);
            }
        }
        return List.copyOf(unique.values());
    }

    private static void expandChildren(Expand e, Mapping m, String separator, List<Mapping> out) {
        if (m.value() == null) {
            return;
        }
        JsonNode element = JsonPointers.at(m.value(), e.pointer());
        if (element.isMissingNode()) {
            return;
        }
        if (!element.isContainerNode()) {
            out.add(new Mapping(m.path(), element)); // a scalar expands to itself, adding nothing to the path
            return;
        }
        if (element.isArray()) {
            for (int i = 0; i < element.size(); i++) {
                addChild(e, m, Integer.toString(i), element.get(i), separator, out);
            }
        } else {
            element.fields().forEachRemaining(f -> addChild(e, m, f.getKey(), f.getValue(), separator, out));
        }
    }

    private static void addChild(Expand e, Mapping m, String key, JsonNode child, String separator, List<Mapping> out) {
        String fragment = e.namePointer()
                .filter(p -> child.isContainerNode())
                .flatMap(p -> Scalars.text(JsonPointers.at(child, p)))
                .orElse(key);
        if (separator != null) {
            fragment = fragment.replace("/", separator);
        }
        if (m.path().length() + fragment.length() <= TopicPath.MAX_LENGTH) {
            out.add(new Mapping(m.path() + fragment, child));
        }
    }

    /**
     * The reference topic path for a source topic, or empty when this source maps to no
     * reference topic: a path index out of range, a pointer to nothing or to an object or
     * array, or a result that is not a valid topic path.
     *
     * <p>A {@code /} in a scalar's text adds levels to the path, as in Diffusion, unless a
     * separator is given to replace it.
     *
     * @param sourceValue the source's value, used by {@code <scalar>} only (may be null if
     *                    {@link #needsValue()} is false)
     * @param separatorOrNull the {@code separator} clause of the view, or null
     */
    public Optional<String> expand(String sourcePath, JsonNode sourceValue, String separatorOrNull) {
        Objects.requireNonNull(sourcePath, "sourcePath");
        if (expands()) {
            throw new IllegalStateException("an <expand> maps to many paths: use expandAll");
        }
        String[] segments = TopicPath.segments(sourcePath);
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            Optional<String> text = expand(part, segments, sourceValue, separatorOrNull);
            if (text.isEmpty() || out.length() + text.get().length() > TopicPath.MAX_LENGTH) {
                return Optional.empty();
            }
            out.append(text.get());
        }
        String path = out.toString();
        return TopicPath.isValid(path) ? Optional.of(path) : Optional.empty();
    }

    private static Optional<String> expand(Part part, String[] segments, JsonNode value, String separator) {
        if (part instanceof Literal l) {
            return Optional.of(l.text());
        }
        if (part instanceof SourcePath p) {
            int end = p.count().isPresent() ? p.start() + p.count().getAsInt() : segments.length;
            if (p.start() >= segments.length || end > segments.length) {
                return Optional.empty();
            }
            return Optional.of(String.join("/", List.of(segments).subList(p.start(), end)));
        }
        if (part instanceof Expand) {
            throw new IllegalStateException("an <expand> maps to many paths: use expandAll");
        }
        Scalar s = (Scalar) part;
        if (value == null) {
            return Optional.empty();
        }
        return Scalars.text(JsonPointers.at(value, s.pointer()))
                .map(text -> separator == null ? text : text.replace("/", separator));
    }

    /** The template as the language writes it. */
    public String toDsl() {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            if (part instanceof Literal l) {
                out.append(l.text());
            } else if (part instanceof SourcePath p) {
                out.append("<path(").append(p.start());
                p.count().ifPresent(c -> out.append(',').append(c));
                out.append(")>");
            } else if (part instanceof Expand e) {
                out.append("<expand(").append(JsonPointers.toDsl(e.pointer()));
                e.namePointer().ifPresent(n -> out.append(',').append(JsonPointers.toDsl(n)));
                out.append(")>");
            } else {
                out.append("<scalar(").append(JsonPointers.toDsl(((Scalar) part).pointer())).append(")>");
            }
        }
        return out.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PathTemplate t && t.parts.equals(parts);
    }

    @Override
    public int hashCode() {
        return parts.hashCode();
    }

    @Override
    public String toString() {
        return toDsl();
    }
}
