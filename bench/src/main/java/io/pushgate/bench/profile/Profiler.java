package io.pushgate.bench.profile;

import io.pushgate.bench.stats.Procs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A JFR recording of another JVM, started and stopped with {@code jcmd}. */
public final class Profiler {

    private final long pid;
    private final Path file;
    private final String name;

    private Profiler(long pid, Path file, String name) {
        this.pid = pid;
        this.file = file;
        this.name = name;
    }

    public static Profiler start(long pid, Path file) throws IOException, InterruptedException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.deleteIfExists(file);
        String name = "bench-" + System.nanoTime();
        Procs.run(30, "jcmd", Long.toString(pid), "JFR.start", "name=" + name, "settings=" + settings(file.toAbsolutePath().getParent()),
                "filename=" + file.toAbsolutePath());
        return new Profiler(pid, file, name);
    }

    /**
     * JFR's {@code profile} settings with Java method sampling every 2 ms instead of 10 ms, so
     * that a short ladder still gives thousands of samples; {@code profile} itself if the JDK's
     * file cannot be read.
     */
    static String settings(Path dir) throws IOException {
        Path profile = Path.of(System.getProperty("java.home"), "lib", "jfr", "profile.jfc");
        if (!Files.isReadable(profile)) {
            return "profile";
        }
        String text = Files.readString(profile).replaceAll(
                "(control=\"method-sampling-java-interval\">)[^<]*(</setting>)", "$12 ms$2");
        Path file = dir.resolve("bench-profile.jfc");
        Files.writeString(file, text);
        return file.toString();
    }

    /** Stops the recording, which writes the file, and returns its path. */
    public Path stop() throws IOException, InterruptedException {
        Procs.run(60, "jcmd", Long.toString(pid), "JFR.stop", "name=" + name);
        return file;
    }
}
