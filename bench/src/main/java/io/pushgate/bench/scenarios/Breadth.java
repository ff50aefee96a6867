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
 * Scenario 2, breadth: 10,000 topics, 5,000 connections with 10 subscriptions each (every topic
 * has 5 subscribers), updates spread round-robin over all topics at rising rates.
 */
public final class Breadth {

    static final String NS = "breadth";

    private Breadth() {
    }

    public static JsonObject run(RunContext ctx) {
        boolean quick = ctx.quick();
        int topics = quick ? 1000 : 10_000;
        int connections = quick ? 500 : 5_000;
        int perConnection = 10;
        double startRate = quick ? 500 : 1000;
        double warm = quick ? 0.5 : 1.0;
        double measure = quick ? 1.5 : 2.0;
        double grace = 0.25;
        double budget = quick ? 45 : 60;
        JsonObject out = new JsonObject()
                .put("topics", topics)
                .put("connections", connections)
                .put("subscriptionsPerConnection", perConnection)
                .put("subscribersPerTopic", connections * perConnection / topics)
                .put("payloadBytes", Payloads.SIZE)
                .put("stepSeconds", new JsonObject().put("warmup", warm).put("measured", measure).put("grace", grace));
        JsonObject systems = new JsonObject();
        out.put("systems", systems);
        for (Peer peer : ctx.peers()) {
            if (!peer.hasTopics()) {
                systems.put(peer.name(), new JsonObject().put("skipped", "no topics: it delivers every message to every connection"));
                continue;
            }
            if (ctx.remainingSeconds() < budget) {
                systems.put(peer.name(), new JsonObject().put("error", "skipped: the run's time budget is spent"));
                continue;
            }
            ctx.log("breadth %s: %d topics, %d connections x %d subscriptions", peer.name(), topics, connections, perConnection);
            try {
                systems.put(peer.name(), system(ctx, peer, topics, connections, perConnection, startRate, warm, measure, grace, budget));
            } catch (Exception e) {
                ctx.log("breadth %s FAILED: %s", peer.name(), e);
                systems.put(peer.name(), new JsonObject().put("error", e.getMessage() == null ? e.toString() : e.getMessage()));
            }
        }
        return out;
    }

    /** Connection {@code i}'s topics: {@code perConnection} consecutive ones, wrapping, so that every topic gets the same number. */
    static int[] topicsOf(int i, int perConnection, int topics) {
        int[] t = new int[perConnection];
        for (int j = 0; j < perConnection; j++) {
            t[j] = (int) (((long) i * perConnection + j) % topics);
        }
        return t;
    }

    private static JsonObject system(RunContext ctx, Peer peer, int topics, int connections, int perConnection, double startRate,
                                     double warm, double measure, double grace, double budget) throws Exception {
        JsonObject result = new JsonObject().put("label", peer.label());
        long t0 = System.nanoTime();
        peer.prepareTopics(NS, topics).toCompletionStage().toCompletableFuture().get(150, TimeUnit.SECONDS);
        result.put("prepareSeconds", StepRunner.round((System.nanoTime() - t0) / 1e9));
        Probe probe = new Probe();
        try (Fleet fleet = new Fleet(peer, NS, probe, connections, i -> topicsOf(i, perConnection, topics))) {
            result.put("connect", fleet.open(200, 120_000, 0.9));
            PublisherSlot publisher = new PublisherSlot(peer, NS);
            try {
                publisher.get();
                result.put("warmup", Ladder.warmUp(ctx, "breadth", peer, fleet, publisher, probe, ctx.steps(warm, measure, grace), topics,
                        startRate * 2, ctx.quick() ? 4 : 10));
                Gateways.Counters counters = Gateways.counters(ctx, peer);
                Ladder.Outcome ladder = Ladder.climb(ctx, "breadth", peer, fleet, publisher, probe, ctx.steps(warm, measure, grace),
                        topics, startRate, 1_000_000, 8, 1, budget);
                result.put("steps", ladder.steps());
                JsonObject best = ladder.best();
                result.put("maxDeliveriesPerSecond", best == null ? 0.0 : best.getDouble("deliveriesPerSecond"));
                result.put("maxUpdatesPerSecond", best == null ? 0.0 : best.getDouble("achievedRate"));
                if (best != null) {
                    result.put("latencyAtMaxMs", best.getJsonObject("latencyMs"));
                }
                result.put("subscribersDropped", fleet.drops());
                if (!fleet.dropReasons().isEmpty()) {
                    result.put("dropReasons", new JsonObject(new java.util.LinkedHashMap<>(fleet.dropReasons())));
                }
                counters.putDelta(result);
                JsonObject profile = Ladder.profiled(ctx, "breadth", peer, fleet, publisher, probe, ctx.steps(warm, measure, grace), topics,
                        best == null ? 0 : best.getDouble("rate"), ctx.quick() ? 2 : 3);
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
