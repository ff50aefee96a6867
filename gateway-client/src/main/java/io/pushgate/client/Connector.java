package io.pushgate.client;

import io.pushgate.protocol.ErrorCode;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Keeps one client connected: the first connection (each endpoint in turn), reconnection after a
 * drop (back-off with jitter, to the next endpoint round-robin), the connection's state and its
 * listeners, and the client's end. It knows nothing of what travels on the connection: it tells a
 * {@link Listener}.
 */
final class Connector {

    /** What the rest of the client hears from the connector. */
    interface Listener {
        /** A message from the gateway, on the socket's reading thread. */
        void received(Connection connection, String text);

        /** On the event thread: a connection is open and reading; {@code CONNECTED} was told. */
        void opened();

        /** On the event thread: the current connection ended ({@code why}); a new one may follow. */
        void dropped(Connection connection, String why);

        /** On the event thread: the client has ended ({@code why}); nothing follows. */
        void ended(String why);
    }

    private static final System.Logger LOG = System.getLogger(PushgateClient.class.getName());

    private final Endpoints endpoints;
    private final Credentials credentials;
    /** Null with {@code noReconnect()}. */
    private final Backoff backoff;
    private final Duration connectTimeout;
    private final HttpClient http;
    private final Counters counters;
    private final ClientThreads threads;
    private final Listener listener;
    private final StateListeners states = new StateListeners();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final Connection.Handler handler = new Connection.Handler() {
        @Override
        public void onMessage(Connection connection, String text) {
            listener.received(connection, text);
        }

        @Override
        public void onClosed(Connection connection, int code, String reason) {
            threads.post(() -> connectionEnded(connection, code, reason));
        }
    };

    /** The open connection; written on the event thread only, null while there is none. */
    private volatile Connection connection;

    Connector(PushgateClientBuilder builder, ClientThreads threads, Counters counters, Listener listener) {
        this.endpoints = new Endpoints(builder);
        this.credentials = new Credentials(builder.tokens, builder.tokenRefreshable);
        this.backoff = builder.reconnect ? new Backoff(builder.initialBackoff, builder.maxBackoff,
                () -> ThreadLocalRandom.current().nextDouble()) : null;
        this.connectTimeout = builder.connectTimeout;
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
        this.counters = counters;
        this.threads = threads;
        this.listener = listener;
    }

    /** The open connection, null while there is none. */
    Connection connection() {
        return connection;
    }

    boolean isClosing() {
        return closing.get();
    }

    List<URI> endpoints() {
        return endpoints.all();
    }

    /** The endpoint of the current connection, or of the last one. */
    URI uri() {
        return endpoints.current();
    }

    ConnectionState state() {
        return states.state();
    }

    void onConnectionState(Consumer<ConnectionState> stateListener) {
        states.add(stateListener);
    }

    /**
     * Opens the first connection, trying each endpoint in turn; on failure the client's threads
     * end and this throws.
     */
    void connectFirst() {
        int n = endpoints.size();
        int start = endpoints.firstIndex();
        List<PushgateException> failures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int index = (start + i) % n;
            URI uri = endpoints.get(index);
            CompletableFuture<Connection> opening = open(index);
            Connection first;
            try {
                first = opening.get(connectTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                PushgateException failure = Endpoint.connectFailure(uri, e.getCause());
                if (Endpoint.refusedEverywhere(e.getCause())) {
                    threads.shutdown();
                    throw failure;
                }
                failures.add(failure);
                continue;
            } catch (TimeoutException e) {
                opening.thenAccept(late -> late.abort("connect timed out"));
                failures.add(new PushgateException(ErrorCode.UNAVAILABLE, "cannot connect to " + uri + ": no answer within " + connectTimeout, e));
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                opening.thenAccept(late -> late.abort("interrupted"));
                threads.shutdown();
                throw new PushgateException(ErrorCode.UNAVAILABLE, "interrupted while connecting to " + uri, e);
            }
            CompletableFuture<Void> ready = new CompletableFuture<>();
            threads.post(() -> {
                becomeConnected(first, index);
                ready.complete(null);
            });
            ready.join();
            return;
        }
        threads.shutdown();
        if (failures.size() == 1) {
            throw failures.get(0);
        }
        ErrorCode code = failures.stream().map(PushgateException::code).distinct().count() == 1
                ? failures.get(0).code() : ErrorCode.UNAVAILABLE;
        StringBuilder why = new StringBuilder("cannot connect to any of " + endpoints.all() + ":");
        failures.forEach(f -> why.append(' ').append(f.getMessage()).append(';'));
        throw new PushgateException(code, why.substring(0, why.length() - 1), failures.get(failures.size() - 1));
    }

