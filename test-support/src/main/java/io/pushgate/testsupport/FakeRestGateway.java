package io.pushgate.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's REST API as far as a publishing service uses it ({@code PUT}/{@code POST
 * /v1/topics/<path>}), on 127.0.0.1 (a free port): records every request, answers 200 with
 * {@code {topic, seq}}, or an error status with the contract's {@code {code, message}} body
 * ({@code CONFLICT} for 409, {@code UNAVAILABLE} otherwise) for the next few requests on demand.
 * For a service's tests against the wire; a unit test of code behind a port uses a memory
 * implementation of that port instead.
 */
public final class FakeRestGateway implements AutoCloseable {

    /** One request as the gateway saw it. */
    public record Request(String method, String path, String query, String contentType, String authorization, byte[] body, int answered) {

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger failures = new AtomicInteger();
    private volatile int failureStatus = 503;
    private final AtomicInteger seq = new AtomicInteger();

    public FakeRestGateway() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newSingleThreadExecutor());
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The requests for one topic path ({@code /v1/topics/<path>}). */
    public List<Request> requestsFor(String topic) {
        return requests().stream().filter(r -> r.path().equals("/v1/topics/" + topic)).toList();
    }

    /** Answers the next {@code count} requests with 503. */
    public void failNext(int count) {
        answerNext(503, count);
    }

    /** Answers the next {@code count} requests with {@code status} and an error body. */
    public void answerNext(int status, int count) {
        failureStatus = status;
        failures.set(count);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        boolean fail = failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        int status = fail ? failureStatus : 200;
        String path = exchange.getRequestURI().getPath();
        requests.add(new Request(exchange.getRequestMethod(), path, exchange.getRequestURI().getQuery(),
                exchange.getRequestHeaders().getFirst("Content-Type"), exchange.getRequestHeaders().getFirst("Authorization"), body, status));
        byte[] answer = (fail
                ? "{\"code\":\"" + (status == 409 ? "CONFLICT" : "UNAVAILABLE") + "\",\"message\":\"refused by the fake gateway\"}"
                : "{\"topic\":\"" + path.substring("/v1/topics/".length()) + "\",\"seq\":" + seq.incrementAndGet() + "}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
        }
    }
}
