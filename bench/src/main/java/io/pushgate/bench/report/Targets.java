package io.pushgate.bench.report;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The targets of issue 9, checked against one run's results. Every target is a ratio or a
 * bound measured in the same run; a target whose inputs are missing is reported as not
 * measured (met = null) with the reason.
 */
public final class Targets {

    public static final double VS_BROADCASTER = 0.8;
    public static final double VS_SOCKETIO = 3.0;
    public static final double VS_NATS = 1.0;
    public static final double P99_MS = 10.0;
    public static final int IDLE_CONNECTIONS = 50_000;
    /** 10 KB, read as 10,000 bytes (the stricter reading). */
    public static final long IDLE_HEAP_BYTES = 10_000;
    public static final double FOSSIL_SHARE = 0.25;
    public static final double VIEW_SHARE = 0.08;
    // issue 14: the update path
    public static final double BREADTH_VS_NATS = 1.0;
    public static final double BREADTH_VS_REDIS = 0.5;
    public static final double BREADTH_P99_MS = 5.0;
    public static final double BREADTH_P99_VS_NATS = 2.0;
    public static final double BREADTH_LATENCY_RATE = 1000;
    public static final double INGEST_ACKED = 50_000;
    public static final double INGEST_HALF_P99_MS = 10.0;
    public static final double INGEST_SINGLE_P50_MS = 0.5;

    private Targets() {
    }

    public static JsonArray evaluate(JsonObject results) {
        JsonArray rows = new JsonArray();
        JsonObject fan = systems(results, "fanout");
        // The fan-out targets for each way of reading the gateway: one message per frame (the
        // contract's default) and, where it ran, batch=lines (several messages per frame).
        for (String system : new String[] {"gateway", "gateway-lines"}) {
            if (!system.equals("gateway") && (fan == null || fan.getJsonObject(system) == null)) {
                continue;
            }
            String as = system.equals("gateway") ? "" : " [" + system + "]";
            double gw = number(fan, system, "maxDeliveriesPerSecond");
            rows.add(versus("fan-out deliveries/s vs the minimal broadcaster" + as, ">= " + VS_BROADCASTER + "x", gw,
                    number(fan, "broadcaster", "maxDeliveriesPerSecond"), VS_BROADCASTER, false, fan, system, "broadcaster"));
            rows.add(versus("fan-out deliveries/s vs Socket.IO" + as, ">= " + VS_SOCKETIO + "x", gw,
                    number(fan, "socketio", "maxDeliveriesPerSecond"), VS_SOCKETIO, false, fan, system, "socketio"));
            rows.add(versus("fan-out deliveries/s vs NATS WebSocket" + as, "> " + VS_NATS + "x (ahead)", gw,
                    number(fan, "nats", "maxDeliveriesPerSecond"), VS_NATS, true, fan, system, "nats"));
            JsonObject half = fan == null || fan.getJsonObject(system) == null ? null : fan.getJsonObject(system).getJsonObject("latencyAtHalf");
            if (half != null && half.getJsonObject("latencyMs") != null) {
                double p99 = half.getJsonObject("latencyMs").getDouble("p99");
                rows.add(row("p99 latency at half the gateway's max rate" + as, "<= " + P99_MS + " ms", String.format(java.util.Locale.ROOT, "%.2f ms", p99), p99 / P99_MS, p99 <= P99_MS,
                        "at " + fmt(half.getDouble("rate")) + " msg/s, " + pct(half.getDouble("deliveredRatio")) + " delivered in time"));
            } else {
                rows.add(missing("p99 latency at half the gateway's max rate" + as, "<= " + P99_MS + " ms", error(fan, system)));
            }
        }
        JsonObject idle = systems(results, "idle");
        JsonObject gi = idle == null ? null : idle.getJsonObject("gateway");
        if (gi != null && gi.containsKey("held")) {
            int held = gi.getInteger("held");
            rows.add(row("idle connections held by the gateway", ">= " + IDLE_CONNECTIONS, String.format(java.util.Locale.ROOT, "%,d", held),
                    (double) held / IDLE_CONNECTIONS, held >= IDLE_CONNECTIONS, gi.getString("limitedBy", "")));
            Long heap = gi.getLong("heapBytesPerConnection");
            if (heap != null) {
                rows.add(row("gateway heap per idle connection", "<= 10 KB (" + IDLE_HEAP_BYTES + " B)", String.format(java.util.Locale.ROOT, "%,d B", heap),
                        (double) heap / IDLE_HEAP_BYTES, heap <= IDLE_HEAP_BYTES, "measured over " + String.format(java.util.Locale.ROOT, "%,d", held)
                                + " connections; RSS " + String.format(java.util.Locale.ROOT, "%,d", gi.getLong("rssBytesPerConnection", -1L)) + " B each"));
            } else {
                rows.add(missing("gateway heap per idle connection", "<= 10 KB", "no heap figure"));
            }
        } else {
            rows.add(missing("idle connections held by the gateway", ">= " + IDLE_CONNECTIONS, error(idle, "gateway")));
            rows.add(missing("gateway heap per idle connection", "<= 10 KB", error(idle, "gateway")));
        }
        JsonObject bw = results.getJsonObject("bandwidth");
        rows.add(share(bw, "fossil", "fossil-delta subscriber bytes/update vs raw Redis", FOSSIL_SHARE));
        rows.add(share(bw, "view-usd", "USD-view subscriber bytes/update vs raw Redis", VIEW_SHARE));
        updatePath(results, rows);
        return rows;
    }

