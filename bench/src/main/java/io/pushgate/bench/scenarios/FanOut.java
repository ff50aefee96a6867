package io.pushgate.bench.scenarios;

import io.pushgate.bench.RunContext;
import io.pushgate.bench.load.Fleet;
import io.pushgate.bench.load.Payloads;
import io.pushgate.bench.load.Probe;
import io.pushgate.bench.load.StepRunner;
import io.pushgate.bench.peers.Peer;
import io.pushgate.bench.load.PublisherSlot;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;

/**
 * Scenario 1, fan-out: one topic, 1,000 subscribers, 128-byte JSON updates at rising rates
 * until delivery falls behind; the highest sustained deliveries per second, then latency
 * (p50, p99, p99.9) at half that rate. The gateway is profiled with JFR meanwhile.
 */
public final class FanOut {

    static final String NS = "fanout";

    private FanOut() {
    }

    public static JsonObject run(RunContext ctx) {
        boolean quick = ctx.quick();
        int subscribers = quick ? 200 : 1000;
        double startRate = quick ? 50 : 25;
        double warm = quick ? 0.5 : 1.0;
        double measure = quick ? 1.5 : 3.0;
        double grace = 0.25;
        double latencySeconds = quick ? 3 : 8;
        int maxSteps = quick ? 8 : 11;
        int refinements = quick ? 1 : 2;
        double budget = quick ? 55 : 130;
        JsonObject out = new JsonObject()
                .put("subscribers", subscribers)
                .put("topics", 1)
                .put("payloadBytes", Payloads.SIZE)
                .put("stepSeconds", new JsonObject().put("warmup", warm).put("measured", measure).put("grace", grace)
                        .put("latencyRun", latencySeconds))
                .put("passRule", "A step is sustained when >= " + StepRunner.PASS_RATIO * 100 + "% of the deliveries arrive within "
                        + grace + " s of the step's end and the publisher reaches >= " + StepRunner.RATE_RATIO * 100 + "% of the rate");
        JsonObject systems = new JsonObject();
        out.put("systems", systems);
        for (Peer peer : ctx.peers()) {
            if (ctx.remainingSeconds() < budget / 2) {
                systems.put(peer.name(), new JsonObject().put("error", "skipped: the run's time budget is spent"));
                continue;
            }
            ctx.log("fanout %s: %d subscribers", peer.name(), subscribers);
            try {
                systems.put(peer.name(), system(ctx, peer, subscribers, startRate, warm, measure, grace, latencySeconds, maxSteps,
                        refinements, budget));
            } catch (Exception e) {
                ctx.log("fanout %s FAILED: %s", peer.name(), e);
                systems.put(peer.name(), new JsonObject().put("error", e.getMessage() == null ? e.toString() : e.getMessage()));
            }
        }
        return out;
    }

    private static JsonObject system(RunContext ctx, Peer peer, int subscribers, double startRate, double warm, double measure,
                                     double grace, double latencySeconds, int maxSteps, int refinements, double budget)
            throws Exception {
        JsonObject result = new JsonObject().put("label", peer.label());
        peer.prepareTopics(NS, 1).toCompletionStage().toCompletableFuture().get(150, TimeUnit.SECONDS);
        Probe probe = new Probe();
        try (Fleet fleet = new Fleet(peer, NS, probe, subscribers, i -> new int[] {0})) {
            result.put("connect", fleet.open(100, 60_000, 0.9));
            PublisherSlot publisher = new PublisherSlot(peer, NS);
            try {
                publisher.get();
                StepRunner runner = ctx.steps(warm, measure, grace);
                result.put("warmup", Ladder.warmUp(ctx, "fanout", peer, fleet, publisher, probe, runner, 1, startRate * 2, ctx.quick() ? 4 : 10));
                Gateways.Counters counters = Gateways.counters(ctx, peer);
                Ladder.Outcome ladder = Ladder.climb(ctx, "fanout", peer, fleet, publisher, probe, runner, 1, startRate,
                        1_000_000, maxSteps, refinements, budget);
                result.put("steps", ladder.steps());
                JsonObject best = ladder.best();
                double halfRate;
                if (best != null) {
                    result.put("maxDeliveriesPerSecond", best.getDouble("deliveriesPerSecond"));
                    result.put("maxRate", best.getDouble("rate"));
                    halfRate = best.getDouble("rate") / 2;
                } else {
                    result.put("maxDeliveriesPerSecond", 0.0);
                    result.put("note", "not even " + startRate + " messages/s was sustained");
                    halfRate = startRate / 2;
                }
                JsonObject latency = Ladder.step(ctx, "fanout-latency", peer, fleet, publisher, probe, runner, 1, halfRate, latencySeconds);
                result.put("latencyAtHalf", latency);
                result.put("subscribersDropped", fleet.drops());
                if (!fleet.dropReasons().isEmpty()) {
                    result.put("dropReasons", new JsonObject(new java.util.LinkedHashMap<>(fleet.dropReasons())));
                }
                counters.putDelta(result);
                JsonObject profile = Ladder.profiled(ctx, "fanout", peer, fleet, publisher, probe, runner, 1, best == null ? 0 : best.getDouble("rate"),
                        ctx.quick() ? 2 : 4);
                if (profile != null) {
                    result.put("profile", profile);
                }
                if (!publisher.closes().isEmpty()) {
                    result.put("publisherClosedByServer", new io.vertx.core.json.JsonArray(new java.util.ArrayList<>(publisher.closes())));
                }
            } finally {
                publisher.close();
            }
        }
        return result;
    }
}
