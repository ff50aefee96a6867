package io.pushgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code run.sh}, the way to run Pushgate on this machine without Docker, starts every service
 * module, as compose and every kustomization do (ComposeTest, KustomizeTest): the list comes from
 * the root pom, so a new service is missed nowhere.
 */
class RunScriptTest {

    /** {@code for m in a b c; do} of the modules it builds and starts. */
    private static final Pattern MODULE_LIST = Pattern.compile("(?m)^for m in ([a-z0-9 -]+); do\\s*$");

    private static String script;

    @BeforeAll
    static void read() throws IOException {
        script = Files.readString(Repository.get().root().resolve("run.sh"));
    }

    @Test
    void buildsAndStartsEveryServiceModule() {
        Matcher list = MODULE_LIST.matcher(script);
        assertThat(list.find()).as("run.sh's `for m in ...; do` list of modules").isTrue();
        List<String> listed = List.of(list.group(1).trim().split("\\s+"));
        List<String> problems = new ArrayList<>();
        for (String module : Repository.get().services().keySet()) {
            if (!listed.contains(module)) {
                problems.add(module + ": not in run.sh's list of modules to build (`for m in ...`)");
            }
            // start <module> <port> ..., at the start of a line or after `has <module> &&`
            if (!Pattern.compile("(?m)^(?:\\s*|.*&&\\s*)start " + Pattern.quote(module) + " \"\\$[A-Z_]+_PORT\"").matcher(script).find()) {
                problems.add(module + ": run.sh has no `start " + module + " \"$..._PORT\"` line");
            }
        }
        assertThat(Repository.get().services()).as("the service modules").hasSizeGreaterThanOrEqualTo(6);
        Problems.assertNone("run.sh", problems);
    }

    @Test
    void waitsForEachServiceToBeReady() {
        List<String> problems = new ArrayList<>();
        for (String module : Repository.get().services().keySet()) {
            // await_ready <name> "$..._PORT", where the gateway is called "gateway"
            String name = module.equals("topic-gateway") ? "gateway" : module;
            if (!script.contains("await_ready " + name + " \"$")) {
                problems.add(module + ": run.sh does not wait for its readiness (`await_ready " + name + " \"$..._PORT\"`)");
            }
        }
        Problems.assertNone("run.sh", problems);
    }
}
