package io.pushgate.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads a module's Java sources for the properties it declares, without compiling or loading it:
 * each {@code @ConfigMapping(prefix = "...")} interface is walked member by member (nested groups,
 * {@code Optional}, {@code Map} keys as {@code *}, lists of groups as {@code [*]}, {@code @WithName},
 * {@code @WithParentName}, super-interfaces) into full property names in SmallRye's default
 * kebab-case, with the {@code @WithDefault} of each; {@code @ConfigProperty(name = "...")} and
 * {@code getValue("...")} add theirs.
 *
 * <p>A small reader of Java's surface syntax, not a parser: it handles what configuration
 * interfaces are made of (annotations, generic return types, nested interfaces, default methods).
 */
final class ConfigMappingScanner {

    private static final Pattern CONFIG_MAPPING =
            Pattern.compile("@(?:io\\.smallrye\\.config\\.)?ConfigMapping\\s*\\(((?:[^()\"]|\"(?:\\\\.|[^\"\\\\])*\")*)\\)");
    private static final Pattern CONFIG_PROPERTY = Pattern.compile(
            "@(?:org\\.eclipse\\.microprofile\\.config\\.inject\\.)?ConfigProperty\\s*\\(((?:[^()\"]|\"(?:\\\\.|[^\"\\\\])*\")*)\\)");
    private static final Pattern PROGRAMMATIC = Pattern.compile("\\.get(?:Optional)?Value\\s*\\(\\s*\"([^\"]+)\"");
    private static final Pattern PREFIX = Pattern.compile("\\bprefix\\s*=\\s*\"([^\"]*)\"");
    private static final Pattern NAME = Pattern.compile("\\bname\\s*=\\s*\"([^\"]*)\"");
    private static final Pattern INTERFACE =
            Pattern.compile("(?<!@)\\binterface\\s+(\\w+)\\s*(?:<[^{]*?>)?\\s*(?:extends\\s+([^{]+))?\\{");
    private static final Pattern ANNOTATION =
            Pattern.compile("@([\\w.]+)\\s*(\\(((?:[^()\"]|\"(?:\\\\.|[^\"\\\\])*\")*)\\))?");
    private static final Pattern METHOD = Pattern.compile("^(.+?)\\s+(\\w+)\\s*\\(\\s*\\)\\s*(?:throws\\s+[\\w.,\\s]+)?$", Pattern.DOTALL);
    private static final Pattern STRING = Pattern.compile("\"((?:\\\\.|[^\"\\\\])*)\"");

    /** One method of a configuration interface. */
    record Member(String name, String type, Optional<String> withName, boolean parentName, Optional<String> withDefault) {
    }

    /**
     * What the sources declare: full property names (patterns where maps and lists are), mapping
     * prefixes, and the {@code @WithDefault} value of each property (of a mapping) that has one.
     */
    record Declared(Set<String> properties, Set<String> prefixes, Map<String, String> defaults) {
    }

    private final Map<String, List<Member>> members = new HashMap<>();
    private final Map<String, List<String>> supertypes = new HashMap<>();
    private final Map<String, String> mappings = new HashMap<>();
    private final Set<String> injected = new LinkedHashSet<>();

    private ConfigMappingScanner() {
    }

