package io.pushgate.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.pushgate.protocol.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * CoinDesk's BPI {@code GET /v1/bpi/currentprice.json}, on 127.0.0.1, serving recorded documents in
 * order: each request gets the next one, up to a limit the test raises phase by phase; past it, the
 * last one again (whose prices are unchanged, so the data-feeder publishes nothing for it). It
 * remembers which documents it served, so a test can compare what came out of the pipeline with
 * what went in.
 */
public final class RecordedCoindeskApi implements AutoCloseable {

    public static final String PATH = "/v1/bpi/currentprice.json";

    private final List<String> documents;
    private final HttpServer server;
    private int next;
    private int limit;

    public RecordedCoindeskApi(String resource) throws IOException {
        try (InputStream in = RecordedCoindeskApi.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no test resource " + resource);
            }
            documents = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(PATH, exchange -> {
            byte[] body = nextDocument().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    private synchronized String nextDocument() {
        if (next < limit) {
            return documents.get(next++);
        }
        return documents.get(Math.max(0, next - 1));
    }

    /** Lets the API serve documents up to (not including) this index. */
    public synchronized void serveUpTo(int count) {
        this.limit = Math.min(count, documents.size());
    }

    /** How many distinct documents were served so far. */
    public synchronized int served() {
        return next;
    }

    public int size() {
        return documents.size();
    }

    /** The USD prices of the documents served so far, in order. */
    public synchronized List<BigDecimal> servedUsd() {
        List<BigDecimal> prices = new ArrayList<>();
        for (String doc : documents.subList(0, next)) {
            prices.add(usd(Json.parse(doc)));
        }
        return prices;
    }

    public static BigDecimal usd(JsonNode document) {
        return document.path("bpi").path("USD").path("rate_float").decimalValue();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
