package io.pushgate.bench.scenarios;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushgate.bench.RunContext;
import io.pushgate.bench.load.Clients;
import io.pushgate.bench.peers.RedisPeer;
import io.pushgate.bench.peers.RespParser;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.delta.FossilDelta;
import io.pushgate.protocol.delta.JsonPatchDelta;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenario 4, bandwidth: the recorded CoinDesk-shaped feed (the data-feeder's replay file) set
 * on a JSON topic of the gateway and published on a Redis channel at the same time. Bytes per
 * update received by: a raw Redis pub/sub client of the channel (the baseline), a gateway
 * subscriber in each delta format, and a subscriber to a view of the USD price; at the
 * application level (WebSocket message payloads, RESP payloads) and on the wire (what the
 * client's socket read, through a counting relay), with and without permessage-deflate.
 * Every gateway subscriber rebuilds each document from its values and deltas, and the
 * harness checks it against what was published.
 */
public final class Bandwidth {

    static final String SOURCE = "bench-prices/btc";
    static final String VIEW_TOPIC = "bench-views/btc/usd";
    static final String VIEW_NAME = "usd";
    static final String VIEW_DSL = "map ?bench-prices/ to bench-views/<path(1)>/usd as <value(/bpi/USD/rate_float)>";
    static final String CHANNEL = "prices.btc";

    private Bandwidth() {
    }

    public static JsonObject run(RunContext ctx) {
        JsonObject out = new JsonObject();
        try {
            return measure(ctx, out);
        } catch (Exception e) {
            ctx.log("bandwidth FAILED: %s", e);
            return out.put("error", e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    private static JsonObject measure(RunContext ctx, JsonObject out) throws Exception {
        int gatewayPort = ctx.options().port("gateway");
        int redisPort = ctx.options().port("redis");
        if (gatewayPort < 0 || redisPort < 0) {
            throw new IllegalStateException("the bandwidth scenario needs the gateway and the baseline Redis");
        }
        List<String> all = Files.readAllLines(ctx.options().replayFile()).stream().filter(l -> !l.isBlank()).toList();
        List<String> docs = ctx.quick() ? all.subList(0, Math.min(60, all.size())) : all;
        double rate = ctx.quick() ? 60 : 40;
        out.put("source", ctx.options().replayFile().toString()).put("documents", docs.size())
                .put("documentBytesMean", Math.round(docs.stream().mapToInt(d -> d.getBytes(StandardCharsets.UTF_8).length).average().orElse(0)))
                .put("publishRate", rate)
                .put("view", VIEW_DSL);
        ctx.log("bandwidth: %d documents at %.0f/s to gateway topic %s and Redis channel %s", docs.size(), rate, SOURCE, CHANNEL);

        String viewError = defineView(gatewayPort);
        if (viewError != null) {
            out.put("viewError", viewError);
        }
        Clients clients = ctx.clients();
        WebSocket control = get(clients.webSocket(0, gatewayPort, "/v1/ws?delta=none", false));
        Subscription.Control replies = new Subscription.Control(control);
        control.writeTextMessage("{\"op\":\"add\",\"id\":1,\"topic\":\"" + SOURCE + "\",\"spec\":\"JSON\"}");
        replies.await(1, 20_000);

        Map<String, Subscription> subs = new LinkedHashMap<>();
        List<CountingProxy> proxies = new ArrayList<>();
        try {
            for (String format : List.of("none", "json-patch", "fossil")) {
                for (boolean deflate : List.of(false, true)) {
                    subs.put(format + (deflate ? "+deflate" : ""), Subscription.open(ctx, proxies, gatewayPort, format, deflate, SOURCE, true));
                }
            }
            if (viewError == null) {
                for (boolean deflate : List.of(false, true)) {
                    subs.put("view-usd" + (deflate ? "+deflate" : ""), Subscription.open(ctx, proxies, gatewayPort, "none", deflate, VIEW_TOPIC, false));
                }
            }
            RawRedis redis = RawRedis.open(clients, redisPort);
            NetSocket redisPublisher = get(clients.tcp(0, redisPort));
            redisPublisher.handler(b -> { });
            subs.values().forEach(Subscription::mark);
            redis.mark();

            long interval = (long) (1e9 / rate);
            long next = System.nanoTime();
            byte[] channel = CHANNEL.getBytes(StandardCharsets.US_ASCII);
            byte[] publish = "PUBLISH".getBytes(StandardCharsets.US_ASCII);
            for (String doc : docs) {
                control.writeTextMessage("{\"op\":\"set\",\"topic\":\"" + SOURCE + "\",\"value\":" + doc + "}");
                redisPublisher.write(RedisPeer.command(publish, channel, doc.getBytes(StandardCharsets.UTF_8)));
                next += interval;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
            replies.await(1 + docs.size(), 30_000);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < end && !(redis.messages.get() >= docs.size()
                    && subs.values().stream().filter(s -> s.source).allMatch(s -> s.updates.get() >= docs.size()))) {
                TimeUnit.MILLISECONDS.sleep(50);
            }
            // the view's derived topic is written after its source: let it settle
            TimeUnit.MILLISECONDS.sleep(1500);
            if (replies.errors.get() > 0) {
                out.put("publishErrors", replies.errors.get()).put("lastPublishError", replies.lastError);
            }

            JsonObject redisJson = new JsonObject()
                    .put("label", "raw Redis pub/sub client of channel " + CHANNEL + " (RESP over TCP)")
                    .put("messages", redis.messages.get())
                    .put("appBytesPerUpdate", per(redis.payloadBytes.get(), docs.size()))
                    .put("wireBytesPerUpdate", per(redis.wireBytes.get() - redis.wireMark, docs.size()));
            out.put("redis", redisJson);
            double redisApp = redisJson.getDouble("appBytesPerUpdate");
            JsonObject gateway = new JsonObject();
            for (String name : List.of("none", "json-patch", "fossil", "view-usd")) {
                Subscription plain = subs.get(name);
                Subscription deflated = subs.get(name + "+deflate");
                if (plain == null) {
                    continue;
                }
                JsonObject j = plain.result(docs, docs.size())
                        .put("wireBytesPerUpdateDeflate", deflated == null ? null : per(deflated.wireBytes(), docs.size()))
                        .put("deflateNegotiated", deflated != null && deflated.deflateNegotiated)
                        .put("appBytesVsRedis", ratio(per(plain.appBytes.get(), docs.size()), redisApp));
                if (deflated != null) {
                    j.put("wireBytesDeflateVsRedisWire", ratio(per(deflated.wireBytes(), docs.size()), redisJson.getDouble("wireBytesPerUpdate")));
                }
                gateway.put(name, j);
                ctx.log("bandwidth %-10s %7.1f B/update app (%.1f%% of raw Redis), wire %7.1f B plain, %7.1f B deflate; %s",
                        name, j.getDouble("appBytesPerUpdate"), 100 * j.getDouble("appBytesVsRedis"),
                        j.getDouble("wireBytesPerUpdate"), j.getDouble("wireBytesPerUpdateDeflate"), j.getString("verified"));
            }
            out.put("gateway", gateway);
            ctx.log("bandwidth raw Redis %7.1f B/update payload, %7.1f B/update RESP on the wire", redisApp,
                    redisJson.getDouble("wireBytesPerUpdate"));
            redis.socket.close();
            redisPublisher.close();
        } finally {
            subs.values().forEach(s -> s.ws.close());
            control.close();
            TimeUnit.MILLISECONDS.sleep(500);
            proxies.forEach(CountingProxy::close);
        }
        return out;
    }

    private static String defineView(int port) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/v1/views/" + VIEW_NAME))
                    .timeout(Duration.ofSeconds(20))
                    .header("Content-Type", "text/plain")
                    .PUT(HttpRequest.BodyPublishers.ofString(VIEW_DSL)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() / 100 == 2 ? null : "PUT /v1/views/" + VIEW_NAME + " answered " + r.statusCode() + ": " + r.body();
        } catch (Exception e) {
            return "PUT /v1/views/" + VIEW_NAME + " failed: " + e;
        }
    }

    static double per(long bytes, int updates) {
        return updates == 0 ? 0 : Math.round(bytes * 10.0 / updates) / 10.0;
    }

    static double ratio(double a, double b) {
        return b == 0 ? 0 : Math.round(a / b * 10_000) / 10_000.0;
    }

    static <T> T get(io.vertx.core.Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** The raw Redis subscriber: counts RESP payload bytes and everything its socket read. */
    private static final class RawRedis {
        final AtomicLong messages = new AtomicLong();
        final AtomicLong payloadBytes = new AtomicLong();
        final AtomicLong wireBytes = new AtomicLong();
        volatile long wireMark;
        NetSocket socket;

        static RawRedis open(Clients clients, int port) throws Exception {
            RawRedis r = new RawRedis();
            io.vertx.core.Promise<Void> subscribed = io.vertx.core.Promise.promise();
            r.socket = get(clients.tcp(0, port));
            RespParser parser = new RespParser(new RedisPeer.RespHandler() {
                @Override
                public void message(Buffer buf, int cf, int ct, int pf, int pt, int wire) {
                    r.messages.incrementAndGet();
                    r.payloadBytes.addAndGet(pt - pf);
                }

                @Override
                public void subscribed(long count) {
                    subscribed.tryComplete();
                }
            });
            r.socket.handler(buf -> {
                r.wireBytes.addAndGet(buf.length());
                parser.feed(buf);
            });
            r.socket.write(RedisPeer.command("SUBSCRIBE".getBytes(StandardCharsets.US_ASCII), CHANNEL.getBytes(StandardCharsets.US_ASCII)));
            get(subscribed.future());
            return r;
        }

        void mark() {
            wireMark = wireBytes.get();
        }
    }

    /** A gateway subscriber of one delta format, through its own counting relay. */
    private static final class Subscription {
        final WebSocket ws;
        final CountingProxy proxy;
        final boolean source;
        final String format;
        final boolean deflateNegotiated;
        final AtomicLong updates = new AtomicLong();
        final AtomicLong appBytes = new AtomicLong();
        final AtomicLong values = new AtomicLong();
        final AtomicLong deltas = new AtomicLong();
        final List<JsonNode> rebuilt = new ArrayList<>();
        volatile String problem;
        private JsonNode current;
        private String currentText;
        private long wireMark;
        private final io.vertx.core.Promise<Void> ready = io.vertx.core.Promise.promise();

        private Subscription(WebSocket ws, CountingProxy proxy, String format, boolean source, boolean deflateNegotiated) {
            this.ws = ws;
            this.proxy = proxy;
            this.format = format;
            this.source = source;
            this.deflateNegotiated = deflateNegotiated;
            ws.handler(this::onMessage);
        }

        static Subscription open(RunContext ctx, List<CountingProxy> proxies, int gatewayPort, String format, boolean deflate,
                                 String topic, boolean source) throws Exception {
            CountingProxy proxy = get(CountingProxy.start(ctx.vertx(), gatewayPort));
            proxies.add(proxy);
            // the handshake's headers are readable only in the connect callback
            Subscription s = get(ctx.clients().webSocket(0, proxy.port(), "/v1/ws?delta=" + format, deflate).map(ws -> {
                String ext = ws.headers() == null ? null : ws.headers().get("sec-websocket-extensions");
                return new Subscription(ws, proxy, format, source, ext != null && ext.contains("permessage-deflate"));
            }));
            WebSocket ws = s.ws;
            ws.writeTextMessage("{\"op\":\"subscribe\",\"id\":1,\"selector\":\">" + topic + "\"}");
            get(s.ready.future());
            return s;
        }

        void mark() {
            wireMark = proxy.bytesToClient();
        }

        long wireBytes() {
            return proxy.bytesToClient() - wireMark;
        }

        private void onMessage(Buffer buf) {
            JsonNode m = Json.parse(buf.toString(StandardCharsets.UTF_8));
            String type = m.path("type").asText();
            switch (type) {
                case "ok" -> {
                    if (!source) {
                        ready.tryComplete();
                    }
                }
                case "subscription" -> {
                    if (source) {
                        ready.tryComplete();
                    }
                }
                case "value", "delta" -> {
                    updates.incrementAndGet();
                    appBytes.addAndGet(buf.length());
                    try {
                        apply(type, m);
                    } catch (RuntimeException e) {
                        problem = "cannot apply " + type + " " + updates.get() + ": " + e.getMessage();
                    }
                }
                case "error" -> problem = m.toString();
                default -> { }
            }
        }

        private void apply(String type, JsonNode m) {
            if (type.equals("value")) {
                values.incrementAndGet();
                if (m.has("text")) {
                    currentText = m.get("text").asText();
                    current = Json.parse(currentText);
                } else {
                    current = m.get("value");
                    currentText = null;
                }
            } else {
                deltas.incrementAndGet();
                if (m.has("patch")) {
                    current = JsonPatchDelta.apply(m.get("patch"), current);
                } else {
                    currentText = FossilDelta.applyText(currentText, m.get("delta").asText());
                    current = Json.parse(currentText);
                }
            }
            synchronized (rebuilt) {
                rebuilt.add(current);
            }
        }

        /** Results per update of the source (for the view, per source update too), and the check of every rebuilt document. */
        JsonObject result(List<String> docs, int sourceUpdates) {
            JsonObject j = new JsonObject()
                    .put("deltaFormat", format)
                    .put("messages", updates.get())
                    .put("values", values.get())
                    .put("deltas", deltas.get())
                    .put("appBytesPerUpdate", per(appBytes.get(), sourceUpdates))
                    .put("wireBytesPerUpdate", per(wireBytes(), sourceUpdates));
            if (source) {
                int ok = 0;
                synchronized (rebuilt) {
                    for (int i = 0; i < Math.min(rebuilt.size(), docs.size()); i++) {
                        if (Json.parse(docs.get(i)).equals(rebuilt.get(i))) {
                            ok++;
                        } else if (problem == null) {
                            problem = "document " + (i + 1) + " differs";
                        }
                    }
                }
                j.put("verified", ok + "/" + docs.size() + " documents rebuilt exactly");
            } else {
                int ok = 0;
                synchronized (rebuilt) {
                    List<Double> expected = new ArrayList<>();
                    for (String d : docs) {
                        double usd = Json.parse(d).at("/bpi/USD/rate_float").asDouble();
                        if (expected.isEmpty() || expected.get(expected.size() - 1) != usd) {
                            expected.add(usd);
                        }
                    }
                    for (int i = 0; i < Math.min(rebuilt.size(), expected.size()); i++) {
                        if (rebuilt.get(i).asDouble() == expected.get(i)) {
                            ok++;
                        } else if (problem == null) {
                            problem = "price " + (i + 1) + " is " + rebuilt.get(i) + ", not " + expected.get(i);
                        }
                    }
                    if (rebuilt.size() != expected.size() && problem == null) {
                        problem = rebuilt.size() + " prices for " + expected.size() + " changes";
                    }
                    j.put("verified", ok + "/" + expected.size() + " USD prices received in order");
                }
            }
            if (problem != null) {
                j.put("problem", problem);
            }
            return j;
        }

        /** The control connection: counts the replies to add and set. */
        static final class Control {
            final AtomicLong replies = new AtomicLong();
            final AtomicLong errors = new AtomicLong();
            volatile String lastError;

            Control(WebSocket ws) {
                ws.handler(buf -> {
                    String text = buf.toString(StandardCharsets.UTF_8);
                    if (text.startsWith("{\"type\":\"ok\"")) {
                        replies.incrementAndGet();
                    } else if (text.startsWith("{\"type\":\"error\"")) {
                        replies.incrementAndGet();
                        errors.incrementAndGet();
                        lastError = text;
                    }
                });
            }

            void await(long count, long millis) throws InterruptedException {
                long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
                while (replies.get() < count && System.nanoTime() < end) {
                    TimeUnit.MILLISECONDS.sleep(20);
                }
                if (replies.get() < count) {
                    throw new IllegalStateException("the gateway answered " + replies.get() + " of " + count + " requests");
                }
            }
        }
    }
}
