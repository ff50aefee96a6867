package io.pushgate.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A real Server-Sent Events client for tests: parses events into (event, id, JSON data). */
public final class SseClient implements AutoCloseable {

    /** One event of the stream. */
    public record Event(String event, String id, JsonNode data) {
    }

    private static final ObjectMapper MAPPER = JsonWebSocket.MAPPER;

    private final LinkedBlockingQueue<Event> inbox = new LinkedBlockingQueue<>();
    private final List<Event> seen = new ArrayList<>();
    private final HttpResponse<InputStream> response;
    private final Thread reader;

    private SseClient(URI uri, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
        headers.forEach(request::header);
        try {
            response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        reader = new Thread(this::read, "sse-client");
        reader.setDaemon(true);
        reader.start();
    }

    public static SseClient connect(String uri) {
        return new SseClient(URI.create(uri), Map.of());
    }

    public static SseClient connect(String uri, Map<String, String> headers) {
        return new SseClient(URI.create(uri), headers);
    }

    public int status() {
        return response.statusCode();
    }

    public Event await(Predicate<Event> match, Duration timeout) {
        synchronized (seen) {
            for (int i = 0; i < seen.size(); i++) {
                if (match.test(seen.get(i))) {
                    return seen.remove(i);
                }
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Event next;
            try {
                next = left <= 0 ? null : inbox.poll(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (next == null) {
                throw new AssertionError("no matching event within " + timeout + "; unmatched: " + seen);
            }
            if (match.test(next)) {
                return next;
            }
            synchronized (seen) {
                seen.add(next);
            }
        }
    }

    public Event awaitEvent(String name) {
        return await(e -> name.equals(e.event()), Duration.ofSeconds(10));
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException e) {
            // closing anyway
        }
        reader.interrupt();
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String event = "message";
            String id = null;
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        inbox.add(new Event(event, id, parse(data.toString())));
                    }
                    event = "message";
                    id = null;
                    data.setLength(0);
                } else if (line.startsWith("event:")) {
                    event = line.substring(6).trim();
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("data:")) {
                    if (data.length() > 0) {
                        data.append('\n');
                    }
                    data.append(line.substring(5).stripLeading());
                }
            }
        } catch (IOException e) {
            // stream closed
        }
    }

    private static JsonNode parse(String data) {
        try {
            return MAPPER.readTree(data);
        } catch (IOException e) {
            return MAPPER.getNodeFactory().textNode(data);
        }
    }
}
