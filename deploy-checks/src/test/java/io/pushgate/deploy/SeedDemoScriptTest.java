package io.pushgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * deploy/seed-demo.sh, the one definition of the demo (run.sh runs it: RunScriptTest; RunScriptIT
 * runs run.sh against the real services), run with bash against a stand-in for the auth-service and
 * the gateway on 127.0.0.1 that records what it is asked: the admin's sign-in, then every role, the
 * view and the topics with the admin's token; a line saying what it set up; and a refusal ends it
 * with the request and the answer.
 */
class SeedDemoScriptTest {

    private static final String TOKEN = "eyJ.admin-token.sig";
    private static final String PASSWORD = "p@ss w&rd+=%";
    private static final Pattern TOPIC = Pattern.compile("^/v1/topics/(.+)\\?add=true$");

    /** One request the stand-in got. */
    record Request(String method, String target, String authorization, String contentType, String body) {
    }

    private HttpServer server;
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    /** The status the stand-in answers a PUT with, by its target (200 when absent). */
    private Function<String, Integer> putStatus = target -> 200;
    private int tokenStatus = 200;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String target = exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
        requests.add(new Request(exchange.getRequestMethod(), target, exchange.getRequestHeaders().getFirst("Authorization"),
                exchange.getRequestHeaders().getFirst("Content-Type"), body));
        int status;
        String answer;
        if (exchange.getRequestMethod().equals("POST") && target.equals("/v1/token")) {
            status = tokenStatus;
            answer = status == 200 ? "{\"access_token\": \"" + TOKEN + "\", \"token_type\": \"Bearer\", \"expires_in\": 300}"
                    : "{\"error\":\"invalid_grant\"}";
        } else if (exchange.getRequestMethod().equals("PUT")) {
            status = putStatus.apply(target);
            answer = status < 300 ? "" : "{\"code\":\"PERMISSION_DENIED\",\"message\":\"MODIFY_SECURITY needed\"}";
        } else {
            status = 404;
            answer = "{\"code\":\"NOT_FOUND\"}";
        }
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** The script's exit status, standard output and standard error. */
    record Run(int status, String out, String err) {
    }

    private Run seed(Map<String, String> environment, String... arguments) throws Exception {
        Path script = Repository.get().root().resolve(RunScriptTest.SEED_SCRIPT);
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(Repository.get().root().toFile());
        // only what the test gives it: not the caller's admin password or URLs
        builder.environment().keySet().removeIf(k -> k.startsWith("AUTH_") || k.startsWith("GATEWAY_"));
        // straight to the stand-in, whatever proxy the machine configures
        builder.environment().put("no_proxy", "127.0.0.1");
        builder.environment().put("NO_PROXY", "127.0.0.1");
        builder.environment().putAll(environment);
        Path out = Files.createTempFile("seed-demo", ".out");
        Path err = Files.createTempFile("seed-demo", ".err");
        try {
            Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("seed-demo.sh did not end within 60 s; stderr: " + Files.readString(err));
            }
            return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private Map<String, String> environment() {
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        return Map.of("GATEWAY_URL", url, "AUTH_URL", url, "AUTH_ADMIN_PASSWORD", PASSWORD);
    }

    @Test
    void setsUpTheDemoWithTheAdminsTokenAndSaysWhat() throws Exception {
        Run run = seed(environment(), "--summary-only");
        assertThat(run.status()).as("exit status; stderr: " + run.err()).isZero();
        assertThat(run.err()).isEmpty();

        // the admin's sign-in, its password form-encoded
        Request signIn = requests.get(0);
        assertThat(signIn.method() + " " + signIn.target()).isEqualTo("POST /v1/token");
        Map<String, String> form = form(signIn.body());
        assertThat(form).containsEntry("grant_type", "password").containsEntry("username", "admin").containsEntry("password", PASSWORD);

        List<Request> puts = requests.subList(1, requests.size());
        assertThat(puts).as("everything after the sign-in").allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("PUT");
            assertThat(r.authorization()).isEqualTo("Bearer " + TOKEN);
        });
        Map<String, Request> byTarget = new LinkedHashMap<>();
        puts.forEach(r -> byTarget.put(r.target(), r));
        assertThat(byTarget.keySet()).containsExactly(
                "/v1/security/roles/ANONYMOUS", "/v1/security/roles/CLIENT", "/v1/security/roles/MODERATOR", "/v1/views/usd", "/v1/views/currencies",
                "/v1/topics/chat/lobby?add=true", "/v1/topics/chat/random?add=true", "/v1/topics/chat/held?add=true",
                "/v1/topics/inbox/chat/held?add=true");

