package io.pushgate.feeder.sources;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * GETs a document with timeouts. The JDK's client is enough for three small GETs per period,
 * and its request timeout aborts the exchange itself, which a timeout around the call (that
 * only stops waiting for it) would not.
 */
public class HttpFetcher {

    private final HttpClient client;
    private final Duration timeout;

    public HttpFetcher(Duration connectTimeout, Duration timeout) {
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        this.timeout = timeout;
    }

    /**
     * The body of a 2xx answer. Completes exceptionally with {@link ApiStatusException} on any
     * other status, and with {@link java.net.http.HttpTimeoutException} when no answer came in time.
     */
    public CompletableFuture<String> getAsync(URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Accept", "application/json")
                .header("User-Agent", "pushgate-data-feeder")
                .GET()
                .build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
            if (response.statusCode() / 100 != 2) {
                throw new ApiStatusException(uri, response.statusCode());
            }
            return response.body();
        });
    }

    /** {@link #getAsync} for a caller that waits anyway. */
    public String get(URI uri) throws IOException, InterruptedException {
        return Futures.await(getAsync(uri));
    }
}
