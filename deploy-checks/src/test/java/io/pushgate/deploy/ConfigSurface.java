package io.pushgate.deploy;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Everything one service reads from its configuration, so that an environment variable can be
 * told apart from a typo: the keys of its {@code application.properties} (profiles stripped), the
 * properties of its {@code @ConfigMapping} interfaces, the names of its {@code @ConfigProperty}
 * injections, and the environment variables its properties file refers to ({@code ${NAME:...}}).
 * Every {@code quarkus.*} property is taken as read: Quarkus's own configuration is not listed here.
 */
final class ConfigSurface {

    private final String module;
    private final Set<String> properties;
    private final List<String> patterns;
    private final Set<String> referencedVariables;
    private final Map<String, Pattern> compiled;

    ConfigSurface(String module, Collection<String> properties, Collection<String> patterns,
            Collection<String> referencedVariables) {
        this.module = module;
        this.properties = new TreeSet<>(properties);
        this.patterns = List.copyOf(new TreeSet<>(patterns));
        this.referencedVariables = new TreeSet<>(referencedVariables);
        this.compiled = this.patterns.stream()
                .collect(Collectors.toMap(p -> p, EnvNames::toEnvPattern, (a, b) -> a));
    }

    String module() {
        return module;
    }

    /** Property names and patterns the service reads, for messages. */
    Set<String> known() {
        Set<String> all = new TreeSet<>(properties);
        all.addAll(patterns);
        return all;
    }

    /**
     * The property (or property pattern, or referring expression) through which the service reads
     * this environment variable, or empty when it reads no such thing.
     */
    Optional<String> propertyFor(String variable) {
        String env = EnvNames.toEnv(variable);
        if (env.startsWith("QUARKUS_")) {
            return Optional.of("quarkus.* (Quarkus's own configuration)");
        }
        if (referencedVariables.contains(variable)) {
            return Optional.of("${" + variable + "} in application.properties");
        }
        for (String property : properties) {
            if (EnvNames.toEnv(property).equals(env)) {
                return Optional.of(property);
            }
        }
        for (Map.Entry<String, Pattern> pattern : compiled.entrySet()) {
            if (pattern.getValue().matcher(env).matches()) {
                return Optional.of(pattern.getKey());
            }
        }
        return Optional.empty();
    }

    /** Whether the service reads this environment variable. */
    boolean reads(String variable) {
        return propertyFor(variable).isPresent();
    }

    /** The known properties closest to a variable, in environment-variable form, to suggest in a message. */
    String suggestionsFor(String variable) {
        String env = EnvNames.toEnv(variable);
        List<String> near = known().stream()
                .map(EnvNames::toEnv)
                .distinct()
                .sorted(Comparator.comparingInt((String e) -> distance(e, env)).thenComparing(Comparator.naturalOrder()))
                .limit(5)
                .toList();
        return near.isEmpty() ? "(nothing but quarkus.*)" : String.join(", ", near);
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
