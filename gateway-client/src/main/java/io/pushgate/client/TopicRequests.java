package io.pushgate.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.TopicType;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The topic operations of {@link PushgateClient} ({@code fetch}, {@code add}, {@code set},
 * {@code append}, {@code edit}, {@code range}, {@code remove}, {@code ping}): each request as the
 * contract writes it, and its reply as the user's result. What they mean is on the facade.
 */
final class TopicRequests {

    private final Calls calls;

    TopicRequests(Calls calls) {
        this.calls = calls;
    }

    CompletableFuture<List<TopicState>> fetch(String selector, boolean withValues) {
        ObjectNode request = Requests.op("fetch").put("selector", Objects.requireNonNull(selector, "selector"));
        if (!withValues) {
            request.put("withValues", false);
        }
        return calls.call(request, reply -> Requests.each(reply.path("results"), TopicState::fromJson));
    }

    CompletableFuture<String> add(String topic, Object specOrTypeName) {
        ObjectNode request = Requests.op("add").put("topic", Objects.requireNonNull(topic, "topic"));
        request.set("spec", spec(Objects.requireNonNull(specOrTypeName, "spec")));
        return calls.call(request, reply -> reply.path("result").asText());
    }

    CompletableFuture<Long> set(String topic, Object value, Object spec) {
        ObjectNode request = Requests.op("set").put("topic", Objects.requireNonNull(topic, "topic"));
        request.set("value", Values.toNode(value));
        if (spec != null) {
            request.set("spec", spec(spec));
        }
        return calls.call(request, reply -> reply.path("seq").asLong());
    }

    CompletableFuture<Long> append(String topic, Object value) {
        ObjectNode request = Requests.op("append").put("topic", Objects.requireNonNull(topic, "topic"));
        request.set("value", Values.toNode(value));
        return calls.call(request, reply -> reply.path("seq").asLong());
    }

    CompletableFuture<Long> edit(String topic, long seq, Object value) {
        ObjectNode request = Requests.op("edit").put("topic", Objects.requireNonNull(topic, "topic")).put("seq", seq);
        request.set("value", Values.toNode(value));
        return calls.call(request, reply -> reply.path("seq").asLong());
    }

    CompletableFuture<List<TimeSeriesEvent>> range(String topic, RangeQuery query) {
        ObjectNode request = Requests.op("range").put("topic", Objects.requireNonNull(topic, "topic"));
        Objects.requireNonNull(query, "query").writeTo(request);
        return calls.call(request, reply -> Requests.each(reply.path("events"), TimeSeriesEvent::fromJson));
    }

    CompletableFuture<Integer> remove(String selector) {
        ObjectNode request = Requests.op("remove").put("selector", Objects.requireNonNull(selector, "selector"));
        return calls.call(request, reply -> reply.path("removed").asInt());
    }

    CompletableFuture<Duration> ping() {
        long start = System.nanoTime();
        return calls.call(Requests.op("ping"), pong -> Duration.ofNanos(System.nanoTime() - start));
    }

    /** A spec as the wire has it: a JSON spec as given, a type name as a string, any other object as Jackson writes it. */
    private static JsonNode spec(Object spec) {
        if (spec instanceof JsonNode node) {
            return node;
        }
        if (spec instanceof CharSequence || spec instanceof TopicType) {
            return TextNode.valueOf(spec.toString());
        }
        return Json.MAPPER.valueToTree(spec);
    }
}
