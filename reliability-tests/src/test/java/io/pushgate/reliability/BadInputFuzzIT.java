package io.pushgate.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.RequestIdScanner;
import io.pushgate.reliability.support.FuzzInputs;
import io.pushgate.reliability.support.HttpFuzz;
import io.pushgate.reliability.support.Metrics;
import io.pushgate.reliability.support.Percentiles;
import io.pushgate.reliability.support.Results;
import io.pushgate.reliability.support.Services;
import io.pushgate.reliability.support.Sleep;
import io.pushgate.testsupport.Http;
import io.pushgate.testsupport.JsonWebSocket;
import io.pushgate.testsupport.RawWebSocket;
import io.pushgate.testsupport.RedisServer;
import io.pushgate.testsupport.ServiceProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Tens of thousands of random and mutated frames on many WebSocket connections, and random and
 * mutated requests to SSE and REST, against one gateway, with seeded generators
 * ({@link FuzzInputs}; {@code -Dfuzz.seed=N} replays a run). What must hold:
 *
 * <ul>
 * <li>the gateway process stays up and ready;</li>
 * <li>every WebSocket frame gets exactly one reply ({@code ok}, {@code error}, {@code pong},
 * {@code fetch}, {@code range}), and a frame that carries an {@code id} (and parses) gets exactly
 * one reply with that id; none is an "internal error";</li>
 * <li>REST and SSE answer 2xx, or 4xx with a JSON {@code {code, message}}, never 5xx;</li>
 * <li>the gateway logs no error and no stack trace;</li>
 * <li>another connection's subscription keeps receiving a topic updated every 100 ms.</li>
 * </ul>
 */
class BadInputFuzzIT {

    private static final long SEED = Long.getLong("fuzz.seed", 20261122L);
    private static final int CONNECTIONS = 16;
    private static final int FRAMES_PER_CONNECTION = 2500;
    private static final int SSE_REQUESTS = 1000;
    private static final int REST_REQUESTS = 3000;
    private static final Duration SENDING = Duration.ofSeconds(40);
    private static final int WINDOW = 32;
    /** The longest the bystander may go without an update, generous for a shared 2-core machine. */
    private static final long MAX_SILENCE_MS = 5000;
    private static final int MAX_FRAME_BYTES = 1_048_576;
    private static final int MAX_JSON_DEPTH = 64;
    private static final Set<String> REPLY_TYPES = Set.of("ok", "error", "pong", "fetch", "range");

