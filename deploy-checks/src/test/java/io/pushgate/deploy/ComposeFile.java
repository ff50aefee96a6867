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
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** deploy/compose.yaml as plain maps (anchors and merge keys resolved), and Compose's ${...} substitutions. */
final class ComposeFile {

    /** {@code ${NAME}}, {@code ${NAME:-default}}, {@code ${NAME-default}}, {@code ${NAME:?error}}, {@code ${NAME?error}}. */
    static final Pattern SUBSTITUTION = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?}");

    private final Map<String, Object> document;

    private ComposeFile(Map<String, Object> document) {
        this.document = document;
    }

    static ComposeFile read(Path file) {
        try (Reader in = Files.newBufferedReader(file)) {
            Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
            return new ComposeFile(asMap(loaded));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
