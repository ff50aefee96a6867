package io.pushgate.reliability.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * CoinDesk's BPI {@code GET /v1/bpi/currentprice.json} on 127.0.0.1 (after e2e-tests'
 * RecordedCoindeskApi), serving generated documents: each request gets the next one, with a USD
 * price no other document has, up to a limit the test raises; past it, the last one again (which
 * the data-feeder does not publish twice). It remembers what it served.
 */
public final class PriceApi implements AutoCloseable {

    public static final String PATH = "/v1/bpi/currentprice.json";
    private static final Instant ORIGIN = Instant.parse("2026-11-22T19:30:00Z");
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final HttpServer server;
    private final List<BigDecimal> served = new ArrayList<>();
    private int limit;

    public PriceApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(PATH, exchange -> {
            byte[] body = next().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    /** The USD price of document {@code i}: distinct for every i. */
    public static BigDecimal usd(int i) {
        return new BigDecimal("43000.0000").add(new BigDecimal("7.3125").multiply(BigDecimal.valueOf(i)))
                .subtract(new BigDecimal(i % 7 * 50));
    }

    private synchronized String next() {
        if (served.size() < limit) {
            served.add(usd(served.size()));
        }
        int i = Math.max(0, served.size() - 1);
        return document(i);
    }

    private static String document(int i) {
        BigDecimal usd = usd(i);
        BigDecimal gbp = usd.multiply(new BigDecimal("0.7904")).setScale(4, java.math.RoundingMode.HALF_EVEN);
        BigDecimal eur = usd.multiply(new BigDecimal("0.9185")).setScale(4, java.math.RoundingMode.HALF_EVEN);
        String iso = ISO.format(ORIGIN.plusSeconds(10L * i));
        return "{\"time\":{\"updatedISO\":\"" + iso + "\"},\"disclaimer\":\"generated test data, not market data\",\"chartName\":\"Bitcoin\","
                + "\"bpi\":{" + currency("USD", usd) + "," + currency("GBP", gbp) + "," + currency("EUR", eur) + "}}";
    }

    private static String currency(String code, BigDecimal rate) {
        return "\"" + code + "\":{\"code\":\"" + code + "\",\"rate_float\":" + rate.toPlainString() + "}";
    }

    /** Lets the API serve documents up to (not including) this index. */
    public synchronized void serveUpTo(int count) {
        limit = count;
    }

    public synchronized int served() {
        return served.size();
    }

    public synchronized List<BigDecimal> servedUsd() {
        return List.copyOf(served);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