    private CompletableFuture<Connection> open(int index) {
        String token;
        try {
            token = credentials.token();
        } catch (PushgateException e) {
            return CompletableFuture.failedFuture(e);
        }
        return Connection.open(http, endpoints.get(index), token, connectTimeout, handler, counters);
    }

    /** On the event thread: a connection to {@code endpoints[index]} is open. */
    private void becomeConnected(Connection c, int index) {
        if (closing.get()) {
            c.abort("client closed");
            return;
        }
        endpoints.connectedTo(index);
        if (c.isEnded()) { // dropped as soon as it opened
            if (backoff == null) {
                closing.set(true);
                terminate("the connection to " + c.uri() + " ended as soon as it opened");
            } else {
                states.set(ConnectionState.RECONNECTING);
                scheduleReconnect(0);
            }
            return;
        }
        connection = c;
        c.start();
        states.set(ConnectionState.CONNECTED);
        listener.opened();
    }

    /** On the event thread: a connection ended. */
    private void connectionEnded(Connection c, int code, String reason) {
        if (c != connection) {
            return;
        }
        connection = null;
        listener.dropped(c, "the connection to " + c.uri() + " ended (" + code + (reason.isEmpty() ? "" : " " + reason) + ")");
        if (closing.get()) {
            return;
        }
        if (backoff == null || !credentials.reconnectsAfter(code)) {
            LOG.log(Level.WARNING, "the gateway closed the connection ({0} {1}): not reconnecting", String.valueOf(code), reason);
            closing.set(true);
            terminate("the gateway closed the connection (" + code + " " + reason + ")");
            return;
        }
        LOG.log(Level.INFO, "connection to {0} ended ({1} {2}): reconnecting", c.uri(), String.valueOf(code), reason);
        states.set(ConnectionState.RECONNECTING);
        endpoints.dropped();
        scheduleReconnect(0);
    }

    /** On the event thread: schedules a reconnection attempt, to the next endpoint in turn. */
    private void scheduleReconnect(int attempt) {
        Duration delay = backoff.delay(attempt);
        int index = endpoints.takeNext();
        try {
            threads.timer.schedule(() -> reconnect(attempt, index), delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    private void reconnect(int attempt, int index) {
        if (closing.get()) {
            return;
        }
        open(index).whenComplete((c, error) -> {
            if (!threads.post(() -> {
                if (closing.get()) {
                    if (c != null) {
                        c.abort("client closed");
                    }
                } else if (error != null) {
                    LOG.log(Level.DEBUG, "reconnection attempt {0} failed: {1}", attempt + 1,
                            Endpoint.connectFailure(endpoints.get(index), error).getMessage());
                    scheduleReconnect(attempt + 1);
                } else {
                    counters.reconnections.incrementAndGet();
                    if (!endpoints.isCurrent(index)) {
                        counters.failovers.incrementAndGet();
                    }
                    becomeConnected(c, index);
                }
            }) && c != null) {
                c.abort("client closed");
            }
        });
    }

    /** Closes the client for good (any thread; idempotent). */
    void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        Connection c = connection;
        if (c != null) {
            c.close(1000, "client closed");
        }
        if (!threads.post(() -> terminate("the client is closed"))) {
            threads.shutdown();
        }
    }

    /** On the event thread: the end. */
    private void terminate(String why) {
        Connection c = connection;
        connection = null;
        if (c != null) {
            c.close(1000, "client closed");
        }
        listener.ended(why);
        states.set(ConnectionState.CLOSED);
        threads.shutdown();
    }
}
