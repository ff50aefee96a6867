package io.pushgate.bench.report;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes a run's files: {@code run-<id>.json}, {@code latest.json}, {@code summary.md}, {@code chart.png}. */
public final class Report {

    public static final String CHART = "chart.png";

    private Report() {
    }

    /** Evaluates the targets into the results and writes every file; returns the run's JSON file. */
    public static Path write(JsonObject results, Path dir, String runId) throws IOException {
        Files.createDirectories(dir);
        results.put("targets", Targets.evaluate(results));
        Path runFile = dir.resolve("run-" + runId + ".json");
        results.getJsonObject("run").put("file", runFile.getFileName().toString());
        Files.writeString(runFile, results.encodePrettily() + "\n", StandardCharsets.UTF_8);
        Files.copy(runFile, dir.resolve("latest.json"), StandardCopyOption.REPLACE_EXISTING);
        render(results, dir);
        return runFile;
    }

    /** The summary and the chart from results alone (also {@code --report-only}). */
    public static void render(JsonObject results, Path dir) throws IOException {
        Files.createDirectories(dir);
        // evaluated again: a report written again from an older run gets the current targets
        results.put("targets", Targets.evaluate(results));
        Chart.write(results, dir.resolve(CHART));
        Files.writeString(dir.resolve("summary.md"), Summary.render(results, CHART), StandardCharsets.UTF_8);
    }
}
