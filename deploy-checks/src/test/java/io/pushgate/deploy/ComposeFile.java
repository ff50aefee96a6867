package io.pushgate.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * deploy/compose.yaml as plain maps (anchors and merge keys resolved), alone or with files added
 * as {@code docker compose -f a.yaml -f b.yaml} adds them (with Compose's {@code !reset} and
 * {@code !override} tags), and Compose's ${...} substitutions.
 */
final class ComposeFile {

    /** {@code ${NAME}}, {@code ${NAME:-default}}, {@code ${NAME-default}}, {@code ${NAME:?error}}, {@code ${NAME?error}}. */
    static final Pattern SUBSTITUTION = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?}");

    private final Map<String, Object> document;

    private ComposeFile(Map<String, Object> document) {
        this.document = document;
    }

    static ComposeFile read(Path file, Path... added) {
        Map<String, Object> document = asMap(resolved(load(file)));
        for (Path more : added) {
            document = merge(document, load(more));
        }
        return new ComposeFile(document);
    }

    private static Map<String, Object> load(Path file) {
        try (Reader in = Files.newBufferedReader(file)) {
            return new LinkedHashMap<>(asMap(new Yaml(new ComposeTags()).load(in)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code !reset}: removes what an earlier file set under that key (whatever value follows the tag). */
    static final Object RESET = new Object() {
        @Override
        public String toString() {
            return "!reset";
        }
    };

    /** {@code !override value}: replaces what an earlier file set under that key, instead of merging into it. */
    record Overriding(Object value) {
    }

    /** SnakeYAML's safe constructor, with Compose's two merge tags. */
    private static final class ComposeTags extends SafeConstructor {

        ComposeTags() {
            super(new LoaderOptions());
            yamlConstructors.put(new Tag("!reset"), new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    return RESET;
                }
            });
            yamlConstructors.put(new Tag("!override"), new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    node.setTag(switch (node.getNodeId()) {
                        case mapping -> Tag.MAP;
                        case sequence -> Tag.SEQ;
                        default -> Tag.STR;
                    });
                    return new Overriding(constructObject(node));
                }
            });
        }
    }

    /**
     * Compose's merge of a later file into an earlier one: mappings (services, environment,
     * depends_on, ...) key by key; {@code ports}, {@code volumes} and {@code expose} appended; any
     * other value replaced.
     */
    static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> added) {
        Map<String, Object> out = new LinkedHashMap<>(base);
        added.forEach((key, value) -> {
            Object before = out.get(key);
            if (value == RESET) {
                out.remove(key);
            } else if (value instanceof Overriding replacement) {
                out.put(key, resolved(replacement.value()));
            } else if (before instanceof Map<?, ?> && value instanceof Map<?, ?>) {
                out.put(key, merge(asMap(before), asMap(value)));
            } else if (before instanceof List<?> && value instanceof List<?> && List.of("ports", "volumes", "expose").contains(key)) {
                List<Object> both = new java.util.ArrayList<>(asList(before));
                both.addAll(asList(resolved(value)));
                out.put(key, both);
            } else {
                out.put(key, resolved(value));
            }
        });
        return out;
    }

    /** A value with nothing before it to reset or override: its !reset entries dropped, its !override values as they are. */
    private static Object resolved(Object value) {
        if (value instanceof Overriding replacement) {
            return resolved(replacement.value());
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                if (v != RESET) {
                    out.put(String.valueOf(k), resolved(v));
                }
            });
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().filter(v -> v != RESET).map(ComposeFile::resolved).toList();
        }
        return value;
    }

    /** The merged document. */
    Map<String, Object> document() {
        return document;
    }

    /** The services by name. */
    Map<String, Map<String, Object>> services() {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        asMap(document.get("services")).forEach((name, body) -> out.put(name, asMap(body)));
        return out;
    }

    /** A service's environment, from its map or its list of NAME=value. */
    static Map<String, String> environment(Map<String, Object> service) {
        Map<String, String> out = new LinkedHashMap<>();
        Object env = service.get("environment");
        if (env instanceof Map<?, ?> map) {
            map.forEach((k, v) -> out.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
        } else if (env instanceof List<?> list) {
            for (Object entry : list) {
                String s = String.valueOf(entry);
                int eq = s.indexOf('=');
                out.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? null : s.substring(eq + 1));
            }
        }
        return out;
    }

    /** A value with each substitution replaced by its default (empty when it has none), as Compose would with nothing set. */
    static String withDefaults(String value) {
        Matcher m = SUBSTITUTION.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String op = m.group(2);
            String replacement = op != null && op.endsWith("-") ? m.group(3) : "";
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * A value as the service gets it when only what Compose requires is set: {@code ${X:?...}} and
     * {@code ${X?...}} hold something (Compose refuses to start otherwise; shown as {@code <X>}), the
     * others their default or nothing.
     */
    static String asStarted(String value) {
        Matcher m = SUBSTITUTION.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String op = m.group(2);
            String replacement = op == null ? "" : op.endsWith("?") ? "<" + m.group(1) + ">" : op.endsWith("-") ? m.group(3) : "";
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Whether a value is nothing but one substitution of a variable, so that it comes from the environment or deploy/.env. */
    static boolean fromTheEnvironment(String value) {
        Matcher m = SUBSTITUTION.matcher(value == null ? "" : value.trim());
        return m.matches() && (m.group(2) == null || !m.group(2).endsWith("-") || m.group(3).isEmpty());
    }

    /** The literal default a value falls back to, if it holds one ({@code ${X:-secret}} holds "secret"). */
    static Optional<String> literalPart(String value) {
        Matcher m = SUBSTITUTION.matcher(value);
        StringBuilder literal = new StringBuilder();
        int last = 0;
        while (m.find()) {
            literal.append(value, last, m.start());
            String op = m.group(2);
            if (op != null && op.endsWith("-")) {
                literal.append(m.group(3));
            }
            last = m.end();
        }
        literal.append(value.substring(last));
        return literal.isEmpty() ? Optional.empty() : Optional.of(literal.toString());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object o) {
        return o instanceof Map<?, ?> ? (Map<String, Object>) o : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> asList(Object o) {
        return o instanceof List<?> ? (List<Object>) o : List.of();
    }
}