    /** Issue 14's targets: breadth, ingest, and fan-out latency at every rate. */
    static void updatePath(JsonObject results, JsonArray rows) {
        JsonObject breadth = systems(results, "breadth");
        double gwUpdates = number(breadth, "gateway", "maxUpdatesPerSecond");
        rows.add(versusPlain("[14] breadth: max sustained updates/s vs NATS", ">= " + BREADTH_VS_NATS + "x", gwUpdates,
                number(breadth, "nats", "maxUpdatesPerSecond"), BREADTH_VS_NATS, breadth, "nats"));
        rows.add(versusPlain("[14] breadth: max sustained updates/s vs raw Redis pub/sub", ">= " + BREADTH_VS_REDIS + "x", gwUpdates,
                number(breadth, "redis", "maxUpdatesPerSecond"), BREADTH_VS_REDIS, breadth, "redis"));
        double gwP99 = p99AtRate(breadth, "gateway", BREADTH_LATENCY_RATE);
        double natsP99 = p99AtRate(breadth, "nats", BREADTH_LATENCY_RATE);
        if (Double.isNaN(gwP99)) {
            rows.add(missing("[14] breadth: p99 at 1,000 updates/s", "<= " + BREADTH_P99_MS + " ms", error(breadth, "gateway")));
            rows.add(missing("[14] breadth: p99 at 1,000 updates/s vs NATS's", "<= " + BREADTH_P99_VS_NATS + "x", error(breadth, "gateway")));
        } else {
            rows.add(row("[14] breadth: p99 at 1,000 updates/s", "<= " + BREADTH_P99_MS + " ms", String.format(java.util.Locale.ROOT, "%.2f ms", gwP99),
                    gwP99 / BREADTH_P99_MS, gwP99 <= BREADTH_P99_MS, ""));
            if (Double.isNaN(natsP99) || natsP99 <= 0) {
                rows.add(missing("[14] breadth: p99 at 1,000 updates/s vs NATS's", "<= " + BREADTH_P99_VS_NATS + "x", error(breadth, "nats")));
            } else {
                double r = gwP99 / natsP99;
                rows.add(row("[14] breadth: p99 at 1,000 updates/s vs NATS's", "<= " + BREADTH_P99_VS_NATS + "x",
                        String.format(java.util.Locale.ROOT, "%.2f vs %.2f ms = %.2fx", gwP99, natsP99, r), r / BREADTH_P99_VS_NATS,
                        r <= BREADTH_P99_VS_NATS, ""));
            }
        }
        JsonObject ingest = systems(results, "ingest");
        JsonObject gi = ingest == null ? null : ingest.getJsonObject("gateway");
        if (gi == null || !gi.containsKey("max")) {
            rows.add(missing("[14] ingest: acknowledged sets/s, 4 publishers", ">= " + fmt(INGEST_ACKED), error(ingest, "gateway")));
            rows.add(missing("[14] ingest: ack p99 at half that rate", "<= " + INGEST_HALF_P99_MS + " ms", error(ingest, "gateway")));
            rows.add(missing("[14] ingest: one publisher, one set at a time: ack p50", "<= " + INGEST_SINGLE_P50_MS + " ms", error(ingest, "gateway")));
        } else {
            double acked = gi.getDouble("maxAckedPerSecond");
            JsonObject consistency = gi.getJsonObject("consistency", new JsonObject());
            rows.add(row("[14] ingest: acknowledged sets/s, 4 publishers", ">= " + fmt(INGEST_ACKED), fmt(acked), acked / INGEST_ACKED,
                    acked >= INGEST_ACKED, "subscriber on every topic's last value: " + consistency.getBoolean("holds", false)
                            + ingestRatios(ingest, acked)));
            JsonObject half = gi.getJsonObject("half");
            if (half == null) {
                rows.add(missing("[14] ingest: ack p99 at half that rate", "<= " + INGEST_HALF_P99_MS + " ms", "no half-rate step"));
            } else {
                double p99 = half.getJsonObject("ackLatencyMs").getDouble("p99");
                rows.add(row("[14] ingest: ack p99 at half that rate", "<= " + INGEST_HALF_P99_MS + " ms",
                        String.format(java.util.Locale.ROOT, "%.2f ms at %s acked/s", p99, fmt(half.getDouble("ackedPerSecond"))),
                        p99 / INGEST_HALF_P99_MS, p99 <= INGEST_HALF_P99_MS, ""));
            }
            JsonObject single = gi.getJsonObject("single");
            double p50 = single == null ? Double.NaN : single.getJsonObject("ackLatencyMs").getDouble("p50");
            if (Double.isNaN(p50)) {
                rows.add(missing("[14] ingest: one publisher, one set at a time: ack p50", "<= " + INGEST_SINGLE_P50_MS + " ms", "no single step"));
            } else {
                rows.add(row("[14] ingest: one publisher, one set at a time: ack p50", "<= " + INGEST_SINGLE_P50_MS + " ms",
                        String.format(java.util.Locale.ROOT, "%.3f ms (%s acked/s)", p50, fmt(single.getDouble("ackedPerSecond"))),
                        p50 / INGEST_SINGLE_P50_MS, p50 <= INGEST_SINGLE_P50_MS, ""));
            }
        }
        JsonObject fan = systems(results, "fanout");
        JsonObject gf = fan == null ? null : fan.getJsonObject("gateway");
        JsonObject nf = fan == null ? null : fan.getJsonObject("nats");
        if (gf == null || nf == null || !gf.containsKey("maxRate")) {
            rows.add(missing("[14] fan-out: p99 at every rate up to half the gateway's max vs NATS's", "<= 1x at each rate",
                    gf == null ? error(fan, "gateway") : error(fan, "nats")));
        } else {
            double half = gf.getDouble("maxRate") / 2;
            double worst = 0;
            String worstAt = "";
            int compared = 0;
            JsonArray steps = gf.getJsonArray("steps", new JsonArray());
            for (int i = 0; i < steps.size(); i++) {
                JsonObject st = steps.getJsonObject(i);
                double rate = st.getDouble("rate");
                double nats = p99AtRate(fan, "nats", rate);
                if (rate > half || Double.isNaN(nats) || nats <= 0) {
                    continue;
                }
                double r = st.getJsonObject("latencyMs").getDouble("p99") / nats;
                compared++;
                if (r > worst) {
                    worst = r;
                    worstAt = String.format(java.util.Locale.ROOT, "%s msg/s: %.2f vs %.2f ms", fmt(rate), st.getJsonObject("latencyMs").getDouble("p99"), nats);
                }
            }
            rows.add(compared == 0 ? missing("[14] fan-out: p99 at every rate up to half the gateway's max vs NATS's", "<= 1x at each rate",
                    "no rate that both ran")
                    : row("[14] fan-out: p99 at every rate up to half the gateway's max vs NATS's", "<= 1x at each rate",
                    String.format(java.util.Locale.ROOT, "worst %.2fx (%s), over %d rates", worst, worstAt, compared), worst, worst <= 1.0, ""));
        }
    }

