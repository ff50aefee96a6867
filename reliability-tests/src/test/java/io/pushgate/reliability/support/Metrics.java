package io.pushgate.reliability.support;

import io.pushgate.testsupport.Http;
import java.util.Map;

/** Reads one meter of a service's Prometheus endpoint ({@code /q/metrics}). */
public final class Metrics {

    private Metrics() {
    }

    /**
     * The sum over every series of a meter (e.g. {@code pushgate_conflations_total}); 0 when the
     * meter is absent; NaN when the endpoint does not answer.
     */
    public static double value(String baseUrl, String name) {
        Http.Answer a = Http.send("GET", baseUrl + "/q/metrics", Map.of("Accept", "text/plain"), null);
        if (a.status() != 200) {
            return Double.NaN;
        }
        double sum = 0;
        for (String line : a.body().split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }
}
