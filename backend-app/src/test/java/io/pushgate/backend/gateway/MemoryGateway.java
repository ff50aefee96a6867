package io.pushgate.backend.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.Json;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A gateway in memory for the plain tests: topics with specs, values and seqs, time series with
 * their events (range answers in both views: edits applied, as the gateway's default, or every
 * event as stored), principals' overrides. Failures are scripted: {@link #failNext} makes the next call of an operation fail,
 * after applying it or not (an answer lost on the way back).
 */
public final class MemoryGateway implements GatewayPort {

    public record Topic(JsonNode spec, long seq, JsonNode value, List<GatewayEvent> events) {
    }

    private record Failure(String op, GatewayException error, boolean applied) {
    }

    public final Map<String, Topic> topics = new LinkedHashMap<>();
    public final Map<String, JsonNode> overrides = new LinkedHashMap<>();
    public final List<String> calls = new ArrayList<>();
    private final Deque<Failure> failures = new ArrayDeque<>();
    public String author = "backend-app";

    /** The next call of {@code op} (add, set, append, edit, range, value, spec, overrides, putOverrides) fails. */
    public MemoryGateway failNext(String op, GatewayException error, boolean applied) {
        failures.add(new Failure(op, error, applied));
        return this;
    }

    public static GatewayException lost() {
        return GatewayException.unavailable("connection lost", true, null);
    }

    public static GatewayException away() {
        return GatewayException.unavailable("connection refused", false, null);
    }

    public List<JsonNode> eventValues(String topic) {
        Topic t = topics.get(topic);
        return t == null ? List.of() : t.events().stream().map(GatewayEvent::value).toList();
    }

    /** Appends as another client would (for chat messages). */
    public long post(String topic, String author, JsonNode value) {
        String saved = this.author;
        this.author = author;
        try {
            return append(topic, value);
        } finally {
            this.author = saved;
        }
    }

    private void maybeFail(String op, Runnable apply) {
        Failure f = failures.peek();
        if (f != null && f.op.equals(op)) {
            failures.poll();
            if (f.applied) {
                apply.run();
            }
            throw f.error;
        }
    }

    @Override
    public boolean add(String topic, JsonNode spec) {
        calls.add("add " + topic);
        maybeFail("add", () -> doAdd(topic, spec));
        return doAdd(topic, spec);
    }

    private boolean doAdd(String topic, JsonNode spec) {
        Topic t = topics.get(topic);
        if (t != null) {
            if (!t.spec().equals(spec)) {
                throw GatewayException.refused(ErrorCode.CONFLICT, topic + " exists with another spec");
            }
            return false;
        }
        topics.put(topic, new Topic(spec, 0, null, new ArrayList<>()));
        return true;
    }

    @Override
    public long set(String topic, JsonNode value, JsonNode spec) {
        calls.add("set " + topic);
        long[] seq = new long[1];
        maybeFail("set", () -> seq[0] = doSet(topic, value, spec));
        return doSet(topic, value, spec);
    }

    private long doSet(String topic, JsonNode value, JsonNode spec) {
        Topic t = topics.get(topic);
        if (t == null) {
            if (spec == null) {
                throw GatewayException.refused(ErrorCode.NOT_FOUND, "no topic " + topic);
            }
            doAdd(topic, spec);
            t = topics.get(topic);
        }
        Topic next = new Topic(t.spec(), t.seq() + 1, value.deepCopy(), t.events());
        topics.put(topic, next);
        return next.seq();
    }

    @Override
    public long append(String topic, JsonNode value) {
        calls.add("append " + topic);
        maybeFail("append", () -> doAppend(topic, value, null));
        return doAppend(topic, value, null);
    }

    /** Edits as another client would (a chat message's author correcting it). */
    public long postEdit(String topic, String author, long seq, JsonNode value) {
        String saved = this.author;
        this.author = author;
        try {
            return edit(topic, seq, value);
        } finally {
            this.author = saved;
        }
    }

    @Override
    public long edit(String topic, long seq, JsonNode value) {
        calls.add("edit " + topic + " " + seq);
        maybeFail("edit", () -> doAppend(topic, value, originalOf(topic, seq)));
        return doAppend(topic, value, originalOf(topic, seq));
    }

    /** As the gateway: an edit of an edit edits the original; no such event is NOT_FOUND. */
    private long originalOf(String topic, long seq) {
        Topic t = topics.get(topic);
        if (t == null) {
            throw GatewayException.refused(ErrorCode.NOT_FOUND, "no topic " + topic);
        }
        return t.events().stream().filter(e -> e.seq() == seq).findFirst()
                .map(e -> e.editOf() == null ? e.seq() : e.editOf())
                .orElseThrow(() -> GatewayException.refused(ErrorCode.NOT_FOUND, "no event " + seq + " in " + topic));
    }

