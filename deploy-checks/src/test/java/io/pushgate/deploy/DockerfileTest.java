package io.pushgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** deploy/docker/Dockerfile.jvm, which cannot be built here (no Docker engine): its conventions, read from the text. */
class DockerfileTest {

    private static Repository repository;
    private static List<String> lines;

    @BeforeAll
    static void read() throws IOException {
        repository = Repository.get();
        lines = Files.readAllLines(repository.deploy().resolve("docker/Dockerfile.jvm")).stream()
                .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    private static List<String> instructions(String keyword) {
        return lines.stream().filter(l -> l.toUpperCase().startsWith(keyword + " ")).toList();
    }

    @Test
    void runsThePackagedQuarkusAppOfTheModuleOnAJava17Runtime() {
        assertThat(instructions("FROM")).singleElement().asString()
                .containsAnyOf("registry.access.redhat.com/ubi9/openjdk-17-runtime:", "eclipse-temurin:17-jre");
        assertThat(instructions("ARG")).anySatisfy(a -> assertThat(a).isEqualTo("ARG MODULE"));
        assertThat(instructions("COPY")).anySatisfy(c -> assertThat(c).contains("${MODULE}/target/quarkus-app/lib/"))
                .anySatisfy(c -> assertThat(c).contains("${MODULE}/target/quarkus-app/quarkus/"));
        assertThat(instructions("EXPOSE")).singleElement().isEqualTo("EXPOSE ${PORT}");
        assertThat(instructions("ENTRYPOINT")).hasSize(1);
    }

    @Test
    void runsAsANonRootUserByNumber() {
        List<String> users = instructions("USER");
        assertThat(users).isNotEmpty();
        String user = users.get(users.size() - 1).substring(5).trim().split(":")[0];
        assertThat(user).as("the last USER (numeric, so that Kubernetes' runAsNonRoot can verify it)").matches("\\d+").isNotEqualTo("0");
    }

    @Test
    void checksTheServicesReadiness() throws IOException {
        assertThat(instructions("HEALTHCHECK")).singleElement().asString().contains("/deployments/healthcheck.sh");
        String script = Files.readString(repository.deploy().resolve("docker/healthcheck.sh"));
        assertThat(script).contains("/q/health/ready").contains("QUARKUS_HTTP_PORT");
        assertThat(Files.isExecutable(repository.deploy().resolve("docker/healthcheck.sh"))).as("healthcheck.sh is executable").isTrue();
    }

    @Test
    void theBuildContextHoldsOnlyWhatTheImageCopies() throws IOException {
        List<String> ignore = Files.readAllLines(repository.root().resolve(".dockerignore")).stream()
                .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(ignore).first().isEqualTo("*");
        assertThat(ignore).contains("!*/target/quarkus-app/", "!deploy/docker/healthcheck.sh");
    }

    @Test
    void theReadmeGivesTheBuildCommandOfEveryService() throws IOException {
        String readme = Files.readString(repository.deploy().resolve("README.md"));
        List<String> missing = new ArrayList<>();
        for (ServiceModule service : repository.services().values()) {
            String line = "--build-arg MODULE=" + service.name() + " --build-arg PORT=" + service.port();
            if (!readme.contains(line)) {
                missing.add(service.name() + ": deploy/README.md has no `docker build ... " + line + "`");
            }
        }
        Problems.assertNone("deploy/README.md", missing);
    }
}
