package io.pushgate.reliability.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures a fault test measured (recovery times, counts, latencies), printed and written to
 * {@code target/reliability/<test>.json}, which is where docs/reliability.md takes its numbers from.
 */
public final class Results {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final String test;
    private final Map<String, Object> figures = new LinkedHashMap<>();

    public Results(String test) {
        this.test = test;
    }

    /** Records a figure (kept in insertion order) and prints it at once. */
    public synchronized Results put(String name, Object value) {
        figures.put(name, value);
        System.out.printf("[%s] %s = %s%n", test, name, value);
        return this;
    }

    public synchronized Map<String, Object> figures() {
        return Map.copyOf(figures);
    }

    /** Writes every figure so far; called at the end of a test, also when it failed. */
    public synchronized void write() {
        Path dir = Path.of(System.getProperty("reliability.results", "target/reliability"));
        try {
            Files.createDirectories(dir);
            MAPPER.writeValue(dir.resolve(test + ".json").toFile(), figures);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Milliseconds between two {@link System#nanoTime()} readings. */
    public static long millis(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1_000_000;
    }
}