    private static String ingestRatios(JsonObject ingest, double acked) {
        StringBuilder sb = new StringBuilder();
        for (String other : new String[] {"nats", "socketio", "redis"}) {
            double v = number(ingest, other, "maxAckedPerSecond");
            if (!Double.isNaN(v) && v > 0) {
                sb.append(String.format(java.util.Locale.ROOT, "; vs %s %s = %.2fx", other, fmt(v), acked / v));
            }
        }
        return sb.toString();
    }

    /** The p99 (ms) of a system's ladder step at {@code rate} (the last one run at it), NaN if none. */
    static double p99AtRate(JsonObject systems, String system, double rate) {
        if (systems == null || systems.getJsonObject(system) == null) {
            return Double.NaN;
        }
        JsonArray steps = systems.getJsonObject(system).getJsonArray("steps", new JsonArray());
        double p99 = Double.NaN;
        for (int i = 0; i < steps.size(); i++) {
            JsonObject st = steps.getJsonObject(i);
            if (Math.abs(st.getDouble("rate") - rate) < 0.5 && st.getJsonObject("latencyMs") != null) {
                p99 = st.getJsonObject("latencyMs").getDouble("p99");
            }
        }
        return p99;
    }

    private static JsonObject versusPlain(String name, String target, double gateway, double other, double bound, JsonObject systems, String otherName) {
        if (Double.isNaN(gateway) || Double.isNaN(other) || other <= 0) {
            return missing(name, target, Double.isNaN(gateway) ? error(systems, "gateway") : error(systems, otherName));
        }
        double ratio = gateway / other;
        return row(name, target, String.format(java.util.Locale.ROOT, "%,.0f vs %,.0f = %.2fx", gateway, other, ratio), ratio / bound, ratio >= bound, "");
    }

