package io.pushgate.bench.stats;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads a Prometheus text endpoint (the gateway's {@code /q/metrics}) into series and sums. */
public final class PrometheusText {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Map<String, Double> series;

    PrometheusText(Map<String, Double> series) {
        this.series = series;
    }

    public static PrometheusText fetch(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + url + " answered " + r.statusCode());
        }
        return parse(r.body());
    }

    public static PrometheusText parse(String text) {
        Map<String, Double> series = new LinkedHashMap<>();
        for (String line : text.split("\\R")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                continue;
            }
            try {
                series.put(line.substring(0, space).trim(), Double.parseDouble(line.substring(space + 1).trim()));
            } catch (NumberFormatException e) {
                // a timestamp or something unexpected: skip the line
            }
        }
        return new PrometheusText(series);
    }

    /**
     * The sum of every series of metric {@code name} whose labels contain all of {@code labels}
     * (e.g. {@code area="heap"}) and at least one of {@code anyOf} when given.
     */
    public double sum(String name, String[] labels, String... anyOf) {
        double total = 0;
        boolean found = false;
        for (Map.Entry<String, Double> e : series.entrySet()) {
            String key = e.getKey();
            if (!(key.equals(name) || key.startsWith(name + "{"))) {
                continue;
            }
            boolean all = true;
            for (String l : labels) {
                if (!key.contains(l)) {
                    all = false;
                    break;
                }
            }
            boolean any = anyOf.length == 0;
            for (String a : anyOf) {
                any |= key.contains(a);
            }
            if (all && any) {
                total += e.getValue();
                found = true;
            }
        }
        return found ? total : Double.NaN;
    }

    /** The sum of every series of metric {@code name} whose labels contain all of {@code labels}. */
    public double sum(String name, String... labels) {
        return sum(name, labels, new String[0]);
    }

    /** Every series whose name starts with {@code prefix}, summed per metric name (labels dropped). */
    public Map<String, Double> byName(String prefix) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : series.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                int brace = e.getKey().indexOf('{');
                String name = brace < 0 ? e.getKey() : e.getKey().substring(0, brace);
                out.merge(name, e.getValue(), Double::sum);
            }
        }
        return out;
    }
}