    private long doAppend(String topic, JsonNode value, Long editOf) {
        Topic t = topics.get(topic);
        if (t == null) {
            throw GatewayException.refused(ErrorCode.NOT_FOUND, "no topic " + topic);
        }
        if (!"TIME_SERIES".equals(t.spec().path("type").asText())) {
            throw GatewayException.refused(ErrorCode.INVALID, topic + " is not a time series");
        }
        long seq = t.seq() + 1;
        t.events().add(new GatewayEvent(seq, "2026-11-22T20:00:00Z", author, value.deepCopy(), editOf));
        topics.put(topic, new Topic(t.spec(), seq, value.deepCopy(), t.events()));
        return seq;
    }

    @Override
    public List<GatewayEvent> lastEvents(String topic, int count, View view) {
        calls.add("range " + topic + (view == View.EDITS ? " edits" : ""));
        maybeFail("range", () -> { });
        List<GatewayEvent> events = view == View.EDITS ? asStored(topic) : values(topic);
        return List.copyOf(events.subList(Math.max(0, events.size() - count), events.size()));
    }

    @Override
    public List<GatewayEvent> eventsFrom(String topic, long from, int limit, View view) {
        calls.add("range " + topic + (view == View.EDITS ? " edits" : ""));
        maybeFail("range", () -> { });
        return (view == View.EDITS ? asStored(topic) : values(topic)).stream().filter(e -> e.seq() >= from).limit(limit).toList();
    }

    /** Every event as stored, originals and edits, as the gateway's "edits" view. */
    private List<GatewayEvent> asStored(String topic) {
        Topic t = topics.get(topic);
        if (t == null) {
            throw GatewayException.refused(ErrorCode.NOT_FOUND, "no topic " + topic);
        }
        return List.copyOf(t.events());
    }

    /** Originals with their latest edit applied, as the gateway's default range view. */
    private List<GatewayEvent> values(String topic) {
        Topic t = topics.get(topic);
        if (t == null) {
            throw GatewayException.refused(ErrorCode.NOT_FOUND, "no topic " + topic);
        }
        Map<Long, GatewayEvent> originals = new LinkedHashMap<>();
        for (GatewayEvent e : t.events()) {
            if (e.editOf() == null) {
                originals.put(e.seq(), e);
            } else if (originals.containsKey(e.editOf())) {
                GatewayEvent o = originals.get(e.editOf());
                originals.put(o.seq(), new GatewayEvent(o.seq(), o.time(), o.author(), e.value(), null));
            }
        }
        return new ArrayList<>(originals.values());
    }

    @Override
    public Optional<JsonNode> value(String topic) {
        calls.add("value " + topic);
        maybeFail("value", () -> { });
        Topic t = topics.get(topic);
        return t == null ? Optional.empty() : Optional.ofNullable(t.value());
    }

    @Override
    public Optional<JsonNode> spec(String topic) {
        calls.add("spec " + topic);
        maybeFail("spec", () -> { });
        Topic t = topics.get(topic);
        return t == null ? Optional.empty() : Optional.of(t.spec());
    }

    @Override
    public JsonNode principalOverrides(String principal) {
        calls.add("overrides " + principal);
        maybeFail("overrides", () -> { });
        return overrides.getOrDefault(principal, Json.MAPPER.createObjectNode());
    }

    @Override
    public void putPrincipalOverrides(String principal, JsonNode body) {
        calls.add("putOverrides " + principal);
        maybeFail("putOverrides", () -> overrides.put(principal, body));
        overrides.put(principal, body);
    }

    /** The session operations asked for, in order: {@code close <filter> <reason>}, {@code unsubscribe <filter> <selector>}. */
    public final List<String> sessionCalls = new java.util.ArrayList<>();

    @Override
    public int closeSessions(String filter, String reason) {
        calls.add("closeSessions " + filter);
        maybeFail("closeSessions", () -> { });
        sessionCalls.add("close " + filter + " " + reason);
        return 1;
    }

    @Override
    public int unsubscribeSessions(String filter, String selector) {
        calls.add("unsubscribeSessions " + filter);
        maybeFail("unsubscribeSessions", () -> { });
        sessionCalls.add("unsubscribe " + filter + " " + selector);
        return 1;
    }
}