    /** Scans every {@code .java} file under the directory (a module's {@code src/main/java}); none there is fine. */
    static Declared scan(Path sourceRoot) {
        ConfigMappingScanner scanner = new ConfigMappingScanner();
        if (Files.isDirectory(sourceRoot)) {
            try (Stream<Path> files = Files.walk(sourceRoot)) {
                files.filter(f -> f.toString().endsWith(".java")).sorted().forEach(scanner::read);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return scanner.declared();
    }

    /** Scans one source text (for tests). */
    static Declared scanSource(String source) {
        ConfigMappingScanner scanner = new ConfigMappingScanner();
        scanner.readSource(source);
        return scanner.declared();
    }

    private void read(Path file) {
        try {
            readSource(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void readSource(String raw) {
        String source = JavaText.stripComments(raw);
        Matcher type = INTERFACE.matcher(source);
        while (type.find()) {
            int open = type.end() - 1;
            int close = JavaText.matchingBrace(source, open);
            String name = type.group(1);
            members.put(name, members(source.substring(open + 1, close)));
            List<String> supers = new ArrayList<>();
            if (type.group(2) != null) {
                for (String s : JavaText.splitTopLevel(type.group(2), ',')) {
                    supers.add(JavaText.simpleName(s.trim()));
                }
            }
            supertypes.put(name, supers);
        }
        Matcher mapping = CONFIG_MAPPING.matcher(source);
        while (mapping.find()) {
            Matcher prefix = PREFIX.matcher(mapping.group(1));
            Matcher next = INTERFACE.matcher(source);
            if (next.find(mapping.end())) {
                mappings.put(next.group(1), prefix.find() ? prefix.group(1) : "");
            }
        }
        Matcher property = CONFIG_PROPERTY.matcher(source);
        while (property.find()) {
            Matcher name = NAME.matcher(property.group(1));
            if (name.find()) {
                injected.add(name.group(1));
            }
        }
        Matcher lookup = PROGRAMMATIC.matcher(source);
        while (lookup.find()) {
            injected.add(lookup.group(1));
        }
    }

    /** The abstract, parameterless methods at the top level of an interface body. */
    private static List<Member> members(String body) {
        List<Member> out = new ArrayList<>();
        StringBuilder statement = new StringBuilder();
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '"' || c == '\'') {
                int end = JavaText.endOfLiteral(body, i);
                statement.append(body, i, end);
                i = end - 1;
            } else if (c == '{') {
                // a nested type or a default method: neither is a configuration member of this one
                i = JavaText.matchingBrace(body, i);
                statement.setLength(0);
            } else if (c == ';') {
                member(statement.toString().trim()).ifPresent(out::add);
                statement.setLength(0);
            } else {
                statement.append(c);
            }
        }
        return out;
    }

    private static Optional<Member> member(String statement) {
        Optional<String> withName = Optional.empty();
        Optional<String> withDefault = Optional.empty();
        boolean parentName = false;
        Matcher annotation = ANNOTATION.matcher(statement);
        StringBuilder rest = new StringBuilder();
        int last = 0;
        while (annotation.find()) {
            rest.append(statement, last, annotation.start());
            last = annotation.end();
            String simple = JavaText.simpleName(annotation.group(1));
            if (simple.equals("WithName") && annotation.group(3) != null) {
                Matcher value = STRING.matcher(annotation.group(3));
                if (value.find()) {
                    withName = Optional.of(value.group(1));
                }
            } else if (simple.equals("WithParentName")) {
                parentName = true;
            } else if (simple.equals("WithDefault") && annotation.group(3) != null) {
                Matcher value = STRING.matcher(annotation.group(3));
                if (value.find()) {
                    withDefault = Optional.of(unescape(value.group(1)));
                }
            }
        }
        rest.append(statement.substring(last));
        String signature = rest.toString().trim().replaceAll("\\s+", " ");
        if (signature.startsWith("static ") || signature.startsWith("default ") || signature.startsWith("private ")) {
            return Optional.empty();
        }
        Matcher method = METHOD.matcher(signature);
        if (!method.matches()) {
            return Optional.empty();
        }
        String type = method.group(1).replaceFirst("^(public|abstract)\\s+", "").trim();
        return Optional.of(new Member(method.group(2), type, withName, parentName, withDefault));
    }

    /** The value of a string literal's body, its escapes (\" \\ \n \t \r) resolved. */
    private static String unescape(String body) {
        StringBuilder out = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\\' && i + 1 < body.length()) {
                char next = body.charAt(++i);
                out.append(switch (next) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    default -> next;
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private Declared declared() {
        Set<String> properties = new LinkedHashSet<>(injected);
        Map<String, String> defaults = new HashMap<>();
        for (Map.Entry<String, String> mapping : mappings.entrySet()) {
            expand(mapping.getValue(), mapping.getKey(), properties, defaults, new HashSet<>());
        }
        return new Declared(properties, new LinkedHashSet<>(mappings.values()), Map.copyOf(defaults));
    }

    private void expand(String prefix, String group, Set<String> out, Map<String, String> defaults, Set<String> path) {
        if (!path.add(group)) {
            return;
        }
        for (String supertype : supertypes.getOrDefault(group, List.of())) {
            if (members.containsKey(supertype)) {
                expand(prefix, supertype, out, defaults, path);
            }
        }
        for (Member m : members.getOrDefault(group, List.of())) {
            String segment = m.parentName() ? "" : m.withName().orElse(kebab(m.name()));
            String name = join(prefix, segment);
            String type = unwrapOptional(m.type());
            List<String> args = JavaText.typeArguments(type);
            String raw = JavaText.simpleName(JavaText.rawType(type));
            if ((raw.equals("Map") || raw.endsWith("Map")) && args.size() == 2) {
                leafOrGroup(name + ".*", unwrapOptional(args.get(1)), out, defaults, path);
            } else if ((raw.equals("List") || raw.equals("Set") || raw.equals("Collection")) && args.size() == 1) {
                String element = JavaText.simpleName(JavaText.rawType(args.get(0)));
                if (members.containsKey(element)) {
                    expand(name + "[*]", element, out, defaults, path);
                } else {
                    out.add(name);
                }
            } else {
                leafOrGroup(name, type, out, defaults, path);
            }
            if (out.contains(name)) {
                m.withDefault().ifPresent(value -> defaults.put(name, value));
            }
        }
        path.remove(group);
    }

    private void leafOrGroup(String name, String type, Set<String> out, Map<String, String> defaults, Set<String> path) {
        String simple = JavaText.simpleName(JavaText.rawType(type));
        if (members.containsKey(simple)) {
            expand(name, simple, out, defaults, path);
        } else {
            out.add(name);
        }
    }

    private static String unwrapOptional(String type) {
        String raw = JavaText.simpleName(JavaText.rawType(type));
        List<String> args = JavaText.typeArguments(type);
        return raw.equals("Optional") && args.size() == 1 ? args.get(0).trim() : type.trim();
    }

    private static String join(String prefix, String segment) {
        if (prefix.isEmpty()) {
            return segment;
        }
        return segment.isEmpty() ? prefix : prefix + "." + segment;
    }

    /** SmallRye Config's default naming: {@code maxFrameBytes} is {@code max-frame-bytes}. */
    static String kebab(String name) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c)) {
                boolean afterLower = i > 0 && !Character.isUpperCase(name.charAt(i - 1));
                boolean endOfAcronym = i > 0 && Character.isUpperCase(name.charAt(i - 1))
                        && i + 1 < name.length() && Character.isLowerCase(name.charAt(i + 1));
                if (afterLower || endOfAcronym) {
                    out.append('-');
                }
                out.append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