        // the roles as backend-app/README.md and client-web/README.md describe them
        Map<String, Object> anonymous = json(byTarget.get("/v1/security/roles/ANONYMOUS"));
        assertThat(map(anonymous.get("pathPermissions"))).containsEntry("moderation", List.of()).containsEntry("inbox", List.of("SELECT_TOPIC"));
        Map<String, Object> client = map(json(byTarget.get("/v1/security/roles/CLIENT")).get("pathPermissions"));
        assertThat(client).containsEntry("moderation", List.of()).containsEntry("chat/held", List.of("SELECT_TOPIC", "READ_TOPIC"));
        assertThat(client.get("inbox")).asInstanceOf(InstanceOfAssertFactories.list(String.class)).contains("UPDATE_TOPIC", "EDIT_OWN_TIME_SERIES_EVENTS").doesNotContain("READ_TOPIC");
        assertThat(client.get("chat")).asInstanceOf(InstanceOfAssertFactories.list(String.class)).contains("UPDATE_TOPIC", "EDIT_OWN_TIME_SERIES_EVENTS");
        Map<String, Object> moderator = json(byTarget.get("/v1/security/roles/MODERATOR"));
        assertThat(map(moderator.get("pathPermissions")).get("chat")).asInstanceOf(InstanceOfAssertFactories.list(String.class))
                .contains("EDIT_TIME_SERIES_EVENTS", "QUERY_OBSOLETE_TIME_SERIES_EVENTS", "MODIFY_TOPIC");
        assertThat(map(moderator.get("pathPermissions")).get("inbox")).asInstanceOf(InstanceOfAssertFactories.list(String.class)).contains("READ_TOPIC", "QUERY_OBSOLETE_TIME_SERIES_EVENTS");
        assertThat(moderator.get("globalPermissions")).asInstanceOf(InstanceOfAssertFactories.list(String.class)).containsExactlyInAnyOrder("VIEW_SECURITY", "MODIFY_SECURITY", "VIEW_SESSION", "MODIFY_SESSION");
        assertThat(byTarget.get("/v1/views/usd").contentType()).startsWith("text/plain");
        assertThat(byTarget.get("/v1/views/usd").body()).isEqualTo("map ?prices/[^/]+ to views/<path(1)>/usd as <value(/bpi/USD/rate_float)>");
        assertThat(byTarget.get("/v1/views/currencies").contentType()).startsWith("text/plain");
        assertThat(byTarget.get("/v1/views/currencies").body())
                .isEqualTo("map ?prices/[^/]+ to views/<path(1)>/currency/<expand(/bpi)> process {remove(/symbol); remove(/description); remove(/rate)}");

        // every topic is a time series of JSON events; a room is the pre-moderated one when its inbox is added
        List<String> topics = new ArrayList<>();
        byTarget.forEach((target, request) -> {
            Matcher topic = TOPIC.matcher(target);
            if (topic.matches()) {
                topics.add(topic.group(1));
                assertThat(json(request)).as(target).containsEntry("type", "TIME_SERIES").containsEntry("eventType", "JSON");
            }
        });

        // the one line it prints names every room it added, and the pre-moderated one as such
        List<String> lines = run.out().lines().toList();
        assertThat(lines).hasSize(1);
        String summary = lines.get(0);
        assertThat(summary).isEqualTo("roles ANONYMOUS, CLIENT and MODERATOR, rooms chat/lobby, chat/random and chat/held (pre-moderated),"
                + " the views usd (views/btc/usd) and currencies (views/btc/currency/<code>)");
        topics.stream().filter(t -> t.startsWith("chat/")).forEach(room -> assertThat(summary).contains(room));
        topics.stream().filter(t -> t.startsWith("inbox/")).map(t -> t.substring("inbox/".length()))
                .forEach(room -> assertThat(summary).contains(room + " (pre-moderated)"));

        // run by hand, it says where, too; and running it again asks the same again (PUTs only)
        int before = requests.size();
        Run again = seed(environment());
        assertThat(again.status()).as("stderr: " + again.err()).isZero();
        assertThat(again.out().strip()).isEqualTo("seed-demo.sh: " + summary + " at " + environment().get("GATEWAY_URL"));
        assertThat(requests.subList(before, requests.size()).stream().map(r -> r.method() + " " + r.target()).toList())
                .isEqualTo(requests.subList(0, before).stream().map(r -> r.method() + " " + r.target()).toList());
    }

    @Test
    void stopsAtTheFirstRefusalAndSaysWhatWasRefusedAndWhy() throws Exception {
        putStatus = target -> target.equals("/v1/security/roles/CLIENT") ? 403 : 200;
        Run run = seed(environment(), "--summary-only");
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().strip()).isEqualTo("seed-demo.sh: PUT /v1/security/roles/CLIENT answered 403:"
                + " {\"code\":\"PERMISSION_DENIED\",\"message\":\"MODIFY_SECURITY needed\"}");
        assertThat(requests.get(requests.size() - 1).target()).as("the last request").isEqualTo("/v1/security/roles/CLIENT");
    }

    @Test
    void aRefusedSignInOrAMissingPasswordIsSaidAndNothingIsPut() throws Exception {
        tokenStatus = 401;
        Run refused = seed(environment());
        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.err()).contains("seed-demo.sh: the auth-service at " + environment().get("AUTH_URL") + " refused the admin's sign-in");
        assertThat(requests).extracting(Request::method).containsOnly("POST");

        requests.clear();
        Map<String, String> withoutPassword = new LinkedHashMap<>(environment());
        withoutPassword.remove("AUTH_ADMIN_PASSWORD");
        Run missing = seed(withoutPassword);
        assertThat(missing.status()).isEqualTo(1);
        assertThat(missing.err().strip()).isEqualTo("seed-demo.sh: set AUTH_ADMIN_PASSWORD (the auth-service's admin password)");
        assertThat(requests).isEmpty();

        Run wrongArgument = seed(environment(), "--quiet");
        assertThat(wrongArgument.status()).isEqualTo(2);
        assertThat(wrongArgument.err()).contains("usage:").contains("--summary-only");
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        Stream.of(body.split("&")).map(p -> p.split("=", 2))
                .forEach(kv -> out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length < 2 ? "" : URLDecoder.decode(kv[1], StandardCharsets.UTF_8)));
        return out;
    }

    /** A JSON body, read as YAML (of which JSON is a subset). */
    private static Map<String, Object> json(Request request) {
        assertThat(request.contentType()).as(request.target() + " Content-Type").startsWith("application/json");
        return map(new Yaml(new SafeConstructor(new LoaderOptions())).load(request.body()));
    }

    private static Map<String, Object> map(Object o) {
        return ComposeFile.asMap(o);
    }
}