    @Test
    void badInputGetsAnAnswerEveryTimeAndNothingElseIsDisturbed() throws Exception {
        Results results = new Results("bad-input-fuzz");
        results.put("seed", SEED);
        RedisServer redis = new RedisServer().start();
        ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS + 3);
        AtomicBoolean ticking = new AtomicBoolean(true);
        try (Services services = new Services("BadInputFuzzIT")) {
            ServiceProcess gateway = services.gateway(redis.uri(), Map.of());
            Services.startAll(gateway);
            seed(gateway);
            Map<String, Long> backtracking = backtracking(gateway);
            results.put("catastrophicBacktrackingSelectorsReplyMs", backtracking);

            // the bystander: a subscription to a topic updated every 100 ms, through the whole fuzz
            List<Long> ticksReceived = Collections.synchronizedList(new ArrayList<>());
            Percentiles tickLatency = new Percentiles();
            AtomicInteger ticksSent = new AtomicInteger();
            Set<Integer> ticksSeen = ConcurrentHashMap.newKeySet();
            Map<String, String> tickReplies = new ConcurrentHashMap<>();
            // anything else the bystander receives (an unsubscribed REMOVED, a delta...): says why an update went missing
            List<String> observerOther = Collections.synchronizedList(new ArrayList<>());
            // the bystander's messages in order: "v<n>" for a value, else the type (subscription, unsubscribed...)
            List<String> observerStream = Collections.synchronizedList(new ArrayList<>());
            JsonWebSocket observer = JsonWebSocket.connect(gateway.wsUrl() + "/v1/ws");
            JsonWebSocket ticker = JsonWebSocket.connect(gateway.wsUrl() + "/v1/ws");
            assertThat(observer.call(Map.of("op", "subscribe", "selector", "?watch//")).path("type").asText()).isEqualTo("ok");
            Future<?> ticks = pool.submit(() -> {
                long next = System.nanoTime();
                for (int n = 1; ticking.get(); n++) {
                    ticker.request(Map.of("op", "set", "topic", "watch/tick", "spec", Map.of("type", "JSON"),
                            "value", Map.of("n", n, "sent", System.nanoTime()), "id", "t" + n));
                    ticksSent.incrementAndGet();
                    next += 100_000_000L;
                    Sleep.until(next);
                    for (JsonNode reply : ticker.drain()) {
                        tickReplies.put(reply.path("id").asText(), reply.path("type").asText() + " " + reply.path("code").asText(""));
                    }
                    for (JsonNode m : observer.drain()) {
                        if ("value".equals(m.path("type").asText())) {
                            ticksReceived.add(observer.receivedAt(m));
                            ticksSeen.add(m.path("value").path("n").asInt());
                            tickLatency.add((observer.receivedAt(m) - m.path("value").path("sent").asLong()) / 1e6);
                            observerStream.add("v" + m.path("value").path("n").asInt());
                        } else {
                            observerOther.add(m.toString());
                            observerStream.add(m.path("type").asText());
                        }
                    }
                }
            });

            long start = System.nanoTime();
            long deadline = start + SENDING.toNanos();
            List<Future<WsOutcome>> ws = new ArrayList<>();
            for (int c = 0; c < CONNECTIONS; c++) {
                int connection = c;
                ws.add(pool.submit(() -> fuzzWebSocket(gateway, connection, deadline)));
            }
            Future<HttpFuzz.Outcome> sse = pool.submit(() -> HttpFuzz.sse(gateway, SEED + 1000, SSE_REQUESTS, deadline));
            Future<HttpFuzz.Outcome> rest = pool.submit(() -> HttpFuzz.rest(gateway, SEED + 2000, REST_REQUESTS, deadline));

            List<String> invalidUtf8 = invalidUtf8(gateway);

            List<WsOutcome> wsOutcomes = new ArrayList<>();
            for (Future<WsOutcome> f : ws) {
                wsOutcomes.add(f.get());
            }
            HttpFuzz.Outcome sseOutcome = sse.get();
            HttpFuzz.Outcome restOutcome = rest.get();
            long fuzzEnd = System.nanoTime();
            ticking.set(false);
            ticks.get();
            // the last updates may still be on their way
            long settle = System.nanoTime() + MAX_SILENCE_MS * 1_000_000L;
            while (ticksSeen.size() < ticksSent.get() && System.nanoTime() < settle) {
                for (JsonNode m : observer.drain()) {
                    if ("value".equals(m.path("type").asText())) {
                        ticksReceived.add(observer.receivedAt(m));
                        ticksSeen.add(m.path("value").path("n").asInt());
                        tickLatency.add((observer.receivedAt(m) - m.path("value").path("sent").asLong()) / 1e6);
                        observerStream.add("v" + m.path("value").path("n").asInt());
                    } else {
                        observerOther.add(m.toString());
                        observerStream.add(m.path("type").asText());
                    }
                }
                Sleep.millis(50);
            }
            for (JsonNode reply : ticker.drain()) {
                tickReplies.put(reply.path("id").asText(), reply.path("type").asText() + " " + reply.path("code").asText(""));
            }
            observer.close();
            ticker.close();
            // The fuzz may remove the bystander's topic (it is anonymous ADMINISTRATOR, and `remove` with
            // a wide selector is valid input); the next tick adds it again, and the bystander, as any
            // new subscriber, then gets its current value, not the values set while it was away. Such
            // updates are accounted for; any other missing update is a loss.
            Set<Integer> replacedWhileRemoved = removedWindows(observerStream);
            Map<Integer, String> missedTicks = new TreeMap<>();
            Map<Integer, String> missedWhileRemoved = new TreeMap<>();
            for (int n = 1; n <= ticksSent.get(); n++) {
                if (!ticksSeen.contains(n)) {
                    (replacedWhileRemoved.contains(n) ? missedWhileRemoved : missedTicks)
                            .put(n, tickReplies.getOrDefault("t" + n, "no reply"));
                }
            }
            results.put("fuzzSeconds", Results.millis(start, fuzzEnd) / 1000.0);

            long frames = wsOutcomes.stream().mapToLong(o -> o.sent).sum();
            long replies = wsOutcomes.stream().mapToLong(o -> o.replies).sum();
            Map<String, Integer> codes = new TreeMap<>();
            wsOutcomes.forEach(o -> o.codes.forEach((k, v) -> codes.merge(k, v, Integer::sum)));
            List<String> idProblems = new ArrayList<>();
            wsOutcomes.forEach(o -> idProblems.addAll(o.idProblems));
            List<String> internal = new ArrayList<>();
            wsOutcomes.forEach(o -> internal.addAll(o.internalErrors));
            List<String> wsClosed = new ArrayList<>();
            wsOutcomes.forEach(o -> {
                if (o.closedWith != null) {
                    wsClosed.add(o.closedWith);
                }
            });
            results.put("webSocketFrames", frames);
            results.put("webSocketReplies", replies);
            results.put("framesWithAnIdExpectingOneReply", wsOutcomes.stream().mapToLong(o -> o.withId).sum());
            results.put("replyTypesAndErrorCodes", codes);
            results.put("invalidUtf8Frames", invalidUtf8);
            results.put("sseRequests", sseOutcome.requests);
            results.put("sseStatuses", sseOutcome.statuses);
            results.put("restRequests", restOutcome.requests);
            results.put("restStatuses", restOutcome.statuses);
            results.put("ticksSentDuringFuzz", ticksSent.get());
            results.put("ticksReceivedDuringFuzz", ticksSeen.size());
            results.put("bystanderLatency", tickLatency.toString());
            results.put("bystanderMissedUpdates", missedTicks);
            results.put("bystanderTopicRemovedByTheFuzz", observerStream.stream().filter("unsubscribed"::equals).count());
            results.put("bystanderUpdatesReplacedWhileItsTopicWasRemoved", missedWhileRemoved);
            results.put("bystanderOtherMessages", observerOther.size() > 20 ? observerOther.subList(0, 20) : observerOther);
            results.put("gatewayConflations", Metrics.value(gateway.httpUrl(), "pushgate_conflations_total"));
            long maxGap = 0;
            List<String> longGaps = new ArrayList<>();
            for (int i = 1; i < ticksReceived.size(); i++) {
                long gap = ticksReceived.get(i) - ticksReceived.get(i - 1);
                maxGap = Math.max(maxGap, gap);
                if (gap > 1_000_000_000L) {
                    longGaps.add(gap / 1_000_000 + " ms ending " + Results.millis(start, ticksReceived.get(i)) + " ms into the fuzz");
                }
            }
            results.put("bystanderWaitsOverOneSecond", longGaps);
            results.put("longestGapBetweenTicksMs", maxGap / 1_000_000);
            List<String> logErrors = Services.errorLines(gateway);
            results.put("gatewayLogErrorLines", logErrors.size());

            SoftAssertions soft = new SoftAssertions();
            soft.assertThat(gateway.isAlive()).as("the gateway process is up").isTrue();
            soft.assertThat(Http.ready(gateway.httpUrl())).as("the gateway is ready").isEqualTo(200);
            soft.assertThat(frames).as("WebSocket frames sent").isGreaterThanOrEqualTo(20_000);
            soft.assertThat(replies).as("one reply per WebSocket frame").isEqualTo(frames);
            soft.assertThat(idProblems).as("frames with an id: exactly one reply with that id").isEmpty();
            soft.assertThat(internal).as("replies that are internal errors (unhandled exceptions)").isEmpty();
            soft.assertThat(wsClosed).as("fuzzed connections the gateway closed").isEmpty();
            soft.assertThat(invalidUtf8).as("text frames that are not UTF-8: an error, or a close with 1007")
                    .allMatch(o -> o.startsWith("error INVALID") || o.startsWith("closed 1007"));
            soft.assertThat(sseOutcome.problems).as("SSE answers that are 5xx or not {code, message}").isEmpty();
            soft.assertThat(restOutcome.problems).as("REST answers that are 5xx or not {code, message}").isEmpty();
            // every update sent reaches the bystander, with no long silence;
            // its latency is reported, not bounded: on this shared 2-core machine it measures the machine as much as the gateway
            soft.assertThat(missedTicks).as("updates sent (and the writer's reply to each) that the bystander never received").isEmpty();
            soft.assertThat(maxGap / 1_000_000).as("the bystander's longest wait between two updates sent 100 ms apart (ms)")
                    .isLessThan(MAX_SILENCE_MS);
            soft.assertThat(backtracking.values()).as("replies to catastrophic-backtracking selectors (ms): %s", backtracking)
                    .allMatch(ms -> ms < 1000);
            soft.assertThat(logErrors).as("errors and stack traces in the gateway's log").isEmpty();
            results.write();
            soft.assertAll();
        } finally {
            ticking.set(false);
            pool.shutdownNow();
            results.write();
            redis.stop();
        }
    }

    /**
     * The ticks a subscriber may not see because its topic was removed: those after the last value
     * before an {@code unsubscribed} and before the first value after the {@code subscription}
     * to the topic added again.
     */
    static Set<Integer> removedWindows(List<String> stream) {
        Set<Integer> window = new HashSet<>();
        int lastValue = 0;
        Integer removedAfter = null;
        synchronized (stream) {
            for (String m : stream) {
                if (m.startsWith("v")) {
                    int n = Integer.parseInt(m.substring(1));
                    if (removedAfter != null) {
                        for (int k = removedAfter + 1; k < n; k++) {
                            window.add(k);
                        }
                        removedAfter = null;
                    }
                    lastValue = n;
                } else if ("unsubscribed".equals(m) && removedAfter == null) {
                    removedAfter = lastValue;
                }
            }
        }
        return window;
    }

    /** Topics of every type for the fuzz to hit, and a long path for backtracking selectors to chew on. */
    private static void seed(ServiceProcess gateway) {
        try (JsonWebSocket admin = JsonWebSocket.connect(gateway.wsUrl() + "/v1/ws")) {
            for (String[] t : new String[][] {{"fuzz/json", "JSON", "{\"a\":1}"}, {"fuzz/string", "STRING", "\"s\""}, {"fuzz/int", "INT64", "1"},
                    {"fuzz/double", "DOUBLE", "1.5"}, {"fuzz/binary", "BINARY", "\"AAEC\""},
                    {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac", "JSON", "{}"}}) {
                JsonNode ok = admin.call(Map.of("op", "set", "topic", t[0], "spec", t[1], "value", Json.parse(t[2])));
                assertThat(ok.path("type").asText()).as("seed %s: %s", t[0], ok).isEqualTo("ok");
            }
            admin.call(Map.of("op", "add", "topic", "fuzz/ts", "spec", Map.of("type", "TIME_SERIES", "eventType", "JSON")));
            admin.call(Map.of("op", "append", "topic", "fuzz/ts", "value", Map.of("a", 1)));
        }
    }

    /**
     * Selectors that take a backtracking regular expression engine exponential time on the path
     * {@code aaa...ac} (46 characters; 2^45 ways to split the a's): subscribe and fetch with each,
     * timing the reply. RE2 matches in linear time, so each must come back at once.
     */
    private static Map<String, Long> backtracking(ServiceProcess gateway) {
        Map<String, Long> took = new LinkedHashMap<>();
        try (JsonWebSocket ws = JsonWebSocket.connect(gateway.wsUrl() + "/v1/ws")) {
            for (String selector : List.of("*(a+)+b", "?(x*)*y/", "*(a|aa)+$", "*(a*)*(b*)*c", "*(.*a){25}", "?(a+)+b//")) {
                for (String op : List.of("subscribe", "fetch")) {
                    long t = System.nanoTime();
                    JsonNode reply = ws.call(Map.of("op", op, "selector", selector));
                    took.put(op + " " + selector + " -> " + reply.path("type").asText() + " " + reply.path("code").asText(""),
                            Results.millis(t, System.nanoTime()));
                }
            }
        }
        return took;
    }

    // ------------------------------------------------------------------ WebSocket

    private static final class WsOutcome {
        long sent;
        long replies;
        long withId;
        final Map<String, Integer> codes = new HashMap<>();
        final List<String> idProblems = new ArrayList<>();
        final List<String> internalErrors = new ArrayList<>();
        String closedWith;
    }

    private static WsOutcome fuzzWebSocket(ServiceProcess gateway, int connection, long deadline) {
        FuzzInputs inputs = new FuzzInputs(SEED + connection);
        String delta = List.of("json-patch", "fossil", "none").get(connection % 3);
        WsOutcome out = new WsOutcome();
        Map<String, String> expected = new HashMap<>();
        Map<String, Integer> repliedIds = new HashMap<>();
        Map<String, List<String>> replies = new HashMap<>();
        try (JsonWebSocket ws = JsonWebSocket.connect(gateway.wsUrl() + "/v1/ws?delta=" + delta)) {
            while (out.sent < FRAMES_PER_CONNECTION && System.nanoTime() < deadline && !ws.closed().isDone()) {
                while (out.sent - out.replies >= WINDOW && System.nanoTime() < deadline + 15_000_000_000L) {
                    count(ws.drain(), out, repliedIds, replies);
                    Sleep.millis(1);
                }
                String id = token(inputs.random());
                String frame = inputs.frame(id);
                int bytes = frame.getBytes(StandardCharsets.UTF_8).length;
                if (bytes > 1_900_000) {
                    continue; // past twice the frame limit the gateway closes the connection (1009): not what this test is about
                }
                if (carriesId(frame, bytes, id)) {
                    expected.put(id, abbreviate(frame));
                    out.withId++;
                }
                ws.sendText(frame);
                out.sent++;
            }
            long wait = System.nanoTime() + 20_000_000_000L;
            while (out.replies < out.sent && System.nanoTime() < wait && !ws.closed().isDone()) {
                count(ws.drain(), out, repliedIds, replies);
                Sleep.millis(20);
            }
            Sleep.millis(200);
            count(ws.drain(), out, repliedIds, replies);
            if (ws.closed().isDone()) {
                out.closedWith = "connection " + connection + " closed with " + ws.closed().join()[0];
            }
        }
        for (Map.Entry<String, String> e : expected.entrySet()) {
            int got = repliedIds.getOrDefault(e.getKey(), 0);
            if (got != 1 && out.idProblems.size() < 20) {
                out.idProblems.add("frame " + e.getKey() + " got " + got + " replies with its id: " + e.getValue()
                        + " -> " + replies.getOrDefault(e.getKey(), List.of()));
            }
        }
        for (Map.Entry<String, Integer> e : repliedIds.entrySet()) {
            if (!expected.containsKey(e.getKey()) && e.getValue() > 1 && e.getKey().matches("[a-z]{16}") && out.idProblems.size() < 20) {
                out.idProblems.add("id " + e.getKey() + " answered " + e.getValue() + " times: " + replies.get(e.getKey()));
            }
        }
        return out;
    }

    /**
     * A frame's id: 16 random letters, so that a mutation of one frame's id (a letter cut or changed)
     * never yields the id of another frame, which would make its reply look like a duplicate.
     */
    private static String token(Random random) {
        StringBuilder sb = new StringBuilder(16);
        for (int i = 0; i < 16; i++) {
            sb.append((char) ('a' + random.nextInt(26)));
        }
        return sb.toString();
    }

    /**
     * Text frames whose bytes are not UTF-8 (a lone surrogate encoded as if it were a character, an
     * overlong NUL, a truncated sequence, a stray continuation byte), each on a connection of its
     * own: RFC 6455 says to fail the connection with 1007; an error reply is acceptable too.
     */
    private static List<String> invalidUtf8(ServiceProcess gateway) throws IOException {
        byte[][] payloads = {
            {'{', '"', 'o', 'p', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'},
            {'{', '"', 'o', 'p', '"', ':', '"', (byte) 0xC0, (byte) 0x80, '"', '}'},
            {'{', '"', 'o', 'p', '"', ':', '"', (byte) 0xE2, (byte) 0x82, '"', '}'},
            {(byte) 0x80, (byte) 0xBF, '{', '}'},
            {(byte) 0xFF, (byte) 0xFE, 0, 0},
        };
        List<String> outcomes = new ArrayList<>();
        for (byte[] payload : payloads) {
            try (RawWebSocket raw = RawWebSocket.connect(gateway.port(), "/v1/ws", 0)) {
                raw.sendTextBytes(payload);
                raw.setReadTimeout(5000);
                RawWebSocket.Frame f = raw.readFrame();
                if (f.opcode() == 8) {
                    outcomes.add("closed " + f.closeCode());
                } else {
                    JsonNode m = Json.parse(f.text());
                    outcomes.add(m.path("type").asText() + " " + m.path("code").asText());
                }
            } catch (IOException e) {
                outcomes.add("no answer: " + e);
            }
        }
        return outcomes;
    }

    /**
     * True when the gateway's answer to the frame carries this very id: a frame it reads is parsed as
     * the gateway parses; one it refuses as a whole (over the size limit, too deep, not JSON) is
     * answered with the id the gateway scans for ({@link RequestIdScanner}).
     */
    private static boolean carriesId(String frame, int bytes, String id) {
        JsonNode found;
        if (bytes > MAX_FRAME_BYTES) {
            found = RequestIdScanner.idOf(frame);
        } else {
            try {
                JsonNode node = Json.parse(frame, MAX_JSON_DEPTH);
                found = node.isObject() ? node.get("id") : null;
            } catch (RuntimeException e) {
                found = RequestIdScanner.idOf(frame);
            }
        }
        return found != null && found.isTextual() && id.equals(found.asText());
    }

    private static void count(List<JsonNode> messages, WsOutcome out, Map<String, Integer> repliedIds, Map<String, List<String>> replies) {
        for (JsonNode m : messages) {
            String type = m.path("type").asText();
            if (!REPLY_TYPES.contains(type)) {
                continue;
            }
            out.replies++;
            out.codes.merge("error".equals(type) ? "error " + m.path("code").asText() : type, 1, Integer::sum);
            if (m.path("id").isTextual()) {
                repliedIds.merge(m.path("id").asText(), 1, Integer::sum);
                replies.computeIfAbsent(m.path("id").asText(), k -> new ArrayList<>()).add(abbreviate(m.toString()));
            }
            if ("error".equals(type) && m.path("message").asText().startsWith("internal error") && out.internalErrors.size() < 20) {
                out.internalErrors.add(m.toString());
            }
        }
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() <= 160 ? s : s.substring(0, 157) + "...";
    }
}
