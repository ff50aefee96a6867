package io.pushgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code run.sh}, the way to run Pushgate on this machine without Docker, starts every service
 * module, as compose and every kustomization do (ComposeTest, KustomizeTest): the list comes from
 * the root pom, so a new service is missed nowhere. Its demo is deploy/seed-demo.sh's, the script
 * Compose and Kubernetes users run: one definition of the demo (SeedDemoScriptTest runs it).
 */
class RunScriptTest {

    /** The seeding script, from the repository root. */
    static final String SEED_SCRIPT = "deploy/seed-demo.sh";
    /** The script that makes a Redis Cluster of redis-server nodes, from the repository root. */
    static final String CLUSTER_SCRIPT = "deploy/create-redis-cluster.sh";
    /** A line of run.sh that runs the seeding script (with bash, so that no executable bit is needed), not a comment. */
    private static final Pattern SEED_CALL = Pattern.compile("(?m)^(?!\\s*#)(.*)\\bbash " + Pattern.quote(SEED_SCRIPT) + "\\b(.*)$");
    /**
     * What setting up the demo takes: the admin's sign-in, requests to the gateway's security, views
     * and topics, the demo's rooms. (The role names are not here: run.sh gives them to the gateway and
     * the auth-service on their command lines.)
     */
    private static final List<String> SEEDING = List.of("grant_type=password", "/v1/security/", "/v1/views/", "/v1/topics/", "-X PUT",
            "chat/lobby", "chat/random", "inbox/chat");
    /** {@code ${NAME:-...}}: a variable the seeding script takes from its environment. */
    private static final Pattern INPUT = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):-");

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

    /**
     * run.sh seeds the demo by running deploy/seed-demo.sh, handing it every variable the script
     * takes, and sets up nothing itself, so that the demo on this machine and the one Compose and
     * Kubernetes users seed (deploy/README.md) are the same and cannot drift apart.
     */
    @Test
    void seedsTheDemoWithTheScriptTheDeploymentsUse() throws IOException {
        Path seed = Repository.get().root().resolve(SEED_SCRIPT);
        assertThat(seed).as(SEED_SCRIPT).isRegularFile();
        Matcher call = SEED_CALL.matcher(script);
        assertThat(call.find()).as("a line of run.sh that runs `bash " + SEED_SCRIPT + "`").isTrue();
        String line = call.group();
        assertThat(call.find()).as("run.sh runs " + SEED_SCRIPT + " once").isFalse();

        List<String> problems = new ArrayList<>();
        Set<String> inputs = new TreeSet<>();
        Matcher input = INPUT.matcher(Files.readString(seed));
        while (input.find()) {
            inputs.add(input.group(1));
        }
        assertThat(inputs).as("the variables " + SEED_SCRIPT + " reads").contains("GATEWAY_URL", "AUTH_URL", "AUTH_ADMIN_PASSWORD");
        for (String variable : inputs) {
            if (!Pattern.compile("\\b" + variable + "=\"\\$").matcher(line).find()) {
                problems.add("run.sh does not hand " + SEED_SCRIPT + " its " + variable + " (" + variable + "=\"$...\" on the line that runs it): "
                        + "the script would fall back to its default, not run.sh's ports and password");
            }
        }
        // its own demo setup, beside the script's, would drift from it
        script.lines().filter(l -> !l.trim().startsWith("#")).forEach(l -> {
            for (String seeding : SEEDING) {
                if (l.contains(seeding)) {
                    problems.add("run.sh sets up part of the demo itself (" + seeding + "): `" + l.trim() + "`; put it in " + SEED_SCRIPT);
                }
            }
        });
        // the deployments' instructions run the same script
        String readme = Files.readString(Repository.get().deploy().resolve("README.md"));
        for (String section : List.of("## 2. Docker Compose", "### On `overlays/dev`", "### On `overlays/prod`")) {
            int at = readme.indexOf(section);
            int next = at < 0 ? -1 : readme.indexOf("\n#", at + section.length());
            if (at < 0 || !readme.substring(at, next < 0 ? readme.length() : next).contains(SEED_SCRIPT)) {
                problems.add("deploy/README.md: the section \"" + section + "\" does not tell how to seed the demo with " + SEED_SCRIPT);
            }
        }
        Problems.assertNone("run.sh and " + SEED_SCRIPT, problems);
    }

    /**
     * {@code ./run.sh --cluster}: instead of the single Redis, six redis-server nodes in cluster mode
     * with append-only files, made into a cluster (three masters with a replica each) and awaited by
     * deploy/create-redis-cluster.sh, the script compose.cluster.yaml runs too (RedisClusterScriptTest
     * runs it); every service is started through {@code start}, which gives it Quarkus's cluster
     * settings with all six nodes; the gateway pins its shard count; the nodes are stopped on exit.
     * Without the option, the single Redis as before.
     */
    @Test
    void withClusterItStartsASixNodeRedisClusterAndPointsEveryServiceAtIt() {
        List<String> problems = new ArrayList<>();
        if (!script.contains("--cluster) CLUSTER=true ;;")) {
            problems.add("run.sh does not take --cluster (`--cluster) CLUSTER=true ;;`)");
        }
        int from = script.indexOf("if [ \"$CLUSTER\" = true ]; then\n  command -v redis-cli");
        int to = script.indexOf("\nelif redis_answers; then", Math.max(from, 0));
        assertThat(from).as("run.sh's --cluster branch of starting Redis").isNotNegative();
        assertThat(to).as("followed by the single Redis (`elif redis_answers; then`)").isPositive();
        String cluster = script.substring(from, to);
        for (String expected : List.of("redis-server --port \"$port\" --bind 127.0.0.1", "--cluster-enabled yes", "--appendonly yes",
                "--cluster-config-file nodes.conf", "cluster_pids+=($!)",
                "REDIS_CLUSTER_REPLICAS=1 sh " + CLUSTER_SCRIPT + " \"${cluster_nodes[@]}\"")) {
            if (!cluster.contains(expected)) {
                problems.add("run.sh --cluster: its cluster branch has no `" + expected + "`");
            }
        }
        Matcher nodes = Pattern.compile("for i in ([0-9 ]+); do\\n\\s*cluster_nodes\\+=\\(\"127\\.0\\.0\\.1:\\$\\(\\(REDIS_CLUSTER_PORT \\+ i\\)\\)\"\\)\\n"
                + "\\s*cluster_uris\\+=\\(\"redis://127\\.0\\.0\\.1:\\$\\(\\(REDIS_CLUSTER_PORT \\+ i\\)\\)\"\\)").matcher(script);
        if (!nodes.find() || !List.of(nodes.group(1).trim().split("\\s+")).equals(List.of("0", "1", "2", "3", "4", "5"))) {
            problems.add("run.sh --cluster: not six nodes on consecutive ports from REDIS_CLUSTER_PORT, each a node and a redis:// URI"
                    + " (`for i in 0 1 2 3 4 5; do cluster_nodes+=(...); cluster_uris+=(...)`)");
        }
        for (String expected : List.of(
                // the default: the single Redis, as before
                "redis_options=(-Dquarkus.redis.hosts=\"$REDIS_URI\")",
                // --cluster: Quarkus's cluster settings with every node
                "redis_options=(-Dquarkus.redis.client-type=cluster -Dquarkus.redis.hosts=\"$(IFS=,; echo \"${cluster_uris[*]}\")\")",
                "gateway_options=(-Dgateway.redis.shards=16)",
                "java -Xmx384m -Dquarkus.http.port=\"$port\" \"${redis_options[@]}\" \"$@\"",
                "${gateway_options[@]+\"${gateway_options[@]}\"}",
                "kill \"${cluster_pids[@]}\"")) {
            if (!script.contains(expected)) {
                problems.add("run.sh has no `" + expected + "`");
            }
        }
        // every service goes through start(), the one java command line, which passes redis_options
        long javaLines = script.lines().filter(l -> !l.trim().startsWith("#")).filter(l -> l.matches("^\\s*java\\b.*")).count();
        if (javaLines != 1) {
            problems.add("run.sh starts java on " + javaLines + " lines; every service goes through start(), which gives it the Redis settings");
        }
        if (!Pattern.compile("(?m)^start topic-gateway \"\\$GATEWAY_PORT\"[^\\n]*(\\\\\\n[^\\n]*)*\\$\\{gateway_options\\[@\\]\\+").matcher(script).find()) {
            problems.add("run.sh does not give the gateway its gateway_options (the shard count on a cluster)");
        }
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
