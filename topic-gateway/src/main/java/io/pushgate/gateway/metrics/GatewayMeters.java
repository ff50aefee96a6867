package io.pushgate.gateway.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pushgate.gateway.redis.WriteStats;
import io.pushgate.gateway.sessions.GatewayStats;
import io.pushgate.gateway.topics.TopicTree;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.atomic.LongAdder;

/** Exposes the core's counters at {@code /q/metrics} (names prefixed {@code pushgate_}). */
@ApplicationScoped
public class GatewayMeters {

    void register(@Observes StartupEvent event, MeterRegistry registry, GatewayStats s, TopicTree tree, WriteStats w) {
        Gauge.builder("pushgate.connections", s.sessions, Number::doubleValue).description("open sessions (WebSocket and SSE)").register(registry);
        Gauge.builder("pushgate.subscriptions", s.subscriptions, Number::doubleValue).description("topic subscriptions over all sessions").register(registry);
        Gauge.builder("pushgate.topics", tree, t -> t.size()).description("topics in the tree").register(registry);
        counter(registry, "pushgate.messages.out", s.framesOut, "messages sent to clients");
        counter(registry, "pushgate.bytes.out", s.bytesOut, "bytes of messages sent to clients");
        counter(registry, "pushgate.websocket.frames.out", s.webSocketFrames, "WebSocket frames written (several messages each with batch=lines)");
        counter(registry, "pushgate.values.out", s.valuesOut, "whole values sent");
        counter(registry, "pushgate.deltas.out", s.deltasOut, "deltas sent instead of whole values");
        counter(registry, "pushgate.conflations", s.conflations, "times a slow connection's topic was conflated");
        counter(registry, "pushgate.slow.consumers.closed", s.slowConsumersClosed, "connections closed for staying behind");
        counter(registry, "pushgate.updates.applied", s.updatesApplied, "topic updates applied from the store");
        counter(registry, "pushgate.requests", s.requests, "client requests received");
        counter(registry, "pushgate.errors", s.errors, "error replies sent");
        counter(registry, "pushgate.store.batches", w.batches, "calls of the batched set script (one per batch of sets)");
        counter(registry, "pushgate.store.batched.sets", w.batchedSets, "sets sent in batches (divided by batches: the mean batch size)");
        counter(registry, "pushgate.store.script.calls", w.scriptCalls, "other writes to the store (add, remove, append), one call each");
        counter(registry, "pushgate.store.unavailable", w.unavailable, "writes failed because the store was unreachable or the write queue full");
        counter(registry, "pushgate.store.apply.waits.expired", w.applyWaitsExpired,
                "writes acknowledged after the apply wait without this gateway having seen their change");
        counter(registry, "pushgate.store.not.replicated", w.notReplicated,
                "store calls refused because WAIT found fewer replicas than gateway.redis.wait-replicas in time");
    }

    private static void counter(MeterRegistry registry, String name, LongAdder adder, String description) {
        FunctionCounter.builder(name, adder, LongAdder::doubleValue).description(description).register(registry);
    }
}
