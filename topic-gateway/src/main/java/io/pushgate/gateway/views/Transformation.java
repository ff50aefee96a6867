package io.pushgate.gateway.views;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.protocol.Json;
import java.util.Objects;
import java.util.Optional;

/**
 * A transformation of the current value (Diffusion's {@code patch}, {@code process} and
 * {@code insert}), applied in the order written, after the path mapping and to each expanded
 * value. Immutable; equal when they mean the same transformation.
 */
public sealed interface Transformation permits Transformation.Patch, Transformation.Process, Transformation.Insert {

    /** The canonical text of the clause. */
    String toDsl();

    /** {@code patch 'RFC 6902 patch'}: applied atomically; a patch that fails gives no reference topic. */
    record Patch(JsonNode patch) implements Transformation {
        public Patch {
            Objects.requireNonNull(patch, "patch");
            if (!patch.isArray()) {
                throw new IllegalArgumentException("a JSON patch is an array of operations");
            }
        }

        @Override
        public String toDsl() {
            return "patch " + quote(Json.write(patch));
        }
    }

    /** {@code process {STATEMENT}}. */
    record Process(ProcessStatement statement) implements Transformation {
        public Process {
            Objects.requireNonNull(statement, "statement");
        }

        @Override
        public String toDsl() {
            return "process {" + statement.toDsl() + "}";
        }
    }

    /**
     * {@code insert PATH [key POINTER] at POINTER [default VALUE]}: the value of the topic at PATH
     * (built like the {@code to} template, without {@code <expand>}), or the part of it at
     * {@code key}, put at {@code at} in the current value; {@code fallback} when that topic or key
     * is missing, or of a type that cannot be inserted.
     */
    record Insert(PathTemplate path, Optional<String> key, String at, Optional<JsonNode> fallback) implements Transformation {
        public Insert {
            Objects.requireNonNull(path, "path");
            if (path.expands()) {
                throw new IllegalArgumentException("the path of an insert cannot <expand>");
            }
            Objects.requireNonNull(key, "key").ifPresent(JsonPointers::require);
            JsonPointers.require(Objects.requireNonNull(at, "at"));
            if (at.isEmpty()) {
                throw new IllegalArgumentException("insert ... at needs a pointer into the current value");
            }
            Objects.requireNonNull(fallback, "fallback").ifPresent(f -> {
                if (f.isContainerNode()) {
                    throw new IllegalArgumentException("the default of an insert is a scalar");
                }
            });
        }

        @Override
        public String toDsl() {
            StringBuilder out = new StringBuilder("insert ").append(path.toDsl());
            key.ifPresent(k -> out.append(" key ").append(JsonPointers.toDslWord(k)));
            out.append(" at ").append(JsonPointers.toDslWord(at));
            fallback.ifPresent(f -> out.append(" default ").append(f.isTextual() ? quote(f.textValue()) : Json.write(f)));
            return out.toString();
        }
    }

    /** Single-quoted, with {@code '} and {@code \} escaped, as {@link DslScanner#quoted()} reads it back. */
    static String quote(String text) {
        return '\'' + text.replace("\\", "\\\\").replace("'", "\\'") + '\'';
    }
}
