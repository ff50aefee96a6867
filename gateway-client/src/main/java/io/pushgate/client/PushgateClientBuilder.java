package io.pushgate.client;

import io.pushgate.protocol.delta.DeltaFormat;
import io.pushgate.support.backoff.Backoff;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Options of a {@link PushgateClient}, from {@link PushgateClient#builder(URI)} (one gateway) or
 * {@link PushgateClient#builder(List)} (several replicas); {@link #connect()} builds the client.
 * Not thread-safe.
 */
public final class PushgateClientBuilder {

    final List<URI> uris;
    boolean randomStart;
    Supplier<String> tokens;
    boolean tokenRefreshable;
    DeltaFormat deltaFormat = DeltaFormat.JSON_PATCH;
    boolean reconnect = true;
    Duration initialBackoff = Duration.ofMillis(250);
    Duration maxBackoff = Duration.ofSeconds(30);
    Duration requestTimeout = Duration.ofSeconds(10);
    Duration connectTimeout = Duration.ofSeconds(10);
    Duration pingInterval = Duration.ofSeconds(25);
    java.util.Map<String, String> sessionProperties = java.util.Map.of();

    PushgateClientBuilder(List<URI> uris) {
        Objects.requireNonNull(uris, "uris");
        if (uris.isEmpty()) {
            throw new IllegalArgumentException("no gateway URI");
        }
        for (URI uri : uris) {
            Endpoint.of(Objects.requireNonNull(uri, "uri"), null); // fails now on a URI that is not ws(s) or http(s)
        }
        this.uris = List.copyOf(uris);
    }

    /**
     * With several endpoints: the first connection starts at a random one instead of the first,
     * then goes round the list as usual, so that many clients given the same list spread over the
     * replicas. Without this, clients prefer the endpoints in the order given.
     */
    public PushgateClientBuilder randomStart() {
        this.randomStart = true;
        return this;
    }

    /** A fixed token (a JWT), sent as {@code Authorization: Bearer <token>} on every connect. */
    public PushgateClientBuilder token(String token) {
        Objects.requireNonNull(token, "token");
        this.tokens = () -> token;
        this.tokenRefreshable = false;
        return this;
    }

    /**
     * A source of tokens, asked on every connect and reconnect (so it can hand out a fresh one).
     * With a supplier, a close with {@code 4100} (credentials expired) reconnects with a new token.
     */
    public PushgateClientBuilder tokenSupplier(Supplier<String> tokens) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.tokenRefreshable = true;
        return this;
    }

    /**
     * How the gateway sends changes on this connection ({@code ?delta=}): {@code JSON_PATCH}
     * (the default), {@code FOSSIL}, or {@code NONE}. Listeners get whole values in every case.
     */
    public PushgateClientBuilder deltaFormat(DeltaFormat format) {
        this.deltaFormat = Objects.requireNonNull(format, "format");
        return this;
    }

    /**
     * Reconnects after a drop, waiting {@code initialBackoff} at first and doubling up to
     * {@code maxBackoff} (each wait a random time between half and all of that, so that clients
     * cut off together do not return together). Default: 250 ms to 30 s. With several endpoints
     * each attempt goes to the next one in the list, starting with the one after the endpoint
     * whose connection dropped.
     */
    public PushgateClientBuilder reconnect(Duration initialBackoff, Duration maxBackoff) {
        Backoff.withEqualJitter(initialBackoff, maxBackoff, () -> 0); // validates
        this.reconnect = true;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        return this;
    }

    /** Never reconnects: the client is {@link ConnectionState#CLOSED} when the connection ends. */
    public PushgateClientBuilder noReconnect() {
        this.reconnect = false;
        return this;
    }

    /** How long a request waits for its reply before failing with {@code UNAVAILABLE}. Default 10 s. */
    public PushgateClientBuilder requestTimeout(Duration timeout) {
        this.requestTimeout = positive(timeout, "requestTimeout");
        return this;
    }

    /** How long opening a connection may take. Default 10 s. */
    public PushgateClientBuilder connectTimeout(Duration timeout) {
        this.connectTimeout = positive(timeout, "connectTimeout");
        return this;
    }

    /**
     * How often the client pings the gateway: keeps idle connections open, and a connection
     * whose pong does not come within the request timeout is dropped and renewed. Default 25 s;
     * {@link Duration#ZERO} for none.
     */
    public PushgateClientBuilder pingInterval(Duration interval) {
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative()) {
            throw new IllegalArgumentException("pingInterval must not be negative");
        }
        this.pingInterval = interval;
        return this;
    }

    /**
     * User session properties the client gives the gateway when it connects (every connection,
     * reconnections included), as {@code ?properties=<JSON>}: names of letters, digits,
     * {@code _ . -}; string values. Controllers see them in session listings and select sessions by
     * them with session filters ({@code country eq 'UK'}). The gateway bounds their count and size
     * (a connection over the bounds is refused with {@code TOO_LARGE}).
     */
    public PushgateClientBuilder sessionProperties(java.util.Map<String, String> properties) {
        this.sessionProperties = java.util.Map.copyOf(Objects.requireNonNull(properties, "properties"));
        return this;
    }

    /**
     * Connects, and returns the connected client.
     *
     * <p>With several endpoints it tries each in turn (from the first, or a random one with
     * {@link #randomStart()}) until one accepts; a handshake refused with 400, 401 or 403 ends the
     * attempt at once, since every replica would refuse it alike.
     *
     * @throws PushgateException if it cannot connect: {@code UNAVAILABLE} (nothing listens, no
     *     answer in time, at any endpoint), or the code of the HTTP status the gateway refused the
     *     handshake with ({@code UNAUTHENTICATED} for 401, {@code INVALID} for 400, ...)
     */
    public PushgateClient connect() {
        PushgateClient client = new PushgateClient(this);
        client.connectFirst();
        return client;
    }

    private static Duration positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return d;
    }
}
