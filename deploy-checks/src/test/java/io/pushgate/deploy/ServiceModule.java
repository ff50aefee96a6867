package io.pushgate.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One service of the repository: its module, the port it listens on, its own property values (prod,
 * no profile), the {@code @WithDefault} values of its configuration interfaces, and what it reads
 * from configuration.
 */
record ServiceModule(String name, Path dir, OptionalInt httpPort, Map<String, String> properties, Map<String, String> defaults,
        ConfigSurface config) {

    private static final Pattern PROFILE = Pattern.compile("^%[^.]+\\.");
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([^}:]+)");

    static ServiceModule read(String name, Path dir) {
        Properties file = new Properties();
        try (Reader in = Files.newBufferedReader(dir.resolve("src/main/resources/application.properties"))) {
            file.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<String> properties = new LinkedHashSet<>();
        Set<String> referenced = new LinkedHashSet<>();
        Map<String, String> values = new TreeMap<>();
        for (String key : file.stringPropertyNames()) {
            properties.add(PROFILE.matcher(key).replaceFirst(""));
            if (!key.startsWith("%")) {
                values.put(key, file.getProperty(key));
            }
            Matcher expression = EXPRESSION.matcher(file.getProperty(key));
            while (expression.find()) {
                referenced.add(expression.group(1).trim());
            }
        }
        ConfigMappingScanner.Declared declared = ConfigMappingScanner.scan(dir.resolve("src/main/java"));
        Set<String> patterns = new LinkedHashSet<>();
        for (String property : declared.properties()) {
            if (property.contains("*")) {
                patterns.add(property);
            } else {
                properties.add(property);
            }
        }
        String port = file.getProperty("quarkus.http.port");
        OptionalInt httpPort = port == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(port.trim()));
        return new ServiceModule(name, dir, httpPort, Map.copyOf(values), declared.defaults(),
                new ConfigSurface(name, properties, patterns, referenced));
    }

    /**
     * The value a property has when nothing sets it: its application.properties' (no profile), else
     * its {@code @WithDefault}; empty when it has neither.
     */
    Optional<String> valueWhenUnset(String property) {
        return Optional.ofNullable(properties.get(property)).or(() -> Optional.ofNullable(defaults.get(property)));
    }

    /** The port the service listens on: its {@code quarkus.http.port}, else Quarkus's default 8080. */
    int port() {
        return httpPort.orElse(8080);
    }

    /** Whether the service uses Redis: its pom depends on Quarkus's Redis client ({@code quarkus.redis.*}). */
    boolean usesRedis() {
        try {
            return Files.readString(dir.resolve("pom.xml")).contains("<artifactId>quarkus-redis-client</artifactId>");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
