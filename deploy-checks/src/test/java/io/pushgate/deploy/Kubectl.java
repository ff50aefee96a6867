package io.pushgate.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs {@code kubectl kustomize DIR}, which renders offline (no cluster is asked). kubectl comes
 * from {@code -Dkubectl=PATH}, the environment variable {@code KUBECTL}, or the {@code PATH}.
 */
final class Kubectl {

    private static final long TIMEOUT_SECONDS = 120;
    private static final String HOW_TO_INSTALL = "Install kubectl 1.32 or newer (it bundles kustomize 5.x; deploy/README.md,"
            + " \"Checks\", says where to get it), or point -Dkubectl=/path/to/kubectl or the environment variable KUBECTL at one.";

    private Kubectl() {
    }

    /** The kubectl binary, or a test failure that says how to get one. */
    static Path binary() {
        Optional<String> configured = configured();
        if (configured.isPresent()) {
            Path path = Paths.get(configured.get());
            return Files.isRegularFile(path) && Files.isExecutable(path) ? path : fail("kubectl is not installed where -Dkubectl"
                    + " or KUBECTL says: " + path + " is not an executable file. " + HOW_TO_INSTALL);
        }
        return onThePath().orElseGet(() -> fail("kubectl is not installed: no kubectl on the PATH, and these checks render"
                + " deploy/k8s with `kubectl kustomize`. " + HOW_TO_INSTALL));
    }

    private static Optional<String> configured() {
        return Stream.of(System.getProperty("kubectl"), System.getenv("KUBECTL"))
                .filter(v -> v != null && !v.isBlank())
                .findFirst();
    }

    private static Optional<Path> onThePath() {
        String pathVariable = System.getenv("PATH");
        if (pathVariable == null) {
            return Optional.empty();
        }
        for (String dir : pathVariable.split(File.pathSeparator)) {
            Path candidate = Paths.get(dir, "kubectl");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The YAML that {@code kubectl kustomize dir} prints, or a test failure with kubectl's error. */
    static String kustomize(Path dir) {
        Path kubectl = binary();
        ProcessBuilder builder = new ProcessBuilder(List.of(kubectl.toString(), "kustomize", dir.toString()))
                .directory(dir.toFile());
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return fail("kubectl kustomize " + dir + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                return fail("kubectl kustomize " + dir + " failed (exit " + process.exitValue() + "):\n" + err.join());
            }
            return out.join();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
