package io.pushgate.bench.scenarios;

import io.pushgate.bench.RunContext;
import io.pushgate.bench.peers.Peer;
import io.pushgate.bench.stats.PrometheusText;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/** The gateway's own view of a scenario: its {@code pushgate_*} meters before and after, from {@code /q/metrics}. */
final class Gateways {

    /** Puts what the gateway's counters did during a scenario into a result. */
    interface Counters {
        void putDelta(JsonObject into);
    }

    private Gateways() {
    }

    static String metricsUrl(RunContext ctx, Peer peer) {
        return "http://127.0.0.1:" + ctx.options().port(peer.server()) + "/q/metrics";
    }

    /** The gateway, or a baseline build of it ({@code gateway-before}). */
    static boolean isGateway(Peer peer) {
        return peer.server().startsWith("gateway");
    }

    static Counters counters(RunContext ctx, Peer peer) {
        if (!isGateway(peer)) {
            return into -> { };
        }
        Map<String, Double> before;
        try {
            before = PrometheusText.fetch(metricsUrl(ctx, peer)).byName("pushgate_");
        } catch (Exception e) {
            return into -> into.put("gatewayMetricsError", String.valueOf(e.getMessage()));
        }
        return into -> {
            try {
                Map<String, Double> after = PrometheusText.fetch(metricsUrl(ctx, peer)).byName("pushgate_");
                JsonObject delta = new JsonObject();
                after.forEach((name, value) -> {
                    boolean counter = name.endsWith("_total");
                    double v = counter ? value - before.getOrDefault(name, 0.0) : value;
                    delta.put(name + (counter ? " (during)" : " (at end)"), Math.round(v * 10) / 10.0);
                });
                into.put("gatewayMetrics", delta);
            } catch (Exception e) {
                into.put("gatewayMetricsError", String.valueOf(e.getMessage()));
            }
        };
    }
}