    private static JsonObject share(JsonObject bw, String key, String name, double bound) {
        String target = "<= " + Math.round(bound * 100) + "% of raw Redis";
        if (bw == null || bw.getJsonObject("gateway") == null || bw.getJsonObject("gateway").getJsonObject(key) == null) {
            return missing(name, target, bw == null ? "not run" : bw.getString("error", bw.getString("viewError", "no result")));
        }
        JsonObject j = bw.getJsonObject("gateway").getJsonObject(key);
        double share = j.getDouble("appBytesVsRedis");
        return row(name, target, fmt(j.getDouble("appBytesPerUpdate")) + " B vs " + fmt(bw.getJsonObject("redis").getDouble("appBytesPerUpdate"))
                + " B = " + pct(share), share / bound, share <= bound, j.getString("verified", ""));
    }

    private static JsonObject versus(String name, String target, double gateway, double other, double bound, boolean strict,
                                     JsonObject fan, String gatewayName, String otherName) {
        if (Double.isNaN(gateway) || Double.isNaN(other) || other <= 0) {
            String why = Double.isNaN(gateway) ? error(fan, gatewayName) : error(fan, otherName);
            return missing(name, target, why);
        }
        double ratio = gateway / other;
        boolean met = strict ? ratio > bound : ratio >= bound;
        double gwCpu = Summary.perCpu(fan.getJsonObject(gatewayName));
        double otherCpu = Summary.perCpu(fan.getJsonObject(otherName));
        String note = Double.isNaN(gwCpu) || Double.isNaN(otherCpu) ? ""
                : String.format(java.util.Locale.ROOT, "per server CPU-second: %,.0f vs %,.0f = %.2fx", gwCpu, otherCpu, gwCpu / otherCpu);
        return row(name, target, String.format(java.util.Locale.ROOT, "%,.0f vs %,.0f = %.2fx", gateway, other, ratio), ratio / bound, met, note);
    }

    private static JsonObject row(String name, String target, String measured, double ofTarget, boolean met, String note) {
        return new JsonObject().put("target", name).put("bound", target).put("measured", measured)
                .put("ofBound", Math.round(ofTarget * 1000) / 1000.0).put("met", met).put("note", note);
    }

    private static JsonObject missing(String name, String target, String why) {
        return new JsonObject().put("target", name).put("bound", target).put("measured", "not measured").put("met", (Boolean) null)
                .put("note", why == null ? "" : why);
    }

    static JsonObject systems(JsonObject results, String scenario) {
        JsonObject s = results.getJsonObject(scenario);
        return s == null ? null : s.getJsonObject("systems");
    }

    private static double number(JsonObject systems, String system, String field) {
        if (systems == null || systems.getJsonObject(system) == null) {
            return Double.NaN;
        }
        Number n = systems.getJsonObject(system).getNumber(field);
        return n == null ? Double.NaN : n.doubleValue();
    }

    private static String error(JsonObject systems, String system) {
        if (systems == null) {
            return "scenario not run";
        }
        JsonObject s = systems.getJsonObject(system);
        if (s == null) {
            return system + " not run";
        }
        String why = s.getString("error", s.getString("skipped", "no figure"));
        return why.startsWith(system) ? why : system + ": " + why;
    }

    static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.format(java.util.Locale.ROOT, "%,d", (long) v) : String.format(java.util.Locale.ROOT, "%,.1f", v);
    }

    static String pct(double share) {
        return String.format(java.util.Locale.ROOT, "%.1f%%", share * 100);
    }
}
