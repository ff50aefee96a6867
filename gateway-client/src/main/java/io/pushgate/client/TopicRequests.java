package io.pushgate.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.TopicType;
import io.pushgate.protocol.message.Field;
import io.pushgate.protocol.message.Op;
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
        ObjectNode request = Requests.op(Op.FETCH).put(Field.SELECTOR, Objects.requireNonNull(selector, "selector"));
        if (!withValues) {
            request.put(Field.WITH_VALUES, false);
        }
        return calls.call(request, reply -> Requests.each(reply.path(Field.RESULTS), TopicState::fromJson));
    }

    CompletableFuture<String> add(String topic, Object specOrTypeName) {
        ObjectNode request = Requests.op(Op.ADD).put(Field.TOPIC, Objects.requireNonNull(topic, "topic"));
        request.set(Field.SPEC, spec(Objects.requireNonNull(specOrTypeName, "spec")));
        return calls.call(request, reply -> reply.path(Field.RESULT).asText());
    }

    CompletableFuture<Long> set(String topic, Object value, Object spec) {
        ObjectNode request = Requests.op(Op.SET).put(Field.TOPIC, Objects.requireNonNull(topic, "topic"));
        request.set(Field.VALUE, Values.toNode(value));
        if (spec != null) {
            request.set(Field.SPEC, spec(spec));
        }
        return calls.call(request, reply -> reply.path(Field.SEQ).asLong());
    }

    CompletableFuture<Long> append(String topic, Object value) {
        ObjectNode request = Requests.op(Op.APPEND).put(Field.TOPIC, Objects.requireNonNull(topic, "topic"));
        request.set(Field.VALUE, Values.toNode(value));
        return calls.call(request, reply -> reply.path(Field.SEQ).asLong());
    }

    CompletableFuture<Long> edit(String topic, long seq, Object value) {
        ObjectNode request = Requests.op(Op.EDIT).put(Field.TOPIC, Objects.requireNonNull(topic, "topic")).put(Field.SEQ, seq);
        request.set(Field.VALUE, Values.toNode(value));
        return calls.call(request, reply -> reply.path(Field.SEQ).asLong());
    }

    CompletableFuture<List<TimeSeriesEvent>> range(String topic, RangeQuery query) {
        ObjectNode request = Requests.op(Op.RANGE).put(Field.TOPIC, Objects.requireNonNull(topic, "topic"));
        Objects.requireNonNull(query, "query").writeTo(request);
        return calls.call(request, reply -> Requests.each(reply.path(Field.EVENTS), TimeSeriesEvent::fromJson));
    }

    CompletableFuture<Integer> remove(String selector) {
        ObjectNode request = Requests.op(Op.REMOVE).put(Field.SELECTOR, Objects.requireNonNull(selector, "selector"));
        return calls.call(request, reply -> reply.path(Field.REMOVED).asInt());
    }

    CompletableFuture<Duration> ping() {
        long start = System.nanoTime();
        return calls.call(Requests.op(Op.PING), pong -> Duration.ofNanos(System.nanoTime() - start));
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
