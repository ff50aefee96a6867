package io.pushgate.feeder.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A price API on 127.0.0.1 (a free port) for tests: Coinbase's spot endpoints and a CoinDesk
 * {@code currentprice.json}, answering the recorded payloads in {@code src/test/resources}
 * with amounts a test can change, or failing on demand with 500, or hanging. It logs every
 * request it sees, so a test can count what the feeder sent.
 */
public final class FakePriceApi implements AutoCloseable {

    /** How it answers. */
    public enum Mode { OK, FAIL, HANG }

    /** One request as it arrived. */
    public record Request(String path, long nanos) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "fake-price-api");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, String> amounts = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile Mode mode = Mode.OK;
    private volatile CountDownLatch hang = new CountDownLatch(1);

    private FakePriceApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public static FakePriceApi start() {
        try {
            return new FakePriceApi();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://127.0.0.1:PORT}: Coinbase's base URL. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The CoinDesk-format URL. */
    public String coindeskUrl() {
        return baseUrl() + "/v1/bpi/currentprice.json";
    }

    public void mode(Mode next) {
        Mode previous = mode;
        mode = next;
        if (previous == Mode.HANG && next != Mode.HANG) {
            hang.countDown();
            hang = new CountDownLatch(1);
        }
    }

    /** Sets the Coinbase spot amount of one currency, e.g. {@code price("USD", "43123.45")}. */
    public void price(String currency, String amount) {
        amounts.put(currency, amount);
    }

    /** New random prices in all three currencies (so the feeder sees a new document); answers the USD amount. */
    public String randomPrices() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        double usd = 40_000 + random.nextInt(0, 10_000_000) / 100.0;
        String usdAmount = String.format(Locale.ROOT, "%.2f", usd);
        price("USD", usdAmount);
        price("GBP", String.format(Locale.ROOT, "%.2f", usd * 0.79));
        price("EUR", String.format(Locale.ROOT, "%.2f", usd * 0.92));
        return usdAmount;
    }

    /** Requests whose path contains {@code fragment}, in arrival order. */
    public List<Request> requests(String fragment) {
        return requests.stream().filter(r -> r.path().contains(fragment)).toList();
    }

    public void clearRequests() {
        requests.clear();
    }

    @Override
    public void close() {
        hang.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        requests.add(new Request(path, System.nanoTime()));
        try {
            switch (mode) {
                case FAIL -> send(exchange, 500, "{\"errors\":[{\"id\":\"internal_server_error\"}]}");
                case HANG -> {
                    // Holds the request until the mode changes or the server closes; the client's timeout fires first.
                    awaitRelease();
                    send(exchange, 503, "{}");
                }
                case OK -> answer(exchange, path);
            }
        } catch (IOException e) {
            // The client gave up (timeout) and closed the connection: nothing to answer.
        } finally {
            exchange.close();
        }
    }

    private void awaitRelease() {
        try {
            hang.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void answer(HttpExchange exchange, String path) throws IOException {
        if (path.equals("/v1/bpi/currentprice.json")) {
            send(exchange, 200, resource("coindesk/currentprice.json"));
            return;
        }
        if (path.startsWith("/v2/prices/BTC-") && path.endsWith("/spot")) {
            String currency = path.substring("/v2/prices/BTC-".length(), path.length() - "/spot".length());
            String recorded = resource("coinbase/spot-" + currency + ".json");
            if (recorded == null) {
                send(exchange, 404, "{\"errors\":[{\"id\":\"not_found\"}]}");
                return;
            }
            ObjectNode body = (ObjectNode) MAPPER.readTree(recorded);
            String amount = amounts.get(currency);
            if (amount != null) {
                ((ObjectNode) body.get("data")).put("amount", amount);
            }
            send(exchange, 200, body.toString());
            return;
        }
        send(exchange, 404, "{\"errors\":[{\"id\":\"not_found\"}]}");
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = FakePriceApi.class.getClassLoader().getResourceAsStream(name)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
