package io.pushgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each service's README documents exactly the settings its {@code @ConfigMapping} interfaces
 * declare: every property of a mapping has a row in the README's configuration table, every row
 * under a mapping's prefix is a property a mapping declares, and a row's default is the value the
 * service has when nothing sets it (its {@code application.properties}, else its
 * {@code @WithDefault}). Properties outside the mappings' prefixes ({@code quarkus.*}) are the
 * README's to document as it sees fit.
 */
class ConfigTablesTest {

    static Stream<String> services() {
        return Repository.get().services().keySet().stream();
    }

    @ParameterizedTest
    @MethodSource("services")
    void theReadmeConfigurationTableListsEveryMappedPropertyWithItsDefault(String module) {
        ServiceModule service = Repository.get().services().get(module);
        ConfigMappingScanner.Declared declared = ConfigMappingScanner.scan(service.dir().resolve("src/main/java"));
        Set<String> mapped = new TreeSet<>();
        for (String property : declared.properties()) {
            if (underPrefix(property, declared.prefixes())) {
                mapped.add(property);
            }
        }
        ConfigTable table = ConfigTable.read(service.dir().resolve("README.md"));

        List<String> problems = new ArrayList<>();
        for (String property : mapped) {
            if (!table.defaults().containsKey(property)) {
                problems.add("not in the README's table: " + property + service.valueWhenUnset(property).map(v -> " (default " + v + ")").orElse(""));
            }
        }
        for (Map.Entry<String, Optional<String>> row : table.defaults().entrySet()) {
            String property = row.getKey();
            if (!underPrefix(property, declared.prefixes())) {
                continue;
            }
            if (mapped.stream().noneMatch(m -> m.equals(property) || matches(m, property))) {
                problems.add("in the README's table but in no @ConfigMapping: " + property);
                continue;
            }
            Optional<String> actual = service.valueWhenUnset(property);
            if (row.getValue().isPresent() && actual.isPresent() && !row.getValue().get().equals(actual.get())) {
                problems.add("default of " + property + ": the README says " + row.getValue().get() + ", the service has " + actual.get());
            }
        }
        assertThat(problems).as("%s/README.md, \"Configuration\", against %s's @ConfigMapping interfaces", module, module).isEmpty();
    }

    @Test
    void theTableReaderReadsNamesPlaceholdersSiblingsAndDefaultsOfTheConfigurationSectionsTablesOnly() {
        ConfigTable table = ConfigTable.parse("""
                # x

                ## Run

                | property | default |
                |---|---|
                | `x.not-here` | `1` |

                ## Configuration

                | property | meaning | default |
                |---|---|---|
                | `quarkus.http.port` (`QUARKUS_HTTP_PORT`) | the port | `8081` |
                | `x.clients.<id>.secret`, `.roles` | a client's | none |
                | `x.servers."<name>".url` | a server | `http://localhost:8080` (the local one) |
                | `x.limit` | a pipe \\| in a cell | `10s` |

                | property (environment variable) | default | |
                |---|---|---|
                | `x.other` | `a` | |

                | `x.headerless` | `3` | rows after a blank line, without a header: GitHub shows them as text |

                ## Next
                | `x.after` | `2` | |
                """);
        assertThat(table.defaults()).containsOnlyKeys("quarkus.http.port", "x.clients.*.secret", "x.clients.*.roles",
                "x.servers.*.url", "x.limit", "x.other");
        assertThat(table.defaults().get("quarkus.http.port")).contains("8081");
        assertThat(table.defaults().get("x.clients.*.roles")).isEmpty();
        assertThat(table.defaults().get("x.servers.*.url")).contains("http://localhost:8080");
        assertThat(table.defaults().get("x.limit")).contains("10s");
        assertThat(table.defaults().get("x.other")).contains("a");
    }

    @Test
    void aConcreteMapKeyMatchesItsPattern() {
        assertThat(matches("auth.clients.*.secret", "auth.clients.backend-app.secret")).isTrue();
        assertThat(matches("auth.clients.*.secret", "auth.clients.secret")).isFalse();
        assertThat(matches("bridge.gateway-mappings.*", "bridge.gateway-mappings.\"prices.*\"")).isTrue();
    }

    private static boolean underPrefix(String property, Set<String> prefixes) {
        return prefixes.stream().anyMatch(p -> !p.isEmpty() && (property.equals(p) || property.startsWith(p + ".")));
    }

    /** Whether a README's concrete name ({@code auth.clients.backend-app.secret}) is an instance of a mapped pattern. */
    static boolean matches(String pattern, String property) {
        if (!pattern.contains("*")) {
            return false;
        }
        StringBuilder regex = new StringBuilder();
        for (String part : pattern.split("\\*", -1)) {
            if (regex.length() > 0) {
                regex.append("(?:\"[^\"]+\"|[^.\"]+)");
            }
            regex.append(Pattern.quote(part));
        }
        return property.matches(regex.toString().replace("\\Q\\E", ""));
    }
}
