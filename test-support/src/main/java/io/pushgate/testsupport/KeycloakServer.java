package io.pushgate.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A real Keycloak for tests, without Docker: the server distribution from Maven Central
 * ({@code org.keycloak:keycloak-quarkus-dist:<version>:zip}) unzipped once, started with
 * {@code bin/kc.sh start-dev} on a free loopback port with realm files imported, awaited until the
 * first imported realm's discovery document answers, and stopped by killing its process tree.
 *
 * <pre>{@code
 * KeycloakServer kc = KeycloakServer.builder(KeycloakServer.requireDistribution())
 *         .realm(KeycloakServer.findUpwards("deploy/keycloak/pushgate-realm.json"))
 *         .build().start();
 * String token = kc.passwordGrant("pushgate", "pushgate-web", "alice", "alice-password");
 * TokenVerifier trusts kc.issuer("pushgate"), i.e. http://127.0.0.1:PORT/realms/pushgate
 * }</pre>
 *
 * <p>In dev mode Keycloak takes the token issuer ({@code iss}) from the URL it was called by, so
 * everything here talks to {@code 127.0.0.1}: a token fetched through {@code localhost} has another
 * issuer. Each start begins from an empty database (the dev H2 files are removed) unless
 * {@link Builder#keepData}, so the realm is imported afresh and earlier tests' changes are gone.
 * Measured here (2 cores): the first start after unzipping about 45 s (Keycloak first builds
 * itself, about 20 s of it), later ones 20 to 40 s (schema creation and realm import each time);
 * about 600 MB of memory.
 */
public final class KeycloakServer implements AutoCloseable {

    public static final String VERSION = "26.4.7";
    /** System property with the path of the distribution zip (the topic-gateway pom sets it for failsafe). */
    public static final String DISTRIBUTION_PROPERTY = "keycloak.distribution";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path zip;
    private final Path workDir;
    private final List<Path> realms;
    private final int port;
    private final int managementPort;
    private final String adminUser;
    private final String adminPassword;
    private final Duration startTimeout;
    private final boolean keepData;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Path home;
    private Path log;
    private Process process;
    private Duration startupTime;

    private KeycloakServer(Builder b) {
        this.zip = b.zip;
        this.workDir = (b.workDir != null ? b.workDir : Path.of("target", "keycloak")).toAbsolutePath();
        this.realms = List.copyOf(b.realms);
        this.port = b.port != 0 ? b.port : RedisServer.freePort();
        this.managementPort = RedisServer.freePort();
        this.adminUser = b.adminUser;
        this.adminPassword = b.adminPassword;
        this.startTimeout = b.startTimeout;
        this.keepData = b.keepData;
    }

    /** A server from the distribution zip; nothing happens until {@link #start()}. */
    public static Builder builder(Path distributionZip) {
        return new Builder(distributionZip);
    }

    /**
     * The distribution zip: the path in the system property {@value #DISTRIBUTION_PROPERTY}, else the
     * one in the local Maven repository, if either exists.
     */
    public static Optional<Path> findDistribution() {
        String configured = System.getProperty(DISTRIBUTION_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured)).filter(Files::isRegularFile);
        }
        String repo = System.getProperty("maven.repo.local",
                Path.of(System.getProperty("user.home"), ".m2", "repository").toString());
        Path inRepo = Path.of(repo, "org", "keycloak", "keycloak-quarkus-dist", VERSION,
                "keycloak-quarkus-dist-" + VERSION + ".zip");
        return Optional.of(inRepo).filter(Files::isRegularFile);
    }

    /** Is a distribution expected (the property is set) or at least at hand? */
    public static boolean distributionConfigured() {
        return System.getProperty(DISTRIBUTION_PROPERTY) != null;
    }

    /** A file found from the working directory (a module folder) or one of its parents, e.g. {@code deploy/keycloak/x.json}. */
    public static Path findUpwards(String relative) {
        Path here = Path.of("").toAbsolutePath();
        for (Path dir = here; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(relative);
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no " + relative + " above " + here);
    }

    /** Unzips (once), imports the realms, starts Keycloak and waits until it serves the first realm. */
    public synchronized KeycloakServer start() {
        if (process != null && process.isAlive()) {
            return this;
        }
        long started = System.nanoTime();
        home = unzipOnce();
        try {
            if (!keepData) {
                deleteTree(home.resolve("data").resolve("h2"));
            }
            Path imports = Files.createDirectories(home.resolve("data").resolve("import"));
            try (Stream<Path> old = Files.list(imports)) {
                for (Path p : old.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            for (Path realm : realms) {
                Files.copy(realm, imports.resolve(realm.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
            log = Files.createTempFile("keycloak-", ".log");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Keycloak in " + home, e);
        }
        List<String> command = List.of("/bin/bash", home.resolve("bin").resolve("kc.sh").toString(), "start-dev",
                "--http-host=127.0.0.1", "--http-port=" + port, "--http-management-port=" + managementPort,
                "--import-realm");
        ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", adminUser);
        pb.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        awaitReady(firstRealmName(), System.nanoTime());
        startupTime = Duration.ofNanos(System.nanoTime() - started);
        return this;
    }

    /** Kills Keycloak and its children (kc.sh runs java as a child): SIGTERM, then SIGKILL after 20 s. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (ProcessHandle p : tree) {
            try {
                p.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        }
        tree.forEach(p -> {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        });
        process = null;
    }

    @Override
    public void close() {
        stop();
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** The pids of the process tree (kc.sh and its java), for checks that nothing is left behind. */
    public List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        pids.add(process.pid());
        process.descendants().forEach(p -> pids.add(p.pid()));
        return pids;
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** How long the last {@link #start()} took, unzip (first time only) included. */
    public Duration startupTime() {
        return startupTime;
    }

    public Path home() {
        return home;
    }

    public Path log() {
        return log;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The issuer of the realm's tokens when Keycloak is called through {@link #baseUrl()}. */
    public String issuer(String realm) {
        return baseUrl() + "/realms/" + realm;
    }

    public String tokenEndpoint(String realm) {
        return issuer(realm) + "/protocol/openid-connect/token";
    }

    /** The realm's token introspection endpoint (RFC 7662). */
    public String introspectionEndpoint(String realm) {
        return tokenEndpoint(realm) + "/introspect";
    }

    /** What the realm's introspection endpoint says about a token, asked as a confidential client (HTTP Basic). */
    public JsonNode introspect(String realm, String clientId, String clientSecret, String token) {
        String basic = Base64.getEncoder().encodeToString((URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(URI.create(introspectionEndpoint(realm)))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + URLEncoder.encode(token, StandardCharsets.UTF_8))), 200);
    }

    /** Ends every session of a user, through the admin REST API. */
    public void logout(String realm, String username) {
        String admin = adminToken();
        String userId = userId(admin, realm, username);
        send(HttpRequest.newBuilder(URI.create(baseUrl() + "/admin/realms/" + realm + "/users/" + userId + "/logout"))
                .header("Authorization", "Bearer " + admin)
                .POST(HttpRequest.BodyPublishers.noBody()), 204);
    }

    /** An access token by the password grant (the client must allow direct access grants). */
    public String passwordGrant(String realm, String clientId, String username, String password) {
        return passwordGrant(baseUrl(), realm, clientId, username, password);
    }

    /** The same through another base URL (e.g. {@code http://localhost:PORT}), to see the issuer follow it. */
    public String passwordGrant(String baseUrl, String realm, String clientId, String username, String password) {
        JsonNode reply = postForm(baseUrl + "/realms/" + realm + "/protocol/openid-connect/token", Map.of(
                "grant_type", "password", "client_id", clientId, "username", username, "password", password));
        return reply.path("access_token").asText();
    }

    /** An access token of the bootstrap admin, from the master realm's {@code admin-cli} client. */
    public String adminToken() {
        return passwordGrant("master", "admin-cli", adminUser, adminPassword);
    }

    /** Takes a realm role away from a user, through the admin REST API. */
    public void removeRealmRole(String realm, String username, String role) {
        changeRealmRole(realm, username, role, "DELETE");
    }

    /** Gives a user a realm role, through the admin REST API. */
    public void addRealmRole(String realm, String username, String role) {
        changeRealmRole(realm, username, role, "POST");
    }

    /** The realm roles mapped to a user directly. */
    public List<String> realmRoles(String realm, String username) {
        String admin = adminToken();
        String userId = userId(admin, realm, username);
        JsonNode roles = send(HttpRequest.newBuilder(URI.create(baseUrl() + "/admin/realms/" + realm + "/users/" + userId
                + "/role-mappings/realm")).header("Authorization", "Bearer " + admin).GET(), 200);
        List<String> names = new ArrayList<>();
        roles.forEach(r -> names.add(r.path("name").asText()));
        return names;
    }

    /** The last lines of Keycloak's log, for failure messages. */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void changeRealmRole(String realm, String username, String role, String method) {
        String admin = adminToken();
        String userId = userId(admin, realm, username);
        JsonNode representation = send(HttpRequest.newBuilder(URI.create(baseUrl() + "/admin/realms/" + realm + "/roles/"
                + URLEncoder.encode(role, StandardCharsets.UTF_8).replace("+", "%20")))
                .header("Authorization", "Bearer " + admin).GET(), 200);
        String body = "[" + representation + "]";
        send(HttpRequest.newBuilder(URI.create(baseUrl() + "/admin/realms/" + realm + "/users/" + userId
                        + "/role-mappings/realm"))
                .header("Authorization", "Bearer " + admin)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)), 204);
    }

    private String userId(String adminToken, String realm, String username) {
        JsonNode users = send(HttpRequest.newBuilder(URI.create(baseUrl() + "/admin/realms/" + realm + "/users?exact=true&username="
                + URLEncoder.encode(username, StandardCharsets.UTF_8))).header("Authorization", "Bearer " + adminToken).GET(), 200);
        if (!users.isArray() || users.isEmpty()) {
            throw new IllegalStateException("no user " + username + " in realm " + realm);
        }
        return users.get(0).path("id").asText();
    }

    private JsonNode postForm(String url, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)), 200);
    }

    private JsonNode send(HttpRequest.Builder request, int expectedStatus) {
        HttpRequest built = request.timeout(Duration.ofSeconds(30)).build();
        try {
            HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expectedStatus) {
                throw new IllegalStateException(built.method() + " " + built.uri() + " answered " + response.statusCode()
                        + ": " + response.body());
            }
            return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(built.method() + " " + built.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String firstRealmName() {
        if (realms.isEmpty()) {
            return "master";
        }
        try {
            return JSON.readTree(realms.get(0).toFile()).path("realm").asText("master");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + realms.get(0), e);
        }
    }

    private void awaitReady(String realm, long processStartedNanos) {
        URI discovery = URI.create(issuer(realm) + "/.well-known/openid-configuration");
        long deadline = processStartedNanos + startTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited with " + process.exitValue() + "; log " + log + ":\n" + tail());
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(discovery).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        String tail = tail();
        stop();
        throw new IllegalStateException("Keycloak did not serve " + discovery + " within " + startTimeout + "; log " + log + ":\n" + tail);
    }

    /** {@code <workDir>/keycloak-<version>}, unzipped unless a previous run finished doing so. */
    private Path unzipOnce() {
        String name = zip.getFileName().toString();
        String version = name.replaceFirst("^keycloak-quarkus-dist-", "").replaceFirst("\\.zip$", "");
        Path target = workDir.resolve("keycloak-" + version);
        Path marker = workDir.resolve(".keycloak-" + version + ".unzipped");
        if (Files.exists(marker) && Files.isRegularFile(target.resolve("bin").resolve("kc.sh"))) {
            return target;
        }
        try {
            Files.createDirectories(workDir);
            deleteTree(target);
            Path root = workDir.toAbsolutePath().normalize();
            try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
                for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                    Path out = root.resolve(entry.getName()).normalize();
                    if (!out.startsWith(root)) {
                        throw new IOException("zip entry outside the target: " + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(out);
                    } else {
                        Files.createDirectories(out.getParent());
                        copy(in, out);
                    }
                }
            }
            if (!Files.isRegularFile(target.resolve("bin").resolve("kc.sh"))) {
                throw new IllegalStateException(zip + " did not unzip to " + target);
            }
            Files.writeString(marker, zip.toString());
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unzip " + zip + " into " + workDir, e);
        }
    }

    private static void copy(InputStream in, Path out) throws IOException {
        Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Configuration of a {@link KeycloakServer}. */
    public static final class Builder {
        private final Path zip;
        private Path workDir;
        private final List<Path> realms = new ArrayList<>();
        private int port;
        private String adminUser = "admin";
        private String adminPassword = "admin";
        private Duration startTimeout = Duration.ofSeconds(120);
        private boolean keepData;

        private Builder(Path zip) {
            this.zip = zip;
        }

        /**
         * Where the distribution is unzipped (default {@code target/keycloak} of the working directory,
         * never beside the zip, which may be in the local Maven repository).
         */
        public Builder workDir(Path dir) {
            this.workDir = dir;
            return this;
        }

        /** A realm export to import at start; the first one's realm is awaited. */
        public Builder realm(Path realmJson) {
            realms.add(realmJson);
            return this;
        }

        /** The HTTP port (default: a free one). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The bootstrap admin of the master realm (default admin/admin). */
        public Builder admin(String user, String password) {
            this.adminUser = user;
            this.adminPassword = password;
            return this;
        }

        /** How long to wait for the realm to answer (default 120 s). */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        /** Keep the database of an earlier start (realms already there are not imported again). */
        public Builder keepData(boolean keep) {
            this.keepData = keep;
            return this;
        }

        public KeycloakServer build() {
            return new KeycloakServer(this);
        }
    }
}
