package io.pushgate.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.pushgate.protocol.CloseCodes;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.TopicType;
import io.pushgate.protocol.delta.DeltaFormat;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A client of the Pushgate gateway's WebSocket protocol ({@code /v1/ws}): subscriptions that hand
 * over whole values (the client applies the deltas), fetch, add, set, remove, and a connection
 * that comes back by itself.
 *
 * <pre>{@code
 * try (PushgateClient client = PushgateClient.builder(URI.create("ws://localhost:8080/v1/ws"))
 *         .token(jwt)
 *         .deltaFormat(DeltaFormat.FOSSIL)
 *         .connect()) {
 *     client.set("prices/btc", Map.of("usd", 43000.5), "JSON").join();
 *     Subscription prices = client.subscribe("?prices//",
 *             (topic, seq, value) -> System.out.println(topic + " " + value)).join();
 *     ...
 * }
 * }</pre>
 *
 * <h2>Requests</h2>
 * Each request carries an {@code id}; its future completes with the gateway's reply, or fails with
 * a {@link PushgateException}: the gateway's error code, or {@link ErrorCode#UNAVAILABLE} when the
 * client is not connected, the connection drops before the reply, or no reply comes within the
 * request timeout (a request in flight when the connection drops may or may not have been
 * applied). Futures complete on a pool of the client's, never on its event thread or the socket's
 * reading thread, so code may wait for a request anywhere, listener callbacks included.
 *
 * <h2>Reconnection</h2>
 * When the connection drops, or the gateway closes it with a code for which
 * {@link CloseCodes#shouldReconnect} is true, the client goes {@link ConnectionState#RECONNECTING}
 * and tries again with exponential backoff and jitter ({@link PushgateClientBuilder#reconnect}),
 * asking the token supplier for a token each time. On the new connection it subscribes every open
 * selector again, and listeners get the current values again (see {@link ValueListener#onValue}
 * for what that means for seqs). A close with {@code 4100} (credentials expired) reconnects only
 * when the token comes from a {@link PushgateClientBuilder#tokenSupplier supplier}; any other
 * code, and {@code 1000}, ends the client ({@link ConnectionState#CLOSED}).
 *
 * <h2>Threads</h2>
 * The client is thread-safe: every method may be called from any thread. All listener callbacks
 * ({@link ValueListener}, {@link #onConnectionState}) run on one event thread per client, one at a
 * time, in the order the gateway sent the messages. The client also has a timer thread
 * (timeouts, backoff, keep-alive pings) and a pool that completes futures. {@link #close()}
 * stops them all.
 */
public final class PushgateClient implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(PushgateClient.class.getName());
    private static final AtomicInteger CLIENTS = new AtomicInteger();

    private final URI uri;
    private final Supplier<String> tokens;
    private final boolean tokenRefreshable;
    private final Backoff backoff;
    private final Duration requestTimeout;
    private final Duration connectTimeout;
    private final HttpClient http;
    private final Counters counters = new Counters();
    private final ExecutorService events;
    private final ScheduledExecutorService timer;
    private final ExecutorService completions;
    private final TopicStreams streams;
    private final Requests requests;
    private final List<Consumer<ConnectionState>> stateListeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final Connection.Handler handler = new Connection.Handler() {
        @Override
        public void onMessage(Connection connection, String text) {
            received(connection, text);
        }

        @Override
        public void onClosed(Connection connection, int code, String reason) {
            post(() -> connectionEnded(connection, code, reason));
        }
    };

    /** The open connection; written on the event thread only, null while there is none. */
    private volatile Connection connection;
    private volatile ConnectionState state = ConnectionState.CONNECTED;

    PushgateClient(PushgateClientBuilder builder) {
        int n = CLIENTS.incrementAndGet();
        this.uri = Endpoint.of(builder.uri, builder.deltaFormat);
        this.tokens = builder.tokens;
        this.tokenRefreshable = builder.tokenRefreshable;
        this.backoff = builder.reconnect ? new Backoff(builder.initialBackoff, builder.maxBackoff,
                () -> ThreadLocalRandom.current().nextDouble()) : null;
        this.requestTimeout = builder.requestTimeout;
        this.connectTimeout = builder.connectTimeout;
        this.events = Executors.newSingleThreadExecutor(daemon("pushgate-client-" + n + "-events"));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("pushgate-client-" + n + "-timer"));
        this.completions = Executors.newCachedThreadPool(daemon("pushgate-client-" + n + "-completions"));
        this.requests = new Requests(uri, requestTimeout, timer);
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
        this.streams = new TopicStreams(new TopicStreams.Gateway() {
            @Override
            public CompletableFuture<JsonNode> request(ObjectNode request) {
                return PushgateClient.this.request(request);
            }

            @Override
            public boolean isConnected() {
                return connection != null;
            }
        }, events, completions, counters);
        if (!builder.pingInterval.isZero()) {
            long every = builder.pingInterval.toMillis();
            timer.scheduleWithFixedDelay(this::keepAlive, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Starts building a client for a gateway.
     *
     * @param wsUri the gateway's WebSocket endpoint, e.g. {@code ws://localhost:8080/v1/ws}; with no
     *     path ({@code ws://localhost:8080}) the client uses {@code /v1/ws}. {@code http(s)} is read
     *     as {@code ws(s)}.
     */
    public static PushgateClientBuilder builder(URI wsUri) {
        return new PushgateClientBuilder(wsUri);
    }

    // ---------------------------------------------------------------- subscriptions

    /**
     * Subscribes a selector: the listener gets the whole current value of every topic it matches
     * and then every change, also for topics added later, until the subscription is closed.
     *
     * <p>The selector is registered at once and stays registered across reconnections. The future
     * completes when the gateway acknowledges it (after the next reconnection if the client is
     * reconnecting). It fails with a {@link PushgateException}, and the subscription ends, if the
     * gateway refuses the selector ({@code INVALID}, {@code RATE_LIMITED}...), if no answer comes
     * within the request timeout of sending it, or if the client closes first.
     *
     * <p>Several subscriptions may select the same topic: each gets its values, and a subscription
     * added later gets the value the client already holds at once.
     *
     * @param selector a topic selector of the contract: {@code >a/b}, {@code ?a/[^/]+//},
     *     {@code *a/.*}, {@code #sel1////sel2}
     */
    public CompletableFuture<Subscription> subscribe(String selector, ValueListener listener) {
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(listener, "listener");
        return streams.subscribe(selector, listener).ready;
    }

    // ---------------------------------------------------------------- requests

    /** The topics a selector matches, with their values: {@code fetch}. */
    public CompletableFuture<List<TopicState>> fetch(String selector) {
        return fetch(selector, true);
    }

    /** {@code fetch}, with or without the values (without: specs and seqs only, value null). */
    public CompletableFuture<List<TopicState>> fetch(String selector, boolean withValues) {
        ObjectNode request = TopicStreams.request("fetch").put("selector", Objects.requireNonNull(selector, "selector"));
        if (!withValues) {
            request.put("withValues", false);
        }
        return call(request, reply -> {
            List<TopicState> results = new ArrayList<>();
            reply.path("results").forEach(r -> results.add(TopicState.fromJson(r)));
            return List.copyOf(results);
        });
    }

    /**
     * Adds a topic.
     *
     * @param specOrTypeName a spec ({@code {"type": "JSON", "properties": {...}}} as a
     *     {@link JsonNode}, a {@code Map}, or any object Jackson serialises to one), a type name
     *     ({@code "JSON"}), or a {@link TopicType}
     * @return {@code "CREATED"}, or {@code "EXISTS"} if it exists with this spec; fails with
     *     {@code CONFLICT} if it exists with another
     */
    public CompletableFuture<String> add(String topic, Object specOrTypeName) {
        ObjectNode request = TopicStreams.request("add").put("topic", Objects.requireNonNull(topic, "topic"));
        request.set("spec", spec(Objects.requireNonNull(specOrTypeName, "spec")));
        return call(request, reply -> reply.path("result").asText());
    }

    /**
     * Sets a topic's value.
     *
     * @param value a {@link JsonNode} or any object Jackson serialises (a {@code Map}, a record, a
     *     {@code String} for STRING topics, a number for INT64 and DOUBLE topics)
     * @return the seq of the new value; fails with {@code NOT_FOUND} if there is no such topic, or
     *     {@code INVALID} if the value does not fit its type
     */
    public CompletableFuture<Long> set(String topic, Object value) {
        return set(topic, value, null);
    }

    /**
     * Adds the topic if needed and sets its value (add-and-set).
     *
     * @param spec as for {@link #add}; null to only set. Fails with {@code CONFLICT} if the topic
     *     exists with another spec
     */
    public CompletableFuture<Long> set(String topic, Object value, Object spec) {
        ObjectNode request = TopicStreams.request("set").put("topic", Objects.requireNonNull(topic, "topic"));
        request.set("value", value instanceof JsonNode node ? node : Json.MAPPER.valueToTree(value));
        if (spec != null) {
            request.set("spec", spec(spec));
        }
        return call(request, reply -> reply.path("seq").asLong());
    }

    /** Removes every topic a selector matches; the future gives how many. */
    public CompletableFuture<Integer> remove(String selector) {
        ObjectNode request = TopicStreams.request("remove").put("selector", Objects.requireNonNull(selector, "selector"));
        return call(request, reply -> reply.path("removed").asInt());
    }

    /** Pings the gateway; the future gives the round-trip time. */
    public CompletableFuture<Duration> ping() {
        long start = System.nanoTime();
        return call(TopicStreams.request("ping"), pong -> Duration.ofNanos(System.nanoTime() - start));
    }

    // ---------------------------------------------------------------- state

    /**
     * Adds a listener of the connection's state: {@link ConnectionState#RECONNECTING} when the
     * connection drops, {@link ConnectionState#CONNECTED} when a new one is open (before the
     * subscriptions are renewed), {@link ConnectionState#CLOSED} at the end. Called on the event
     * thread, only for changes after it was added.
     */
    public PushgateClient onConnectionState(Consumer<ConnectionState> listener) {
        stateListeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** The connection's state now. */
    public ConnectionState state() {
        return state;
    }

    /** The endpoint the client connects to, with its {@code delta} parameter. */
    public URI uri() {
        return uri;
    }

    /** WebSocket messages received since the client was built. */
    public long framesReceived() {
        return counters.framesReceived.get();
    }

    /** UTF-8 bytes of the messages received since the client was built. */
    public long bytesReceived() {
        return counters.bytesReceived.get();
    }

    /** Every counter at once. */
    public ClientStats stats() {
        return counters.snapshot();
    }

    /**
     * Closes the client for good: no reconnection, pending requests and subscriptions fail with
     * {@code UNAVAILABLE}, listeners get {@link ConnectionState#CLOSED} and nothing after it, and the
     * client's threads end. Idempotent; may be called from a callback.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        Connection c = connection;
        if (c != null) {
            c.close(1000, "client closed");
        }
        if (!post(() -> terminate("the client is closed"))) {
            shutdownThreads();
        }
    }

    // ---------------------------------------------------------------- connecting

    /** Opens the first connection; on failure the client's threads end and this throws. */
    void connectFirst() {
        Connection first;
        try {
            first = open().get(connectTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            shutdownThreads();
            throw connectFailure(e.getCause());
        } catch (TimeoutException e) {
            shutdownThreads();
            throw new PushgateException(ErrorCode.UNAVAILABLE, "cannot connect to " + uri + ": no answer within " + connectTimeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            shutdownThreads();
            throw new PushgateException(ErrorCode.UNAVAILABLE, "interrupted while connecting to " + uri, e);
        }
        CompletableFuture<Void> ready = new CompletableFuture<>();
        post(() -> {
            becomeConnected(first);
            ready.complete(null);
        });
        ready.join();
    }

    private CompletableFuture<Connection> open() {
        String token;
        try {
            token = tokens == null ? null : tokens.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new PushgateException(ErrorCode.UNAUTHENTICATED,
                    "the token supplier failed: " + e, e));
        }
        return Connection.open(http, uri, token, connectTimeout, handler, counters);
    }

    private PushgateException connectFailure(Throwable error) {
        Throwable cause = TopicStreams.unwrap(error);
        if (cause instanceof PushgateException pe) {
            return pe;
        }
        if (cause instanceof WebSocketHandshakeException handshake) {
            int status = handshake.getResponse().statusCode();
            Object body = handshake.getResponse().body();
            return new PushgateException(Endpoint.codeForStatus(status), "cannot connect to " + uri + ": HTTP " + status
                    + (body instanceof String s && !s.isBlank() ? " " + s : ""), cause);
        }
        return new PushgateException(ErrorCode.UNAVAILABLE, "cannot connect to " + uri + ": " + cause, cause);
    }

    /** On the event thread: a connection is open. */
    private void becomeConnected(Connection c) {
        if (closing.get()) {
            c.abort("client closed");
            return;
        }
        if (c.isEnded()) { // dropped as soon as it opened
            if (backoff == null) {
                closing.set(true);
                terminate("the connection to " + uri + " ended as soon as it opened");
            } else {
                setState(ConnectionState.RECONNECTING);
                scheduleReconnect(0);
            }
            return;
        }
        connection = c;
        c.start();
        setState(ConnectionState.CONNECTED);
        streams.connected();
    }

    /** On the event thread: a connection ended. */
    private void connectionEnded(Connection c, int code, String reason) {
        if (c != connection) {
            return;
        }
        connection = null;
        requests.failAll(c, "the connection to " + uri + " ended (" + code + (reason.isEmpty() ? "" : " " + reason) + ")");
        streams.connectionLost();
        if (closing.get()) {
            return;
        }
        boolean again = CloseCodes.shouldReconnect(code) || (code == CloseCodes.UNAUTHENTICATED && tokenRefreshable);
        if (backoff == null || !again) {
            LOG.log(Level.WARNING, "the gateway closed the connection ({0} {1}): not reconnecting", String.valueOf(code), reason);
            closing.set(true);
            terminate("the gateway closed the connection (" + code + " " + reason + ")");
            return;
        }
        LOG.log(Level.INFO, "connection to {0} ended ({1} {2}): reconnecting", uri, String.valueOf(code), reason);
        setState(ConnectionState.RECONNECTING);
        scheduleReconnect(0);
    }

    private void scheduleReconnect(int attempt) {
        Duration delay = backoff.delay(attempt);
        try {
            timer.schedule(() -> reconnect(attempt), delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    private void reconnect(int attempt) {
        if (closing.get()) {
            return;
        }
        open().whenComplete((c, error) -> {
            if (!post(() -> {
                if (closing.get()) {
                    if (c != null) {
                        c.abort("client closed");
                    }
                } else if (error != null) {
                    LOG.log(Level.DEBUG, "reconnection attempt {0} failed: {1}", attempt + 1, connectFailure(error).getMessage());
                    scheduleReconnect(attempt + 1);
                } else {
                    counters.reconnections.incrementAndGet();
                    becomeConnected(c);
                }
            }) && c != null) {
                c.abort("client closed");
            }
        });
    }

    /** Pings now and then: the gateway may close idle connections, and a dead one shows here. */
    private void keepAlive() {
        Connection c = connection;
        if (c == null) {
            return;
        }
        request(TopicStreams.request("ping")).whenComplete((pong, error) -> {
            if (error != null && !(TopicStreams.unwrap(error) instanceof PushgateException.ConnectionLost) && c == connection) {
                LOG.log(Level.WARNING, "no pong from {0} within {1}: dropping the connection", uri, requestTimeout);
                c.abort("no pong within " + requestTimeout);
            }
        });
    }

    /** On the event thread: the end. */
    private void terminate(String why) {
        Connection c = connection;
        connection = null;
        if (c != null) {
            c.close(1000, "client closed");
        }
        requests.failAll(null, why);
        streams.clientClosed();
        setState(ConnectionState.CLOSED);
        shutdownThreads();
    }

    private void shutdownThreads() {
        timer.shutdownNow();
        events.shutdown();
        completions.shutdown();
    }

    private void setState(ConnectionState next) {
        if (state == next) {
            return;
        }
        state = next;
        for (Consumer<ConnectionState> listener : stateListeners) {
            try {
                listener.accept(next);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a connection state listener failed", e);
            }
        }
    }

    // ---------------------------------------------------------------- requests and replies

    /** Sends a request on the open connection; see {@link TopicStreams.Gateway#request}. */
    CompletableFuture<JsonNode> request(ObjectNode request) {
        Connection c = connection;
        if (c == null) {
            return CompletableFuture.failedFuture(new PushgateException.ConnectionLost(
                    closing.get() ? "the client is closed" : "not connected: reconnecting to " + uri));
        }
        return requests.send(c, request);
    }

    /** A request whose reply becomes the user's result, completed off the client's own threads. */
    private <T> CompletableFuture<T> call(ObjectNode request, Function<JsonNode, T> result) {
        CompletableFuture<T> future = new CompletableFuture<>();
        request(request).whenComplete((reply, error) -> complete(() -> {
            if (error != null) {
                future.completeExceptionally(TopicStreams.unwrap(error));
                return;
            }
            try {
                future.complete(result.apply(reply));
            } catch (RuntimeException e) {
                future.completeExceptionally(e);
            }
        }));
        return future;
    }

    private void complete(Runnable completion) {
        try {
            completions.execute(completion);
        } catch (RejectedExecutionException e) {
            completion.run(); // closing: no pool any more
        }
    }

    /** On the socket's reading thread: replies complete their requests, the rest goes to the event thread. */
    private void received(Connection c, String text) {
        JsonNode message;
        try {
            message = Json.MAPPER.readTree(text);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "ignored a frame that is not JSON: {0}", abbreviate(text));
            return;
        }
        if (requests.complete(message)) {
            return;
        }
        c.queued();
        if (!post(() -> {
            try {
                if (c == connection) {
                    streams.onMessage(message);
                }
            } finally {
                c.handled();
            }
        })) {
            c.handled();
        }
    }

    private boolean post(Runnable task) {
        try {
            events.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- helpers

    private static JsonNode spec(Object spec) {
        if (spec instanceof JsonNode node) {
            return node;
        }
        if (spec instanceof CharSequence || spec instanceof TopicType) {
            return TextNode.valueOf(spec.toString());
        }
        return Json.MAPPER.valueToTree(spec);
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 197) + "...";
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name.endsWith("completions") ? name + "-" + count.incrementAndGet() : name);
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public String toString() {
        return "PushgateClient[" + uri + ", " + state + "]";
    }
}
