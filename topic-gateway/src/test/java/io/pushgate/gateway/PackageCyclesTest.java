package io.pushgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No package cycle in the gateway but the known ones, and none at all among the core packages
 * (plain Java, see the README's "How the code is laid out"); the model and the applier depend on
 * nothing above them. Read from the sources (imports and fully qualified names in code; comments
 * and string literals left out), with no library: a cycle found is printed with the files that
 * make each of its edges.
 */
class PackageCyclesTest {

    private static final String BASE = "io.pushgate.gateway.";
    private static final Path SOURCES = Path.of("src/main/java/io/pushgate/gateway");

    /** Plain-Java core packages that must not form a cycle with one another. */
    private static final Set<String> CORE = Set.of("topics", "timeseries", "selectors", "replication", "views",
            "operations", "store", "sessions.filter", "security", "security.introspection", "presence", "messaging");

    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern REFERENCE = Pattern.compile("\\b" + Pattern.quote(BASE) + "((?:[a-z_][a-z0-9_]*\\.)*?[a-z_][a-z0-9_]*)\\.[A-Z]");
    /** Comments, string and char literals: a name in them is no dependency (and "/*" in a string starts no comment). */
    private static final Pattern NOT_CODE = Pattern.compile("\"(?:\\\\.|[^\"\\\\])*\"|'(?:\\\\.|[^'\\\\])+'|/\\*.*?\\*/|//[^\\n]*",
            Pattern.DOTALL);

    /**
     * The cycles left, each to be removed from here when it is broken (the test fails until it is, so
     * that this list only shrinks). None: the last one, control <-> sessions, went when
     * {@code sessions.RequestDispatcher} came to run the session-control ops through its own port
     * {@code RequestDispatcher.ControlOps}, which {@code control.SessionOps} implements.
     */
    private static final List<Set<String>> KNOWN_CYCLES = List.of();

    /** Package (without the base) -> packages it refers to -> the files that do. */
    private static final Map<String, Map<String, Set<String>>> GRAPH = readGraph();

    @Test
    void theGatewayHasNoPackageCycleButTheKnownOnes() {
        List<Set<String>> cycles = stronglyConnected(GRAPH, GRAPH.keySet());
        assertThat(cycles).as(describe(cycles)).containsExactlyInAnyOrderElementsOf(KNOWN_CYCLES);
    }

    @Test
    void theCorePackagesFormNoCycle() {
        List<Set<String>> cycles = cycles(CORE);
        assertThat(cycles).as(describe(cycles)).isEmpty();
    }

    @Test
    void theModelDependsOnlyOnItself() {
        assertThat(dependencies("topics")).isSubsetOf("selectors");
        assertThat(dependencies("selectors")).isEmpty();
        assertThat(dependencies("timeseries")).isSubsetOf("topics");
    }

    @Test
    void theApplierAndTheViewsKnowNothingOfSessionsOrAdapters() {
        Set<String> above = Set.of("sessions", "transport.ws", "transport.sse", "transport", "rest", "redis", "core", "wiring");
        assertThat(dependencies("replication")).doesNotContainAnyElementsOf(above);
        assertThat(dependencies("views")).doesNotContainAnyElementsOf(above);
    }

    @Test
    void theCheckFindsACycle() {
        Map<String, Map<String, Set<String>>> graph = Map.of(
                "a", Map.of("b", Set.of("A.java")), "b", Map.of("c", Set.of("B.java")), "c", Map.of("a", Set.of("C.java")));
        assertThat(stronglyConnected(graph, Set.of("a", "b", "c"))).containsExactly(Set.of("a", "b", "c"));
        assertThat(stronglyConnected(graph, Set.of("a", "b"))).isEmpty();
    }

    private static Set<String> dependencies(String pkg) {
        assertThat(GRAPH).as("package " + pkg + " has sources").containsKey(pkg);
        return GRAPH.get(pkg).keySet();
    }

    private static List<Set<String>> cycles(Set<String> among) {
        return stronglyConnected(GRAPH, among);
    }

    /** Tarjan's strongly connected components of more than one package, edges within {@code among} only. */
    static List<Set<String>> stronglyConnected(Map<String, Map<String, Set<String>>> graph, Set<String> among) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<Set<String>> found = new ArrayList<>();
        for (String start : new TreeSet<>(among)) {
            if (!index.containsKey(start)) {
                connect(start, graph, among, index, low, stack, onStack, found);
            }
        }
        return found;
    }

    private static void connect(String v, Map<String, Map<String, Set<String>>> graph, Set<String> among, Map<String, Integer> index,
                                Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<Set<String>> found) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.push(v);
        onStack.add(v);
        for (String w : graph.getOrDefault(v, Map.of()).keySet()) {
            if (!among.contains(w)) {
                continue;
            }
            if (!index.containsKey(w)) {
                connect(w, graph, among, index, low, stack, onStack, found);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                found.add(component);
            }
        }
    }

    private static String describe(List<Set<String>> cycles) {
        StringBuilder sb = new StringBuilder("package cycles:");
        for (Set<String> cycle : cycles) {
            sb.append("\n  ").append(cycle);
            for (String from : cycle) {
                GRAPH.getOrDefault(from, Map.of()).forEach((to, files) -> {
                    if (cycle.contains(to)) {
                        sb.append("\n    ").append(from).append(" -> ").append(to).append(' ').append(files);
                    }
                });
            }
        }
        return sb.toString();
    }

    private static Map<String, Map<String, Set<String>>> readGraph() {
        Map<String, Map<String, Set<String>>> graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String source = NOT_CODE.matcher(Files.readString(file)).replaceAll(" ");
                Matcher pkg = PACKAGE.matcher(source);
                if (!pkg.find() || !pkg.group(1).startsWith(BASE)) {
                    continue;
                }
                String from = pkg.group(1).substring(BASE.length());
                Map<String, Set<String>> edges = graph.computeIfAbsent(from, p -> new TreeMap<>());
                Matcher ref = REFERENCE.matcher(source);
                while (ref.find()) {
                    String to = ref.group(1);
                    if (!to.equals(from)) {
                        edges.computeIfAbsent(to, p -> new TreeSet<>()).add(file.getFileName().toString());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return graph;
    }
}
