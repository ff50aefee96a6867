package io.pushgate.reliability.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.protocol.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A subscriber to one time series that knows every replica and resumes where it left off, as the
 * protocol's recovery extension intends: when its connection ends it connects to the next replica
 * in the list and subscribes again with {@code since: {topic: last seq seen}}. It records every
 * event it receives (seq and value), every {@code gap} message, and when it came back.
 */
public final class TimeSeriesFollower implements AutoCloseable {

    private final List<URI> endpoints;
    private final String topic;
    private final HttpClient http;
    private final ScheduledExecutorService timer;
    private final List<Long> seqs = new ArrayList<>();
    private final List<JsonNode> values = new ArrayList<>();
    private final List<JsonNode> gaps = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private int next;
    private int connections;
    private int acknowledged;
    private long lastSeq;
    private long droppedAt;
    private long resumedAfterNanos = -1;
    private volatile boolean closed;
    private volatile WebSocket socket;

    public TimeSeriesFollower(List<URI> endpoints, String topic, HttpClient http, ScheduledExecutorService timer) {
        this.endpoints = List.copyOf(endpoints);
        this.topic = topic;
        this.http = http;
        this.timer = timer;
    }

    public static ScheduledExecutorService timer() {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "followers-timer");
            t.setDaemon(true);
            return t;
        });
    }

    /** Connects to the first endpoint and subscribes; returns once the subscription is acknowledged. */
    public TimeSeriesFollower start() {
        connect();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (connectionsAcknowledged() == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the follower of " + topic + " did not subscribe: " + problems());
            }
            Sleep.millis(20);
        }
        return this;
    }

    private synchronized int connectionsAcknowledged() {
        return acknowledged;
    }

    private void connect() {
        if (closed) {
            return;
        }
        URI uri;
        synchronized (this) {
            uri = endpoints.get(next % endpoints.size());
            next++;
        }
        http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)).buildAsync(uri, new Listener())
                .whenComplete((ws, error) -> {
                    if (error != null) {
                        timer.schedule(this::connect, 100, TimeUnit.MILLISECONDS);
                    }
                });
    }

    private synchronized void opened(WebSocket ws) {
        socket = ws;
        connections++;
        ObjectNode subscribe = Json.MAPPER.createObjectNode().put("op", "subscribe").put("id", "s" + connections)
                .put("selector", ">" + topic);
        if (connections > 1) {
            subscribe.putObject("since").put(topic, lastSeq);
        }
        ws.sendText(Json.write(subscribe), true);
    }

    private synchronized void message(JsonNode m) {
        switch (m.path("type").asText()) {
            case "ok" -> acknowledged++;
            case "event" -> {
                JsonNode event = m.path("event");
                long seq = event.path("seq").asLong();
                if (connections > 1 && resumedAfterNanos < 0) {
                    resumedAfterNanos = System.nanoTime() - droppedAt;
                }
                seqs.add(seq);
                values.add(event.path("value"));
                lastSeq = Math.max(lastSeq, seq);
            }
            case "gap" -> gaps.add(m);
            case "error" -> problems.add(m.toString());
            default -> {
            }
        }
    }

    private synchronized void dropped() {
        socket = null;
        if (droppedAt == 0) {
            droppedAt = System.nanoTime();
        }
    }

    public synchronized List<Long> seqs() {
        return List.copyOf(seqs);
    }

    public synchronized List<JsonNode> values() {
        return List.copyOf(values);
    }

    public synchronized List<JsonNode> gaps() {
        return List.copyOf(gaps);
    }

    public synchronized List<String> problems() {
        return List.copyOf(problems);
    }

    public synchronized long lastSeq() {
        return lastSeq;
    }

    public synchronized int connections() {
        return connections;
    }

    /** Time from the first drop to the first event after it, in ms; -1 if it never resumed. */
    public synchronized long resumedAfterMs() {
        return resumedAfterNanos < 0 ? -1 : resumedAfterNanos / 1_000_000;
    }

    @Override
    public void close() {
        closed = true;
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket ws) {
            opened(ws);
            ws.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    message(Json.parse(text));
                } catch (RuntimeException e) {
                    synchronized (TimeSeriesFollower.this) {
                        problems.add("not JSON: " + text);
                    }
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            dropped();
            timer.schedule(TimeSeriesFollower.this::connect, 100, TimeUnit.MILLISECONDS);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            dropped();
            timer.schedule(TimeSeriesFollower.this::connect, 100, TimeUnit.MILLISECONDS);
        }
    }
}
